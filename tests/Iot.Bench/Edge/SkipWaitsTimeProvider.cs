namespace Iot.Bench.Edge;

/// <summary>
/// The wall clock, except that a one-shot wait is not waited: the time it would have taken is added to the clock at
/// once and the wait completes on the thread pool straight away.
/// </summary>
/// <remarks>
/// Given to the sensor drivers and their simulated chips only. A driver sends the measure command, waits the chip's
/// conversion time (SHT4x 8.3 ms, BME280 about 10 ms, ADS1115 7.8 ms at 128 SPS) and reads the result; the simulated
/// chip answers only once that time has passed on the clock it shares with the driver. With real waits one read of
/// each sensor would take as long as the chip, and the benchmark would measure the chips, not the gateway. With this
/// clock every byte still goes over the simulated bus and through the driver (commands, CRC, compensation, soil
/// calibration); only the sleeping is gone. The clock never goes backwards, so deadlines and data-ready checks hold.
/// </remarks>
internal sealed class SkipWaitsTimeProvider : TimeProvider
{
    long _skippedTicks;

    /// <summary>How much waiting was skipped so far.</summary>
    public TimeSpan Skipped => TimeSpan.FromTicks(Interlocked.Read(ref _skippedTicks));

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow().AddTicks(Interlocked.Read(ref _skippedTicks));

    /// <inheritdoc/>
    public override long GetTimestamp() =>
        TimeProvider.System.GetTimestamp() + (long)(Interlocked.Read(ref _skippedTicks) * ((double)TimestampFrequency / TimeSpan.TicksPerSecond));

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan && period == Timeout.InfiniteTimeSpan)
        {
            // Straight to the thread pool: a system timer due at once still waits for the timer thread (about 0.1 ms
            // here), which would be a cost of this clock, not of the gateway. The timer returned is disarmed; a caller
            // that re-arms it with Change gets a real timer.
            Interlocked.Add(ref _skippedTicks, dueTime.Ticks);
            var timer = TimeProvider.System.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Callback(s.State), (Callback: callback, State: state), preferLocal: false);
            return timer;
        }

        return TimeProvider.System.CreateTimer(callback, state, dueTime, period);
    }
}
