using System.Globalization;

namespace Iot.Cloud.History;

/// <summary>
/// The bucket widths a history is read at: 1m, 5m, 15m, 1h, 3h, 6h, 12h, 1d. A fixed ladder keeps the buckets of two
/// requests over nearby ranges identical (and cache-friendly), and every rung divides a day, so buckets aligned to the
/// Unix epoch (as InfluxQL aligns GROUP BY time) never straddle midnight UTC.
/// </summary>
public static class HistoryIntervals
{
    /// <summary>The rungs, narrowest first.</summary>
    public static readonly IReadOnlyList<TimeSpan> Ladder =
    [
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(3),
        TimeSpan.FromHours(6),
        TimeSpan.FromHours(12),
        TimeSpan.FromDays(1),
    ];

    /// <summary>
    /// The narrowest rung at which [<paramref name="from"/>, <paramref name="to"/>) touches at most
    /// <paramref name="maxBuckets"/> epoch-aligned buckets (partial buckets at either edge count). When even a day is too
    /// narrow (a range longer than <paramref name="maxBuckets"/> days), a day: the ladder stops there.
    /// </summary>
    public static TimeSpan Choose(DateTimeOffset from, DateTimeOffset to, int maxBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuckets, 1);
        if (to <= from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "must be after from");
        }

        foreach (var interval in Ladder)
        {
            if (BucketCount(from, to, interval) <= maxBuckets)
            {
                return interval;
            }
        }

        return Ladder[^1];
    }

    /// <summary>How many epoch-aligned buckets of <paramref name="interval"/> [<paramref name="from"/>, <paramref name="to"/>) touches.</summary>
    public static long BucketCount(DateTimeOffset from, DateTimeOffset to, TimeSpan interval)
    {
        long width = interval.Ticks;
        long first = Floor(from.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, width);
        long last = Floor(to.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks - 1, width);
        return ((last - first) / width) + 1;
    }

    /// <summary>The interval as an InfluxQL duration: <c>1m</c>, <c>3h</c>, <c>1d</c>, or whole seconds for others (<c>90s</c>).</summary>
    public static string Name(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero || interval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "must be a positive whole number of seconds");
        }

        return interval switch
        {
            _ when interval.Ticks % TimeSpan.TicksPerDay == 0 => string.Create(CultureInfo.InvariantCulture, $"{interval.Ticks / TimeSpan.TicksPerDay}d"),
            _ when interval.Ticks % TimeSpan.TicksPerHour == 0 => string.Create(CultureInfo.InvariantCulture, $"{interval.Ticks / TimeSpan.TicksPerHour}h"),
            _ when interval.Ticks % TimeSpan.TicksPerMinute == 0 => string.Create(CultureInfo.InvariantCulture, $"{interval.Ticks / TimeSpan.TicksPerMinute}m"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{interval.Ticks / TimeSpan.TicksPerSecond}s"),
        };
    }

    static long Floor(long value, long width) => value - (((value % width) + width) % width);
}
