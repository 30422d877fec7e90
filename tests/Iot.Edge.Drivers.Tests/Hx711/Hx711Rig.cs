namespace Iot.Edge.Drivers.Tests.Hx711;

using System.Device.Gpio;
using Iot.Edge.Drivers.Gpio;
using Iot.Edge.Drivers.Hx711;
using Microsoft.Extensions.Time.Testing;

/// <summary>
/// An HX711 driver on a simulated chip, both on one fake clock. <see cref="Run{T}"/> advances the clock 1 ms at a time
/// until an operation completes: the driver's polling delays end inside the advance, so each read's clocking runs with
/// the clock standing still, as a fast real read would.
/// </summary>
sealed class Hx711Rig : IDisposable
{
    public const int ClockPin = 5;
    public const int DataPin = 6;

    public Hx711Rig(Hx711DataRate rate = Hx711DataRate.TenSamplesPerSecond)
    {
        Simulator = new Hx711Simulator(ClockPin, DataPin, rate, Time);
        Controller = new GpioController(Simulator);
        DriverTime = new PreemptibleTimeProvider(Time);
        Adc = new Hx711(Controller, ClockPin, DataPin, rate, DriverTime);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 5, 1, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The driver's view of <see cref="Time"/>, which can "preempt" the driver right after it reads the clock.</summary>
    public PreemptibleTimeProvider DriverTime { get; }

    public Hx711Simulator Simulator { get; }

    public GpioController Controller { get; }

    public Hx711 Adc { get; }

    public TimeSpan Step { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Advances the fake clock until the task completes, at most <paramref name="limit"/> (10 s by default).</summary>
    public T Run<T>(Task<T> task, TimeSpan? limit = null)
    {
        Run((Task)task, limit);
        return task.Result;
    }

    public void Run(Task task, TimeSpan? limit = null)
    {
        TimeSpan budget = limit ?? TimeSpan.FromSeconds(10);
        TimeSpan spent = TimeSpan.Zero;

        // xUnit's synchronization context would make the driver's continuations run on another thread (a continuation
        // is never inlined under a non-default context); without it they run inside Advance, deterministically.
        SynchronizationContext? context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            while (!task.IsCompleted)
            {
                if (spent >= budget)
                {
                    throw new TimeoutException($"operation not complete after {budget} of fake time");
                }

                Time.Advance(Step);
                spent += Step;
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }

        task.GetAwaiter().GetResult();
    }

    public DriverResult<Hx711Reading> Read() => Run(Adc.ReadAsync());

    /// <summary>Reads once so the chip's input is known and settled; then clears the recorded operations.</summary>
    public Hx711Reading Settle()
    {
        DriverResult<Hx711Reading> first = Read();
        Assert.True(first.Ok, first.Error);
        Simulator.ClearOperations();
        return first.Value.Value;
    }

    /// <summary>Advances to the moment the next conversion is ready (DOUT low).</summary>
    public void AdvanceToDataReady()
    {
        for (int i = 0; i < 1000 && !Simulator.IsDataLow(); i++)
        {
            Time.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    public void Dispose() => Adc.Dispose();
}

/// <summary>
/// A <see cref="FakeTimeProvider"/> as the driver sees it, with one addition: <see cref="PreemptAfterNextTimestamp"/>
/// advances the clock right after the driver's next <see cref="GetTimestamp"/> returns, as a preemption between two of
/// its statements does. The simulator's hooks only run inside GPIO calls; this reaches the gaps between them.
/// </summary>
sealed class PreemptibleTimeProvider(FakeTimeProvider time) : TimeProvider
{
    TimeSpan? _pending;

    public override long TimestampFrequency => time.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => time.LocalTimeZone;

    /// <summary>Arms a stall: the driver's next timestamp is taken, then the clock jumps by <paramref name="stall"/>.</summary>
    public void PreemptAfterNextTimestamp(TimeSpan stall) => _pending = stall;

    public override long GetTimestamp()
    {
        long now = time.GetTimestamp();
        if (_pending is TimeSpan stall)
        {
            _pending = null;
            time.Advance(stall);
        }

        return now;
    }

    public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        time.CreateTimer(callback, state, dueTime, period);
}

static class SimulatorExtensions
{
    /// <summary>Peeks at DOUT without going through the driver (not recorded as a driver read).</summary>
    public static bool IsDataLow(this Hx711Simulator simulator) => simulator.DataLevel == PinValue.Low;

    public static IEnumerable<string> Describe(this IEnumerable<SimulatedPinOperation> operations) => operations.Select(o => o.ToString());
}
