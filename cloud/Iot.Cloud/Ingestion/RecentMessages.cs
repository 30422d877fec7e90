namespace Iot.Cloud.Ingestion;

/// <summary>
/// The last N (gateway, seq) pairs stored, to recognise a redelivered message without writing it again. Bounded: the
/// oldest is forgotten first. Forgetting is safe: a message stored again makes the same points, which overwrite
/// themselves in InfluxDB (see <see cref="Points.PointMapping"/>); this only saves the work and counts duplicates.
/// </summary>
public sealed class RecentMessages(int capacity)
{
    readonly HashSet<(string Gateway, long Seq)> _seen = [];
    readonly Queue<(string Gateway, long Seq)> _order = new();
    readonly Lock _lock = new();

    /// <summary>Whether (<paramref name="gateway"/>, <paramref name="seq"/>) was stored recently.</summary>
    public bool Contains(string gateway, long seq)
    {
        lock (_lock)
        {
            return _seen.Contains((gateway, seq));
        }
    }

    /// <summary>Remembers that (<paramref name="gateway"/>, <paramref name="seq"/>) is stored.</summary>
    public void Add(string gateway, long seq)
    {
        lock (_lock)
        {
            if (!_seen.Add((gateway, seq)))
            {
                return;
            }

            _order.Enqueue((gateway, seq));
            if (_order.Count > capacity)
            {
                _seen.Remove(_order.Dequeue());
            }
        }
    }
}
