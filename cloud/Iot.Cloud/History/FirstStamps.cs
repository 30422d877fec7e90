using Dapper;
using Iot.Cloud.Storage;

namespace Iot.Cloud.History;

/// <summary>
/// When each batch's first stamped reading was taken, kept in SQLite (<c>batch_first_stamps</c>) so that a batch's
/// default history window (which starts there) costs a row lookup instead of a scan of every series in InfluxDB.
/// </summary>
/// <remarks>
/// A batch's first stamp is learned from InfluxDB the first time it is asked for (<see cref="Remember"/>) and lowered
/// by every later write of an earlier stamped reading (<see cref="Writing"/>, which the point writer calls before it
/// writes). The two take one lock, and <see cref="Remember"/> also counts what this process began writing while
/// InfluxDB was being asked: so a reading written at any moment is either seen by the question or lowers the answer,
/// and the kept value is never later than a stored reading. (One cloud instance writes to a SQLite file; instances
/// sharing a subscription each keep their own file.)
/// </remarks>
public sealed class FirstStamps(CloudDatabase database)
{
    readonly Lock gate = new();
    readonly Dictionary<string, long> writtenSinceStart = new(StringComparer.Ordinal);

    /// <summary>The batch's first stamp (unix ms) when known; null when it has to be asked of InfluxDB.</summary>
    public long? Known(string batchCode)
    {
        using var connection = database.Connect();
        return connection.ExecuteScalar<long?>("SELECT first_ms FROM batch_first_stamps WHERE batch_code = @batchCode", new { batchCode });
    }

    /// <summary>
    /// Keeps what InfluxDB answered (<paramref name="found"/>, unix ms, null when it has none), lowered to the earliest
    /// reading of the batch this process began writing since it started; returns the value kept (null: nothing kept).
    /// </summary>
    public long? Remember(string batchCode, long? found)
    {
        lock (gate)
        {
            long? first = writtenSinceStart.TryGetValue(batchCode, out long written) && (found is null || written < found) ? written : found;
            if (first is { } ms)
            {
                using var connection = database.Connect();
                connection.Execute(
                    """
                    INSERT INTO batch_first_stamps (batch_code, first_ms) VALUES (@batchCode, @ms)
                    ON CONFLICT (batch_code) DO UPDATE SET first_ms = MIN(first_ms, excluded.first_ms)
                    """,
                    new { batchCode, ms });
            }

            return first;
        }
    }

    /// <summary>Before a write: the earliest stamped reading per batch code (unix ms) about to be written.</summary>
    public void Writing(IReadOnlyDictionary<string, long> earliestByBatch)
    {
        ArgumentNullException.ThrowIfNull(earliestByBatch);
        if (earliestByBatch.Count == 0)
        {
            return;
        }

        lock (gate)
        {
            // Readings mostly move forward: only a batch's first write, or an earlier reading, can lower anything.
            var lower = earliestByBatch.Where(e => !writtenSinceStart.TryGetValue(e.Key, out long known) || e.Value < known).ToList();
            if (lower.Count == 0)
            {
                return;
            }

            using var connection = database.Connect();
            using var transaction = connection.BeginTransaction();
            foreach (var (batchCode, ms) in lower)
            {
                writtenSinceStart[batchCode] = ms;
                connection.Execute("UPDATE batch_first_stamps SET first_ms = @ms WHERE batch_code = @batchCode AND first_ms > @ms", new { batchCode, ms }, transaction);
            }

            transaction.Commit();
        }
    }
}
