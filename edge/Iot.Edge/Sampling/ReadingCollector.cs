using Iot.Contracts.Messages;
using Iot.Edge.Outbox;

namespace Iot.Edge.Sampling;

/// <summary>
/// Gathers readings from all sensors and hands them to the outbox in batches: one transaction per flush instead of
/// one per reading. A power cut loses at most what is gathered here and not yet flushed (one flush interval).
/// </summary>
public sealed class ReadingCollector(OutboxWriter writer)
{
    readonly Lock _gate = new();
    List<(Reading Reading, ClockState Clock)> _pending = [];

    /// <summary>Readings gathered and not yet flushed.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Adds readings taken under <paramref name="clock"/>.</summary>
    public void Add(IReadOnlyList<Reading> readings, ClockState clock)
    {
        ArgumentNullException.ThrowIfNull(readings);
        lock (_gate)
        {
            for (int i = 0; i < readings.Count; i++)
            {
                _pending.Add((readings[i], clock));
            }
        }
    }

    /// <summary>Stores everything gathered so far; returns how many readings were stored.</summary>
    public int Flush()
    {
        List<(Reading Reading, ClockState Clock)> batch;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return 0;
            }

            batch = _pending;
            _pending = new List<(Reading, ClockState)>(batch.Count);
        }

        int stored = batch.Count;

        try
        {
            // A message's clock state covers all of its timestamps, so readings are grouped by it.
            foreach (var group in batch.GroupBy(p => p.Clock))
            {
                writer.AppendReadings(group.Select(p => p.Reading).ToList(), group.Key);
                batch.RemoveAll(p => p.Clock == group.Key);
            }
        }
        catch
        {
            // The disk said no (full, read-only): keep what was not stored for the next flush, in order.
            lock (_gate)
            {
                _pending.InsertRange(0, batch);
            }

            throw;
        }

        return stored;
    }
}
