namespace Iot.Bench.Edge;

/// <summary>
/// The wall clock, except that a one-shot wait is not waited: the time it would have taken is added to the clock and
/// the wait completes at once, on the caller's thread.
/// </summary>
/// <remarks>
/// <para>
/// Given to the sensor drivers and their simulated chips only. A driver sends the measure command, waits the chip's
/// conversion time (SHT4x 8.3 ms, BME280 about 10 ms, ADS1115 7.8 ms at 128 SPS) and reads the result; the simulated
/// chip answers only once that time has passed on the clock it shares with the driver. With real waits one read of
/// each sensor would take as long as the chip, and the benchmark would measure the chips, not the gateway. With this
/// clock every byte still goes over the simulated bus and through the driver (commands, CRC, compensation, soil
/// calibration); only the waiting is gone. The clock never goes backwards, so deadlines and data-ready checks hold.
/// </para>
/// <para>
/// The waiting that is gone includes the thread switch that ends a real wait (a timer thread hands the driver's
/// continuation to the thread pool). On a Raspberry Pi a sensor is read once a second and that switch is noise; back
/// to back, one to three of them per read, it was the largest cost in the benchmark's profile (thread-pool workers
/// waking and spinning for the next item on a 2-CPU machine), a cost of skipping waits rather than of the gateway.
/// So the wait's callback runs inline: <c>Task.Delay</c> returns a completed task and the driver carries on.
/// </para>
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
            Interlocked.Add(ref _skippedTicks, dueTime.Ticks);
            callback(state);
            return new SkippedTimer(callback, state);
        }

        return TimeProvider.System.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>
    /// The timer of a wait that already ended: disarmed. A caller that re-arms it with <see cref="Change"/> gets a real
    /// timer behind it.
    /// </summary>
    sealed class SkippedTimer(TimerCallback callback, object? state) : ITimer
    {
        ITimer? _rearmed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _rearmed ??= TimeProvider.System.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return _rearmed.Change(dueTime, period);
        }

        public void Dispose() => _rearmed?.Dispose();

        public ValueTask DisposeAsync() => _rearmed?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
