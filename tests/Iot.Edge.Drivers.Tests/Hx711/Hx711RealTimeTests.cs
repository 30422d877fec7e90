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

        // A read fails honestly if this thread is preempted mid-bit for over 50 µs; on a loaded machine, allow retries.
        DriverResult<Hx711Reading> reading = default;
        for (int attempt = 0; attempt < 5 && !reading.Ok; attempt++)
        {
            reading = await adc.ReadAsync();
        }

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(simulator.CountsForMass(4.2), reading.Value.Value.Counts);
    }
}
