namespace Iot.Edge.Drivers.Tests.Hx711;

using System.Device.Gpio;
using Iot.Edge.Drivers.Hx711;
using Iot.Edge.Drivers.Tests.PulseCounter;
using Hx711Driver = Iot.Edge.Drivers.Hx711.Hx711;

[Collection(GpioRealTimeTests.Name)]
public class Hx711RealTimeTests
{
    const int Sck = Hx711Rig.ClockPin;
    const int Dout = Hx711Rig.DataPin;

    [Fact]
    public async Task With_the_system_clock_the_simulated_chip_runs_in_real_time()
    {
        // The gateway's simulated hardware mode: real clock, real timers, polling on the thread pool.
        var simulator = new Hx711Simulator(Sck, Dout, Hx711DataRate.EightySamplesPerSecond) { Mass = _ => 4.2 };
        using var adc = new Hx711Driver(new GpioController(simulator), Sck, Dout, Hx711DataRate.EightySamplesPerSecond);

        // A read is refused honestly when this thread is preempted mid-bit for over 50 µs, or between bits for long
        // enough that the next conversion completes; on a loaded machine that happens, so keep reading (for at most
        // 30 s) until one read succeeds. Every read that says Ok must carry the right value: a refused read is an
        // inconvenience, a wrong one would be a false weight on a trace record.
        int expected = simulator.CountsForMass(4.2);
        var refusals = new List<string>();
        var until = DateTime.UtcNow.AddSeconds(30);
        DriverResult<Hx711Reading> reading = default;
        while (!reading.Ok && DateTime.UtcNow < until)
        {
            reading = await adc.ReadAsync();
            if (!reading.Ok)
            {
                refusals.Add(reading.Error ?? "");
            }
        }

        Assert.True(reading.Ok, $"no read succeeded in 30 s; {refusals.Count} refused, the last: {refusals.LastOrDefault()}");
        Assert.Equal(expected, reading.Value.Value.Counts);
    }
}
