namespace Iot.Edge.Drivers.Gpio;

/// <summary>
/// A wait on a <see cref="TimeProvider"/> whose continuation runs on the thread that fires the timer.
/// </summary>
/// <remarks>
/// <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> resumes its awaiter on the thread pool. With a
/// fake clock that means the driver's next step (clocking 25 bits, say) runs on another thread while the test advances
/// the clock further, and the bits' timing becomes a race. Resuming inline makes a simulated run deterministic: the
/// driver's next step runs inside the test's <c>Advance</c>, with the clock standing still. With the system clock the
/// timer fires on a thread-pool thread and the continuation runs there, as it would anyway.
/// </remarks>
internal static class GpioDelay
{
    /// <summary>Completes after <paramref name="delay"/> on <paramref name="timeProvider"/>'s clock.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="delay">How long; at least one timer tick.</param>
    /// <param name="cancellationToken">Cancels the wait (the task is then canceled).</param>
    public static Task Wait(TimeProvider timeProvider, TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource(); // not RunContinuationsAsynchronously: resume inline, on purpose
        ITimer timer = timeProvider.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), done, delay, Timeout.InfiniteTimeSpan);
        CancellationTokenRegistration registration = cancellationToken.Register(
            static state => ((TaskCompletionSource)state!).TrySetCanceled(),
            done);
        _ = done.Task.ContinueWith(
            (_, state) =>
            {
                var (t, r) = ((ITimer, CancellationTokenRegistration))state!;
                t.Dispose();
                r.Dispose();
            },
            (timer, registration),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return done.Task;
    }
}
