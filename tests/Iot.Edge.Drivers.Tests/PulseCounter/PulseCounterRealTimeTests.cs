namespace Iot.Edge.Drivers.Tests.PulseCounter;

using System.Device.Gpio;
using Iot.Edge.Drivers.PulseCounter;
using Counter = Iot.Edge.Drivers.PulseCounter.PulseCounter;

/// <summary>
/// The GPIO simulators on the real clock, as the gateway's simulated hardware mode runs them. Alone, not beside the
/// other tests: a thread pool busy with parallel tests delays timers by hundreds of milliseconds.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GpioRealTimeTests
{
    public const string Name = "GPIO simulators on the real clock";
}

[Collection(GpioRealTimeTests.Name)]
public class PulseCounterRealTimeTests
{
    const int Pin = 17;

    [Fact]
    public async Task With_the_system_clock_the_simulated_meter_pulses_in_real_time()
    {
        // The gateway's simulated hardware mode: real timers, callbacks on thread-pool threads.
        var simulator = new PulseCounterSimulator(Pin) { FlowLitresPerMinute = _ => 20.0 }; // 150 Hz
        using var counter = new Counter(new GpioController(simulator), Pin);

        await Task.Delay(TimeSpan.FromMilliseconds(600));
        DriverResult<FlowMeasurement> reading = counter.Read();

        Assert.True(reading.Ok, reading.Error);
        FlowMeasurement m = reading.Value.Value;
        Assert.Equal(simulator.PulsesEmitted, counter.TotalPulses + counter.RejectedEdges, 2.0); // a pulse may be in flight
        Assert.True(m.Pulses > 0, "no pulse was counted in 600 ms of 150 Hz");

        // Timers on a busy machine run late, never early: the rate can only come out low (how low depends on the
        // load of the machine, so only the upper bound is a fact worth asserting).
        Assert.InRange(m.FlowRate.Value, 0.1, 20.5);
    }
}
