namespace Iot.Edge.Outbox;

/// <summary>
/// The newest entries of the outbox, kept in memory as they were stored so that the uplink sends them without reading
/// them back from the file. Holds every stored entry with a sequence number from <see cref="From"/> on, in order, and
/// at most <see cref="MaxBytes"/> of payload: past that the oldest leave (and <see cref="From"/> moves past them), and
/// a peek that starts before <see cref="From"/> reads the file. Not thread-safe: the outbox calls it under its lock.
/// </summary>
internal sealed class RecentEntries(long from)
{
    /// <summary>Most payload bytes kept; on a gateway reading once a second it is never reached.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    readonly List<OutboxEntry> _items = [];
    int _head;
    long _bytes;

    /// <summary>Every stored entry with a sequence number at or above this one is held here.</summary>
    public long From { get; private set; } = from;

    /// <summary>Entries held.</summary>
    public int Count => _items.Count - _head;

    /// <summary>Adds entries just stored (committed), each numbered above every entry stored before it.</summary>
    public void Add(IReadOnlyList<OutboxEntry> entries)
    {
        foreach (var entry in entries)
        {
            _items.Add(entry);
            _bytes += entry.Payload.Length;
        }

        while (_bytes > MaxBytes && Count > 0)
        {
            var oldest = _items[_head];
            _items[_head] = null!;
            _head++;
            _bytes -= oldest.Payload.Length;
            From = oldest.Seq + 1;
        }

        Compact();
    }

    /// <summary>
    /// Up to <paramref name="max"/> entries numbered above <paramref name="afterSeq"/>, oldest first, into
    /// <paramref name="into"/>; false (nothing added) if the file may hold entries between the two that are not here.
    /// </summary>
    public bool TryPeek(long afterSeq, int max, List<OutboxEntry> into)
    {
        if (afterSeq < From - 1)
        {
            return false;
        }

        for (int i = First(afterSeq + 1); i < _items.Count && into.Count < max; i++)
        {
            into.Add(_items[i]);
        }

        return true;
    }

    /// <summary>Forgets <paramref name="seq"/>, which was deleted from the file; returns its payload length, or null if it is not held.</summary>
    public int? Remove(long seq)
    {
        int i = First(seq);
        if (i >= _items.Count || _items[i].Seq != seq)
        {
            return null;
        }

        int length = _items[i].Payload.Length;
        _bytes -= length;
        if (i == _head)
        {
            _items[_head] = null!;
            _head++;
            Compact();
        }
        else
        {
            _items.RemoveAt(i);
        }

        return length;
    }

    /// <summary>Forgets everything: the file's entries from <paramref name="from"/> on are none (it is the next number).</summary>
    public void Clear(long from)
    {
        _items.Clear();
        _head = 0;
        _bytes = 0;
        From = from;
    }

    /// <summary>The index of the first held entry numbered at or above <paramref name="seq"/>.</summary>
    int First(long seq)
    {
        int lo = _head, hi = _items.Count;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (_items[mid].Seq < seq)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    void Compact()
    {
        if (_head == _items.Count)
        {
            _items.Clear();
            _head = 0;
        }
        else if (_head > 64 && _head > _items.Count / 2)
        {
            _items.RemoveRange(0, _head);
            _head = 0;
        }
    }
}
