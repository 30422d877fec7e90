namespace Iot.Hosting;

/// <summary>
/// Exponential backoff with full jitter: the n-th consecutive failure waits a uniformly random time between zero and
/// min(max, min·2^n). A broker restart therefore does not bring every gateway back in the same second.
/// </summary>
public sealed class ReconnectBackoff
{
    readonly TimeSpan _min;
    readonly TimeSpan _max;
    readonly Random _random;
    int _failures;

    /// <summary>A backoff between <paramref name="min"/> and <paramref name="max"/>; <paramref name="random"/> for tests.</summary>
    public ReconnectBackoff(TimeSpan min, TimeSpan max, Random? random = null)
    {
        if (min <= TimeSpan.Zero || max < min)
        {
            throw new ArgumentOutOfRangeException(nameof(min), $"need 0 < min <= max, got {min} and {max}");
        }

        _min = min;
        _max = max;
        _random = random ?? Random.Shared;
    }

    /// <summary>The cap of the next delay (before jitter).</summary>
    public TimeSpan Cap
    {
        get
        {
            double factor = Math.Pow(2, Math.Min(_failures, 30));
            return TimeSpan.FromTicks((long)Math.Min(_max.Ticks, _min.Ticks * factor));
        }
    }

    /// <summary>Records a failure and returns how long to wait before the next try.</summary>
    public TimeSpan NextDelay()
    {
        var cap = Cap;
        _failures++;
        return TimeSpan.FromTicks((long)(_random.NextDouble() * cap.Ticks));
    }

    /// <summary>Records a success: the next failure starts from the minimum again.</summary>
    public void Reset() => _failures = 0;
}
