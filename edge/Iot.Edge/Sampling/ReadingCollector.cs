using Iot.Contracts.Messages;
using Iot.Edge.Outbox;

namespace Iot.Edge.Sampling;

/// <summary>
/// Gathers readings from all sensors and hands them to the outbox in batches: a transaction per flush (or per
/// <see cref="OutboxWriter.ReadingsPerAppend"/> readings of a larger one) instead of one per reading. A power cut
/// loses at most what is gathered here and not yet stored (one flush interval).
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

    /// <summary>
    /// Stores everything gathered so far, in order; returns how many readings were stored. Readings go to the outbox in
    /// appends of at most <see cref="OutboxWriter.ReadingsPerAppend"/> (each one fsynced transaction, after which the
    /// uplink may send them), so a large flush is sent while the rest of it is still being stored.
    /// </summary>
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

        int stored = 0;
        try
        {
            while (stored < batch.Count)
            {
                // A message's clock state covers all of its timestamps: a run of readings under one state at a time.
                var clock = batch[stored].Clock;
                int end = stored;
                var chunk = new List<Reading>(Math.Min(batch.Count - stored, OutboxWriter.ReadingsPerAppend));
                while (end < batch.Count && chunk.Count < OutboxWriter.ReadingsPerAppend && batch[end].Clock == clock)
                {
                    chunk.Add(batch[end].Reading);
                    end++;
                }

                writer.AppendReadings(chunk, clock);
                stored = end;
            }
        }
        catch
        {
            // The disk said no (full, read-only): keep what was not stored for the next flush, in order.
            lock (_gate)
            {
                _pending.InsertRange(0, batch.GetRange(stored, batch.Count - stored));
            }

            throw;
        }

        return stored;
    }
}
