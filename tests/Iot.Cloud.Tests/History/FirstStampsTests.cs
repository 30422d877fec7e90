using Iot.Cloud.History;
using Iot.Cloud.Storage;
using Microsoft.Data.Sqlite;

namespace Iot.Cloud.Tests.History;

/// <summary>The first-stamp memory on its own, over a fresh SQLite file: never later than a stored reading.</summary>
public sealed class FirstStampsTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"iot-first-stamps-{Guid.NewGuid():N}");
    readonly CloudDatabase database;

    public FirstStampsTests() => database = CloudDatabase.Open(Path.Combine(folder, "cloud.db"));

    [Fact]
    public void What_InfluxDB_answered_is_kept_and_an_earlier_write_lowers_it_but_a_later_one_does_not()
    {
        var stamps = new FirstStamps(database);
        Assert.Null(stamps.Known("A"));
        Assert.Null(stamps.Remember("A", null));
        Assert.Null(stamps.Known("A"));

        Assert.Equal(5_000, stamps.Remember("A", 5_000));
        Assert.Equal(5_000, stamps.Known("A"));
        stamps.Writing(new Dictionary<string, long> { ["A"] = 9_000, ["B"] = 1_000 });
        Assert.Equal(5_000, stamps.Known("A"));
        Assert.Null(stamps.Known("B"));
        stamps.Writing(new Dictionary<string, long> { ["A"] = 4_000 });
        Assert.Equal(4_000, stamps.Known("A"));

        // Kept across restarts of the cloud.
        Assert.Equal(4_000, new FirstStamps(database).Known("A"));
    }

    [Fact]
    public void A_write_that_began_while_InfluxDB_was_asked_is_counted_in_what_is_kept()
    {
        var stamps = new FirstStamps(database);

        // The writer began writing a reading from 2,000 before the question's answer (which did not see it) came back.
        stamps.Writing(new Dictionary<string, long> { ["A"] = 2_000 });
        Assert.Equal(2_000, stamps.Remember("A", 7_000));
        Assert.Equal(2_000, stamps.Known("A"));

        // InfluxDB had nothing yet, but this process has written a stamped reading: that is the first.
        stamps.Writing(new Dictionary<string, long> { ["B"] = 3_000 });
        Assert.Equal(3_000, stamps.Remember("B", null));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
