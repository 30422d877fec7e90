using Iot.Contracts.Messages;
using Iot.Contracts.Validation;
using Iot.Edge.Sampling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Tests.Sampling;

public sealed class SamplerTests
{
    /// <summary>A sensor whose next answers the test decides.</summary>
    sealed class ScriptedSensor(string id, string zone, params Func<IReadOnlyList<Sample>>[] answers) : Sensor(id, zone, TimeSpan.FromSeconds(1))
    {
        int _next;

        public override IReadOnlyList<(MeasurementType Type, Unit Unit)> Measures { get; } = [(MeasurementType.Temperature, Unit.DegreeCelsius)];

        public override Task<IReadOnlyList<Sample>> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(answers[_next++ % answers.Length]());
    }

    /// <summary>A wall clock that can be stepped back, as NTP does to a board that booted with a time in the future.</summary>
    sealed class SteppingClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    static Sampler SamplerFor(GatewayRig rig, params Sensor[] sensors) => new(
        sensors, rig.Stamps, rig.Clock, rig.Health, rig.Collector, Options.Create(new SamplingOptions()), rig.Time, rig.Liveness, NullLogger<Sampler>.Instance);

    [Fact]
    public async Task A_reading_carries_its_zone_s_batch_and_a_failed_read_is_bad_with_no_value_and_counted()
    {
        using var rig = new GatewayRig();
        var sensor = new ScriptedSensor("air-1", "gh1",
            () => [Sample.Good(MeasurementType.Temperature, new Quantity(21.5, Unit.DegreeCelsius))],
            () => [Sample.Bad(MeasurementType.Temperature, Unit.DegreeCelsius, "crc mismatch")],
            () => throw new IOException("no acknowledge from 0x44"),
            () => [Sample.Good(MeasurementType.Temperature, new Quantity(double.NaN, Unit.DegreeCelsius))]);
        var sampler = SamplerFor(rig, sensor);

        var good = Assert.Single(await sampler.ReadOnceAsync(sensor, CancellationToken.None));
        Assert.Equal((21.5, ReadingQuality.Good), (good.Value, good.Quality));
        Assert.Equal([GatewayRig.Batch1], good.TraceCodes);

        var crc = Assert.Single(await sampler.ReadOnceAsync(sensor, CancellationToken.None));
        Assert.Equal((null, ReadingQuality.Bad, "crc mismatch"), (crc.Value, crc.Quality, crc.Error));

        var thrown = Assert.Single(await sampler.ReadOnceAsync(sensor, CancellationToken.None));
        Assert.Equal((null, ReadingQuality.Bad), (thrown.Value, thrown.Quality));
        Assert.Contains("no acknowledge", thrown.Error, StringComparison.Ordinal);

        var nan = Assert.Single(await sampler.ReadOnceAsync(sensor, CancellationToken.None));
        Assert.Equal((null, ReadingQuality.Bad), (nan.Value, nan.Quality));

        Assert.Equal(3, rig.Health.FailedReads("air-1"));
        Assert.Equal(SensorCondition.Degraded, rig.Health.Snapshot().Single().Condition);

        Assert.Equal(4, rig.Collector.Flush());
        var stored = rig.Outbox.Peek(10);
        Assert.All(stored, e => Assert.True(ContractReader.Read(e.Topic, e.Payload).IsValid));
    }

    [Fact]
    public async Task Timestamps_never_go_backwards_within_a_sensor()
    {
        var time = new SteppingClock { Now = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero) };
        using var rig = new GatewayRig(time: time);
        var sensor = new ScriptedSensor("air-1", "gh1", () => [Sample.Good(MeasurementType.Temperature, new Quantity(20, Unit.DegreeCelsius))]);
        var sampler = SamplerFor(rig, sensor);
        var first = (await sampler.ReadOnceAsync(sensor, CancellationToken.None))[0].Time;
        time.Now = time.Now.AddMinutes(-10); // NTP steps the clock back
        var second = (await sampler.ReadOnceAsync(sensor, CancellationToken.None))[0].Time;
        Assert.Equal(first.AddMilliseconds(1), second);
    }

    [Fact]
    public async Task Readings_taken_with_an_unsynchronised_clock_are_stored_in_messages_that_say_so()
    {
        using var rig = new GatewayRig(synchronized: false);
        var sensor = new ScriptedSensor("air-1", "gh1", () => [Sample.Good(MeasurementType.Temperature, new Quantity(20, Unit.DegreeCelsius))]);
        await SamplerFor(rig, sensor).ReadOnceAsync(sensor, CancellationToken.None);
        rig.Collector.Flush();
        var message = (ReadingsMessage)ContractReader.Read(rig.Outbox.Peek(1)[0].Topic, rig.Outbox.Peek(1)[0].Payload).Message!;
        Assert.Equal(ClockState.Unsynchronized, message.Clock);
    }
}
