using Iot.Cloud.History.Rollups;
using Iot.Cloud.Storage;
using Microsoft.Data.Sqlite;

namespace Iot.Cloud.Tests.History;

/// <summary>The dirty-hour bookkeeping on its own, over a fresh SQLite file.</summary>
public sealed class DirtyHoursTests : IDisposable
{
    static readonly DateTimeOffset Now = new(2025, 4, 9, 10, 20, 0, TimeSpan.Zero);
    static readonly long H = new DateTimeOffset(2025, 3, 10, 5, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    readonly string folder = Path.Combine(Path.GetTempPath(), $"iot-dirty-{Guid.NewGuid():N}");
    readonly CloudDatabase database;

    public DirtyHoursTests() => database = CloudDatabase.Open(Path.Combine(folder, "cloud.db"));

    DirtyHours Open() => new(database, new FixedTime(Now));

    [Fact]
    public void Coverage_starts_after_the_current_hour_and_the_hour_of_a_millisecond_is_its_floor()
    {
        var dirty = Open();
        Assert.Equal(new DateTimeOffset(2025, 4, 9, 11, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), dirty.CoveredFrom);
        Assert.Equal(H, DirtyHours.HourOf((H * 1000) + 3_599_999));
        Assert.Equal(H - 3600, DirtyHours.HourOf((H * 1000) - 1));
        Assert.Equal(-3600, DirtyHours.HourOf(-1));
    }

    [Fact]
    public void An_hour_with_a_write_in_flight_is_not_rolled_up()
    {
        var dirty = Open();
        dirty.BeginWrite([H, H + 3600]);
        dirty.BeginWrite([H]);
        dirty.EndWrite([H, H + 3600]);

        Assert.Equal([(H + 3600, 1L)], dirty.TakeReady(10)); // H still has one write in flight
        Assert.True(dirty.Finish(H + 3600, 1));
        Assert.Empty(dirty.TakeReady(10));
        Assert.Contains(H, dirty.Snapshot().Dirty);

        dirty.EndWrite([H]);
        Assert.Equal([(H, 1L)], dirty.TakeReady(10));
    }

    [Fact]
    public void An_hour_marked_again_during_its_rollup_stays_dirty_and_is_dirty_to_readers_throughout()
    {
        var dirty = Open();
        dirty.BeginWrite([H]);
        dirty.EndWrite([H]);
        var (hour, version) = Assert.Single(dirty.TakeReady(10));

        // While the INTO runs, the hour is still read raw.
        Assert.Contains(H, dirty.Snapshot().Dirty);

        // A write of the hour starts and ends during the rollup: it marks the hour again, durably.
        dirty.BeginWrite([H]);
        dirty.EndWrite([H]);
        Assert.False(dirty.Finish(hour, version));
        Assert.Contains(H, dirty.Snapshot().Dirty);
        Assert.Equal(version + 1, VersionInFile(H));

        var (_, again) = Assert.Single(dirty.TakeReady(10));
        Assert.Equal(version + 1, again);
        Assert.True(dirty.Finish(H, again));
        Assert.DoesNotContain(H, dirty.Snapshot().Dirty);
        Assert.Null(VersionInFile(H));
    }

    [Fact]
    public void A_failed_rollup_leaves_the_hour_dirty_to_be_taken_again()
    {
        var dirty = Open();
        dirty.BeginWrite([H]);
        dirty.EndWrite([H]);
        Assert.Single(dirty.TakeReady(10));
        Assert.Empty(dirty.TakeReady(10)); // being rolled up
        dirty.Abandon(H);
        Assert.Equal([(H, 1L)], dirty.TakeReady(10));
    }

    [Fact]
    public void After_a_restart_the_dirty_hours_and_the_coverage_are_still_known()
    {
        var before = Open();
        before.BeginWrite([H, H + 7200]);
        before.EndWrite([H]); // the other write never ended: the process died
        before.ExtendCoverage(H - (24 * 3600));

        var after = new DirtyHours(database, new FixedTime(Now.AddDays(3)));
        Assert.Equal(new HashSet<long> { H, H + 7200 }, after.Snapshot().Dirty);
        Assert.Equal(H - (24 * 3600), after.CoveredFrom);
        Assert.Equal([(H, 1L), (H + 7200, 1L)], after.TakeReady(10)); // nothing is in flight in a new process
    }

    long? VersionInFile(long hour)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM rollup_dirty WHERE hour = $hour";
        command.Parameters.AddWithValue("$hour", hour);
        return command.ExecuteScalar() is long v ? v : null;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
