using System.Collections.Concurrent;
using Iot.Contracts.Messages;

namespace Iot.Edge.Sampling;

/// <summary>
/// Every sensor's recent record: failed reads (counted since start), the last good reading, and a condition for the
/// status message. One failing sensor is reported here; it never stops the others.
/// </summary>
public sealed class SensorHealthBoard
{
    /// <summary>How many of the latest reads decide the condition.</summary>
    public const int Window = 10;

    readonly ConcurrentDictionary<string, Entry> _sensors = new(StringComparer.Ordinal);

    /// <summary>Records the outcome of one read.</summary>
    public void Record(string sensorId, bool ok, DateTime time)
    {
        var entry = _sensors.GetOrAdd(sensorId, _ => new Entry());
        lock (entry)
        {
            entry.Recent = ((entry.Recent << 1) | (ok ? 0u : 1u)) & ((1u << Window) - 1);
            entry.Reads = Math.Min(entry.Reads + 1, Window);
            if (ok)
            {
                entry.LastGood = time;
            }
            else
            {
                entry.Failed++;
            }
        }
    }

    /// <summary>Failed reads of <paramref name="sensorId"/> since start.</summary>
    public long FailedReads(string sensorId) => _sensors.TryGetValue(sensorId, out var e) ? Interlocked.Read(ref e.Failed) : 0;

    /// <summary>Every sensor's health, ordered by id.</summary>
    public IReadOnlyList<SensorHealth> Snapshot() =>
        _sensors.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
        {
            lock (p.Value)
            {
                int recentFailures = System.Numerics.BitOperations.PopCount(p.Value.Recent);
                var condition = recentFailures == 0 ? SensorCondition.Ok
                    : recentFailures >= p.Value.Reads ? SensorCondition.Failing
                    : SensorCondition.Degraded;
                return new SensorHealth { SensorId = p.Key, Condition = condition, FailedReads = p.Value.Failed, LastGood = p.Value.LastGood };
            }
        }).ToList();

    sealed class Entry
    {
        public uint Recent;
        public int Reads;
        public long Failed;
        public DateTime? LastGood;
    }
}
