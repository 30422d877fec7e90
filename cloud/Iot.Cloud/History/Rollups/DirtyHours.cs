using System.Globalization;
using Dapper;
using Iot.Cloud.Storage;

namespace Iot.Cloud.History.Rollups;

/// <summary>
/// Which hours of readings have rollups that cannot be trusted (cloud/README.md, History, "Rollups"): an hour is marked
/// dirty, durably in SQLite (<c>rollup_dirty</c>), before any write of its readings, and stays dirty until its rollup has
/// been rewritten with no write of it in flight. Also keeps the coverage watermark (<c>rollup_state.covered_from</c>):
/// hours before it have no trusted rollups yet. Everything here happens under one lock.
/// </summary>
/// <remarks>
/// An hour being rolled up stays dirty for readers until its rollup is written (<see cref="Finish"/>): while the INTO
/// runs, the rollup points of the hour are a mix of old and new. A write that starts meanwhile marks it again
/// (version + 1), and the worker's delete, which asks for the version it took, then leaves it dirty.
/// </remarks>
public sealed class DirtyHours : IRollupCoverage
{
    /// <summary>An hour, in the unix seconds the table keeps.</summary>
    public const long HourSeconds = 3600;

    const string CoveredFromKey = "covered_from";

    readonly CloudDatabase database;
    readonly Lock gate = new();
    readonly Dictionary<long, HourState> dirty = [];
    long coveredFrom;

    /// <summary>Loads the dirty hours and the coverage of <paramref name="database"/>; on first use, coverage starts at the next hour.</summary>
    public DirtyHours(CloudDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        this.database = database;
        using var connection = database.Connect();
        foreach (var (hour, version) in connection.Query<(long Hour, long Version)>("SELECT hour, version FROM rollup_dirty"))
        {
            dirty[hour] = new HourState { Version = version };
        }

        if (connection.ExecuteScalar<string?>("SELECT value FROM rollup_state WHERE key = @key", new { key = CoveredFromKey }) is { } stored)
        {
            coveredFrom = long.Parse(stored, CultureInfo.InvariantCulture);
        }
        else
        {
            // Readings of the current hour may have been written before anyone marked them: it is not covered yet.
            coveredFrom = HourOf(time.GetUtcNow().ToUnixTimeMilliseconds()) + HourSeconds;
            SaveCoveredFrom(connection, coveredFrom);
        }
    }

    /// <summary>Unix seconds of the first hour with trusted rollups (older ones are read raw).</summary>
    public long CoveredFrom
    {
        get
        {
            lock (gate)
            {
                return coveredFrom;
            }
        }
    }

    /// <summary>The hour (unix seconds of its start) holding <paramref name="unixMilliseconds"/>.</summary>
    public static long HourOf(long unixMilliseconds)
    {
        const long width = HourSeconds * 1000;
        return (unixMilliseconds - (((unixMilliseconds % width) + width) % width)) / 1000;
    }

    /// <summary>
    /// Before writing readings of <paramref name="hours"/>: marks each dirty (durably unless already known dirty and
    /// not being rolled up) and counts the write in flight. Call <see cref="EndWrite"/> with the same hours afterwards,
    /// whether the write succeeded or not.
    /// </summary>
    public void BeginWrite(IReadOnlyCollection<long> hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        lock (gate)
        {
            List<long>? toMark = null;
            foreach (long hour in hours)
            {
                if (!dirty.TryGetValue(hour, out var state) || state.Rolling)
                {
                    (toMark ??= []).Add(hour);
                }
            }

            if (toMark is not null)
            {
                using var connection = database.Connect();
                using var transaction = connection.BeginTransaction();
                foreach (long hour in toMark)
                {
                    long version = connection.ExecuteScalar<long>(
                        "INSERT INTO rollup_dirty (hour, version) VALUES (@hour, 1) ON CONFLICT (hour) DO UPDATE SET version = version + 1 RETURNING version",
                        new { hour },
                        transaction);
                    if (!dirty.TryGetValue(hour, out var state))
                    {
                        dirty[hour] = state = new HourState();
                    }

                    state.Version = version;
                }

                transaction.Commit();
            }

            foreach (long hour in hours)
            {
                dirty[hour].InFlight++;
            }
        }
    }

    /// <summary>After a write begun with <see cref="BeginWrite"/> is done (written or given up).</summary>
    public void EndWrite(IReadOnlyCollection<long> hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        lock (gate)
        {
            foreach (long hour in hours)
            {
                if (dirty.TryGetValue(hour, out var state) && state.InFlight > 0)
                {
                    state.InFlight--;
                }
            }
        }
    }

    /// <summary>Whether some dirty hour has no write in flight and is not being rolled up.</summary>
    public bool AnyReady
    {
        get
        {
            lock (gate)
            {
                return dirty.Values.Any(s => s.InFlight == 0 && !s.Rolling);
            }
        }
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> dirty hours with no write in flight, oldest first, for a rollup: each with the
    /// version to hand back to <see cref="Finish"/> (or <see cref="Abandon"/> if the rollup failed).
    /// </summary>
    public IReadOnlyList<(long Hour, long Version)> TakeReady(int max)
    {
        lock (gate)
        {
            var taken = dirty.Where(d => d.Value.InFlight == 0 && !d.Value.Rolling)
                .Select(d => d.Key).Order().Take(max).Select(h => (h, dirty[h].Version)).ToList();
            foreach (var (hour, _) in taken)
            {
                dirty[hour].Rolling = true;
            }

            return taken;
        }
    }

    /// <summary>
    /// The rollup of <paramref name="hour"/>, taken at <paramref name="version"/>, is written: the hour is clean unless it
    /// was marked again meanwhile. Returns whether it is clean now.
    /// </summary>
    public bool Finish(long hour, long version)
    {
        lock (gate)
        {
            using var connection = database.Connect();
            int deleted = connection.Execute("DELETE FROM rollup_dirty WHERE hour = @hour AND version = @version", new { hour, version });
            if (dirty.TryGetValue(hour, out var state))
            {
                if (deleted == 1 && state.Version == version && state.InFlight == 0)
                {
                    dirty.Remove(hour);
                    return true;
                }

                state.Rolling = false;
            }

            return deleted == 1;
        }
    }

    /// <summary>The rollup of <paramref name="hour"/> failed: it stays dirty and can be taken again.</summary>
    public void Abandon(long hour)
    {
        lock (gate)
        {
            if (dirty.TryGetValue(hour, out var state))
            {
                state.Rolling = false;
            }
        }
    }

    /// <summary>Moves the coverage watermark to <paramref name="hour"/> (unix seconds; only ever earlier).</summary>
    public void ExtendCoverage(long hour)
    {
        lock (gate)
        {
            if (hour >= coveredFrom)
            {
                return;
            }

            using var connection = database.Connect();
            SaveCoveredFrom(connection, hour);
            coveredFrom = hour;
        }
    }

    /// <inheritdoc/>
    public RollupCoverage Snapshot()
    {
        lock (gate)
        {
            return new RollupCoverage(coveredFrom, new HashSet<long>(dirty.Keys));
        }
    }

    static void SaveCoveredFrom(Microsoft.Data.Sqlite.SqliteConnection connection, long hour) => connection.Execute(
        "INSERT INTO rollup_state (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        new { key = CoveredFromKey, value = hour.ToString(CultureInfo.InvariantCulture) });

    sealed class HourState
    {
        public long Version { get; set; }

        public int InFlight { get; set; }

        public bool Rolling { get; set; }
    }
}
