using Iot.Edge.Drivers.I2c;
using Microsoft.Extensions.Time.Testing;

namespace Iot.Edge.Drivers.Tests.I2c;

/// <summary>
/// Runs a driver's read to completion on a <see cref="FakeTimeProvider"/>: advances the fake clock in small steps
/// until the read's task finishes, so a test never sleeps and every wait the driver makes is measured on the fake
/// clock. The drivers await with <c>ConfigureAwait(false)</c>, so each step runs the driver's continuation inline.
/// </summary>
internal static class FakeTimeDriving
{
    /// <summary>The step the fake clock advances by; fine enough for the 1 ms polls of the I2C drivers.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMicroseconds(100);

    /// <summary>Starts <paramref name="read"/> and advances time until it completes, at most <paramref name="limit"/>.</summary>
    /// <remarks>
    /// Runs on a thread-pool thread: xunit's synchronization context forbids running continuations inline, and then a
    /// continuation would wait for a thread while the clock ran on past the driver's deadline. Without a context, each
    /// <see cref="FakeTimeProvider.Advance"/> runs the driver up to its next wait before returning.
    /// </remarks>
    public static Task<T> Drive<T>(this FakeTimeProvider time, Func<Task<T>> read, TimeSpan? limit = null) =>
        Task.Run(async () =>
        {
            TimeSpan budget = limit ?? TimeSpan.FromSeconds(5);
            DateTimeOffset end = time.GetUtcNow() + budget;
            Task<T> task = read();
            while (!task.IsCompleted)
            {
                if (time.GetUtcNow() >= end)
                {
                    throw new TimeoutException($"the read had not finished after {budget} of fake time");
                }

                time.Advance(Step);
            }

            return await task;
        });

    /// <summary>How much fake time <paramref name="read"/> took.</summary>
    public static async Task<(T Result, TimeSpan Elapsed)> DriveTimed<T>(this FakeTimeProvider time, Func<Task<T>> read)
    {
        DateTimeOffset start = time.GetUtcNow();
        T result = await time.Drive(read);
        return (result, time.GetUtcNow() - start);
    }

    /// <summary>
    /// Drives <paramref name="read"/> once with a fault in place (<paramref name="inject"/>) and once after
    /// <paramref name="clear"/>: the two reads of a "fails, then the next read recovers" test.
    /// </summary>
    public static async Task<(T Bad, T Good)> DriveFaultThenRecovery<T>(this FakeTimeProvider time, Action inject, Action clear, Func<Task<T>> read)
    {
        inject();
        T bad = await time.Drive(read);
        clear();
        T good = await time.Drive(read);
        return (bad, good);
    }

    /// <summary><see cref="DriveFaultThenRecovery"/> with the chip not acknowledging during the first read.</summary>
    public static Task<(T Bad, T Good)> DriveNackThenRecovery<T>(this FakeTimeProvider time, SimulatedI2cDevice chip, Func<Task<T>> read) =>
        time.DriveFaultThenRecovery(() => chip.Nack = true, () => chip.Nack = false, read);
}
