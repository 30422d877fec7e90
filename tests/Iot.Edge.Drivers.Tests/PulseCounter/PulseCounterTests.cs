namespace Iot.Edge.Drivers.Tests.PulseCounter;

using System.Device.Gpio;
using Iot.Contracts.Messages;
using Iot.Edge.Drivers.PulseCounter;
using Microsoft.Extensions.Time.Testing;
using Counter = Iot.Edge.Drivers.PulseCounter.PulseCounter;

public class PulseCounterTests
{
    const int Pin = 17;

    // YF-S201 datasheet: F = 7.5·Q (Hz, L/min), so 7.5 · 60 = 450 pulses per litre.
    [Fact]
    public void YF_S201_constant_from_its_frequency_factor()
    {
        Assert.Equal(450.0, Counter.PulsesPerLitreFromFrequencyFactor(7.5));
        Assert.Equal(Counter.YfS201PulsesPerLitre, Counter.PulsesPerLitreFromFrequencyFactor(7.5));
    }

    // At 10 L/min a YF-S201 pulses at F = 7.5 · 10 = 75 Hz: 4 500 pulses in a minute are 10 L, 10 L/min.
    [Fact]
    public void Pulses_to_litres_and_litres_per_minute()
    {
        Assert.Equal(10.0, Counter.ToLitres(4500, 450.0), 1e-12);
        Assert.Equal(10.0, Counter.ToLitresPerMinute(4500, 450.0, TimeSpan.FromMinutes(1)), 1e-12);
        Assert.Equal(1.0, Counter.ToLitres(450, 450.0), 1e-12);
        Assert.Equal(0.0, Counter.ToLitresPerMinute(0, 450.0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(15.0, 60)]
    [InlineData(30.0, 20)] // the YF-S201's maximum: 225 Hz
    [InlineData(1.0, 120)] // its minimum: 7.5 Hz
    public void A_steady_simulated_flow_gives_its_volume_and_rate(double litresPerMinute, int seconds)
    {
        using var rig = new MeterRig();
        rig.Simulator.FlowLitresPerMinute = _ => litresPerMinute;

        rig.AdvanceInSteps(TimeSpan.FromSeconds(seconds));
        DriverResult<FlowMeasurement> reading = rig.Counter.Read();

        Assert.True(reading.Ok, reading.Error);
        FlowMeasurement m = reading.Value.Value;
        double litres = litresPerMinute * seconds / 60.0;
        double onePulse = 1.0 / 450.0;
        Assert.Equal(Unit.Litre, m.Volume.Unit);
        Assert.Equal(Unit.LitrePerMinute, m.FlowRate.Unit);
        Assert.Equal(litres, m.Volume.Value, onePulse + 1e-9);
        Assert.Equal(litresPerMinute, m.FlowRate.Value, (onePulse / (seconds / 60.0)) + 1e-9);
        Assert.Equal(TimeSpan.FromSeconds(seconds), m.Interval);
        Assert.Equal(rig.Simulator.PulsesEmitted, m.Pulses);
        Assert.Equal(0, rig.Counter.RejectedEdges);
    }

    [Fact]
    public void A_varying_flow_integrates_to_its_volume()
    {
        using var rig = new MeterRig();
        DateTimeOffset start = rig.Time.GetUtcNow();
        rig.Simulator.FlowLitresPerMinute = t => Math.Min(20.0, (t - start).TotalSeconds / 3.0); // ramp to 20 L/min over 60 s

        rig.AdvanceInSteps(TimeSpan.FromSeconds(60));
        DriverResult<FlowMeasurement> reading = rig.Counter.Read();

        // The area under the ramp: 20 L/min · 1 min / 2 = 10 L.
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(10.0, reading.Value.Value.Volume.Value, 0.02);
        Assert.Equal(10.0, reading.Value.Value.FlowRate.Value, 0.02);
    }

    [Fact]
    public void No_pulses_is_zero_volume_at_zero_flow_not_a_failure()
    {
        using var rig = new MeterRig();

        rig.AdvanceInSteps(TimeSpan.FromSeconds(5));
        DriverResult<FlowMeasurement> reading = rig.Counter.Read();

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(new Quantity(0, Unit.Litre), reading.Value.Value.Volume);
        Assert.Equal(new Quantity(0, Unit.LitrePerMinute), reading.Value.Value.FlowRate);
        Assert.Equal(new Quantity(0, Unit.Litre), reading.Value.Value.TotalVolume);
        Assert.Equal(TimeSpan.FromSeconds(5), reading.Value.Value.Interval);
    }

    [Fact]
    public void Debounce_rejects_edges_closer_than_the_minimum_interval_to_the_last_accepted_pulse()
    {
        using var rig = new MeterRig();

        rig.Simulator.EmitFallingEdge();                 // t = 0: pulse
        rig.Time.Advance(TimeSpan.FromMicroseconds(40));
        rig.Simulator.EmitFallingEdge();                 // 0.04 ms: bounce
        rig.Time.Advance(TimeSpan.FromMicroseconds(560));
        rig.Simulator.EmitFallingEdge();                 // 0.6 ms: bounce
        rig.Time.Advance(TimeSpan.FromMicroseconds(600));
        rig.Simulator.EmitFallingEdge();                 // 1.2 ms: 1.2 ms after the last accepted one, a pulse
        rig.Time.Advance(TimeSpan.FromMicroseconds(999));
        rig.Simulator.EmitFallingEdge();                 // 2.199 ms: 0.999 ms after it, bounce
        rig.Time.Advance(TimeSpan.FromMicroseconds(1));
        rig.Simulator.EmitFallingEdge();                 // 2.2 ms: exactly 1 ms after it, a pulse

        Assert.Equal(3, rig.Counter.TotalPulses);
        Assert.Equal(3, rig.Counter.RejectedEdges);
    }

    [Fact]
    public void Debounce_rejects_a_bouncing_meter_s_extra_edges()
    {
        using var rig = new MeterRig();
        rig.Simulator.FlowLitresPerMinute = _ => 30.0; // 225 Hz, a pulse every 4.4 ms
        rig.Simulator.BounceEdgesPerPulse = 2;          // each followed at once by two more falling edges

        rig.AdvanceInSteps(TimeSpan.FromSeconds(1));
        DriverResult<FlowMeasurement> reading = rig.Counter.Read();

        Assert.True(reading.Ok, reading.Error);
        long pulses = rig.Simulator.PulsesEmitted;
        Assert.InRange(pulses, 224, 225);
        Assert.Equal(pulses, reading.Value.Value.Pulses);
        Assert.Equal(3 * pulses, rig.Simulator.EdgesEmitted);
        Assert.Equal(2 * pulses, rig.Counter.RejectedEdges);
        Assert.Equal(30.0, reading.Value.Value.FlowRate.Value, 30.0 / 225);
    }

    [Fact]
    public void The_total_survives_reads_and_never_decreases()
    {
        using var rig = new MeterRig();
        double[] flows = [12.0, 0.0, 4.0, 25.0, 0.0];
        long sum = 0;
        double previousTotal = 0;
        foreach (double flow in flows)
        {
            rig.Simulator.FlowLitresPerMinute = _ => flow;
            rig.AdvanceInSteps(TimeSpan.FromSeconds(10));
            DriverResult<FlowMeasurement> reading = rig.Counter.Read();
            Assert.True(reading.Ok, reading.Error);
            sum += reading.Value.Value.Pulses;

            Assert.Equal(sum, rig.Counter.TotalPulses);
            Assert.Equal(sum / 450.0, reading.Value.Value.TotalVolume.Value, 1e-12);
            Assert.True(reading.Value.Value.TotalVolume.Value >= previousTotal);
            previousTotal = reading.Value.Value.TotalVolume.Value;
            Assert.Equal(flow, reading.Value.Value.FlowRate.Value, (2.0 / 450.0) / (10.0 / 60.0));
        }

        Assert.Equal(rig.Simulator.PulsesEmitted, sum);
    }

    [Fact]
    public void Pulses_in_a_read_with_no_elapsed_time_are_kept_for_the_next_read()
    {
        using var rig = new MeterRig();
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(rig.Counter.Read().Ok);

        rig.Simulator.EmitFallingEdge();
        DriverResult<FlowMeasurement> same = rig.Counter.Read();
        Assert.False(same.Ok);
        Assert.Equal("1 pulses but no time passed since the last read; flow undefined", same.Error);

        rig.Time.Advance(TimeSpan.FromSeconds(2));
        DriverResult<FlowMeasurement> next = rig.Counter.Read();
        Assert.True(next.Ok, next.Error);
        Assert.Equal(1, next.Value.Value.Pulses);
        Assert.Equal(TimeSpan.FromSeconds(2), next.Value.Value.Interval);
    }

    [Fact]
    public async Task Callbacks_on_other_threads_and_reads_never_lose_or_double_a_pulse()
    {
        var simulator = new PulseCounterSimulator(Pin);
        using var controller = new GpioController(simulator);
        using var counter = new Counter(controller, Pin, 450.0, TimeSpan.Zero, shouldDispose: false);
        // One pin has one level: edges come from one source (the kernel's GPIO event thread), never from four at once.
        // Driving the simulated pin from several threads would lose edges in the simulator, not in the counter.
        const int Threads = 1;
        const int EdgesPerThread = 20_000;

        long read = 0;
        using var stop = new CancellationTokenSource();
        Task reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                DriverResult<FlowMeasurement> r = counter.Read();
                if (r.Ok)
                {
                    read += r.Value.Value.Pulses;
                }
            }
        });
        Task[] emitters = [.. Enumerable.Range(0, Threads).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < EdgesPerThread; i++)
            {
                simulator.EmitFallingEdge();
            }
        }))];
        await Task.WhenAll(emitters);
        await stop.CancelAsync();
        await reader;
        // The last read needs time to have passed since the reader's last one (pulses with no elapsed time are kept,
        // not reported): on a busy machine 1 ms may not be enough, so try a bounded number of times.
        DriverResult<FlowMeasurement> last = default;
        for (int attempt = 0; attempt < 100 && !last.Ok; attempt++)
        {
            await Task.Delay(2);
            last = counter.Read();
        }

        Assert.True(last.Ok, last.Error);
        read += last.Value.Value.Pulses;

        Assert.Equal(Threads * EdgesPerThread, read);
        Assert.Equal(Threads * EdgesPerThread, counter.TotalPulses);
        Assert.Equal(0, counter.RejectedEdges);
    }

    [Fact]
    public void Dispose_without_shouldDispose_unregisters_and_closes_the_line()
    {
        var simulator = new PulseCounterSimulator(Pin);
        using var controller = new GpioController(simulator);
        var counter = new Counter(controller, Pin, shouldDispose: false);
        Assert.Equal(1, simulator.SubscriberCount(Pin));

        counter.Dispose();

        Assert.Equal(0, simulator.SubscriberCount(Pin));
        Assert.False(simulator.IsOpen(Pin));
    }

    [Fact]
    public void The_counter_listens_for_falling_edges_on_an_input()
    {
        using var rig = new MeterRig();
        Assert.Equal(PinMode.Input, rig.Controller.GetPinMode(Pin));

        rig.Simulator.SetInputLevel(Pin, PinValue.Low);  // falling: counted
        rig.Time.Advance(TimeSpan.FromMilliseconds(2));
        rig.Simulator.SetInputLevel(Pin, PinValue.High); // rising: not counted
        rig.Time.Advance(TimeSpan.FromMilliseconds(2));

        Assert.Equal(1, rig.Counter.TotalPulses);
    }

    [Fact]
    public void Constructor_refuses_a_meaningless_meter_constant()
    {
        var simulator = new PulseCounterSimulator(Pin);
        using var controller = new GpioController(simulator);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Counter(controller, Pin, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Counter(controller, Pin, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Counter(controller, Pin, inputMode: PinMode.Output));
    }

    sealed class MeterRig : IDisposable
    {
        public MeterRig()
        {
            Simulator = new PulseCounterSimulator(Pin, 450.0, Time);
            Controller = new GpioController(Simulator);
            Counter = new Counter(Controller, Pin, 450.0, timeProvider: Time);
        }

        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 6, 0, 0, TimeSpan.Zero));

        public PulseCounterSimulator Simulator { get; }

        public GpioController Controller { get; }

        public Counter Counter { get; }

        /// <summary>Advances the fake clock in steps shorter than any pulse period (1 ms by default).</summary>
        public void AdvanceInSteps(TimeSpan total, TimeSpan? step = null)
        {
            TimeSpan s = step ?? TimeSpan.FromMilliseconds(1);
            for (TimeSpan done = TimeSpan.Zero; done < total; done += s)
            {
                Time.Advance(s);
            }
        }

        public void Dispose() => Counter.Dispose();
    }
}
