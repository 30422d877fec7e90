namespace Iot.Edge.Drivers.Tests.WeighingIndicator;

using System.Diagnostics;
using Iot.Contracts.Messages;
using Iot.Edge.Drivers.WeighingIndicator;
using Microsoft.Extensions.Time.Testing;

public sealed class WeighingIndicatorTests : IAsyncDisposable
{
    static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(100);

    readonly FakeTimeProvider _time = new();
    readonly WeighingIndicatorSimulator _simulator;
    readonly WeighingIndicator _indicator;

    public WeighingIndicatorTests()
    {
        _simulator = new WeighingIndicatorSimulator(_time, framesPerSecond: 10);
        _indicator = new WeighingIndicator(_simulator, timeProvider: _time);
    }

    public async ValueTask DisposeAsync() => await _indicator.DisposeAsync();

    /// <summary>Moves the fake clock one frame at a time and lets the driver's reader catch up with what was sent.</summary>
    async Task AdvanceAsync(TimeSpan total)
    {
        for (TimeSpan done = TimeSpan.Zero; done < total; done += Frame)
        {
            _time.Advance(Frame);
            await CatchUpAsync();
        }
    }

    async Task CatchUpAsync()
    {
        var watch = Stopwatch.StartNew();
        while (_indicator.BytesReceived < _simulator.BytesSent)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the driver stopped reading");
            await Task.Delay(1);
        }
    }

    /// <summary>Advances frame by frame until the wait completes (at most <paramref name="limit"/>).</summary>
    async Task<DriverResult<Quantity>> CompleteAsync(Task<DriverResult<Quantity>> wait, TimeSpan limit)
    {
        for (TimeSpan done = TimeSpan.Zero; done <= limit && !wait.IsCompleted; done += Frame)
        {
            _time.Advance(Frame);
            await CatchUpAsync();
            await Task.WhenAny(wait, Task.Delay(5));
        }

        Assert.True(wait.IsCompleted, "the wait did not complete");
        return await wait;
    }

    [Fact]
    public async Task Settling_gives_exactly_one_stable_net_weight_the_settled_one()
    {
        _simulator.TareKilograms = 0.36;
        _simulator.LoadKilograms = 12.84;

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(5));

        Assert.True(result.Ok, result.Error);
        Assert.Equal(new Quantity(12.48, Unit.Kilogram), result.Value);

        // The indicator sent unstable, moving readings first; the first stable line is the one returned.
        IReadOnlyList<string> lines = _simulator.LinesSent;
        int firstStable = lines.ToList().FindIndex(line => line.StartsWith("ST", StringComparison.Ordinal));
        Assert.True(firstStable >= 5, string.Join(" | ", lines));
        Assert.All(lines.Take(firstStable), line => Assert.StartsWith("US,NT,", line, StringComparison.Ordinal));
        Assert.True(lines.Take(firstStable).Distinct().Count() > 3, "the readings should move while settling");
        Assert.Equal("ST,NT,+0012.48  kg", lines[firstStable]);
        Assert.Equal(firstStable + 1, lines.Count);
    }

    [Fact]
    public async Task Stable_gross_minus_the_known_tare()
    {
        _indicator.KnownTare = new Quantity(360, Unit.Gram);
        _simulator.LoadKilograms = 12.84;

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(5));

        Assert.Equal(new Quantity(12.48, Unit.Kilogram), result.Value);
    }

    [Fact]
    public async Task Stable_gross_without_a_tare_times_out_saying_so()
    {
        _simulator.LoadKilograms = 12.83;

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(4));

        Assert.False(result.Ok);
        Assert.Equal("no stable net weight within 3000 ms (stable gross weights only, and no tare is known)", result.Error);
    }

    [Fact]
    public async Task A_weight_that_never_settles_times_out_at_the_deadline()
    {
        _simulator.SettlingTime = TimeSpan.FromHours(1);
        _simulator.TareKilograms = 0;
        _simulator.LoadKilograms = 20;
        DateTimeOffset start = _time.GetUtcNow();

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(2));

        Assert.Equal("no stable net weight within 1000 ms (last frame unstable)", result.Error);
        Assert.InRange(_time.GetUtcNow() - start, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.2));
    }

    [Fact]
    public async Task Overload_is_a_failure_at_once()
    {
        _simulator.TareKilograms = 0;
        _simulator.LoadKilograms = 100; // capacity 60 kg

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(1));

        Assert.Equal("indicator overload: weight out of range", result.Error);
        Assert.StartsWith("OL,NT,", _simulator.LinesSent[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pounds_are_refused_with_a_clear_reason()
    {
        _simulator.Unit = SimulatedWeighingUnit.Pound;
        _simulator.TareKilograms = 0;
        _simulator.LoadKilograms = 12.48;

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(1));

        Assert.StartsWith("unsupported unit 'lb': the contract carries only kilograms (KGM) and grams (GRM)", result.Error, StringComparison.Ordinal);
        Assert.True(_indicator.BadLines >= 1);
        Assert.Equal(0, _indicator.FramesReceived);
    }

    [Fact]
    public async Task Grams_are_kept_in_grams()
    {
        _simulator.Unit = SimulatedWeighingUnit.Gram;
        _simulator.Decimals = 3;
        _simulator.DivisionKilograms = 0.001;
        _simulator.TareKilograms = 0;
        _simulator.LoadKilograms = 1.234;

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(5));

        Assert.Equal(new Quantity(1234, Unit.Gram), result.Value);
    }

    [Fact]
    public async Task Silence_is_a_failure_after_the_silence_timeout()
    {
        _simulator.Silent = true;

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(3));

        Assert.Equal("indicator silent: no valid frame for 2000 ms", result.Error);
    }

    [Fact]
    public async Task Silence_after_garbage_says_what_was_received()
    {
        _simulator.Silent = true;
        _simulator.InjectLine("\u0007\u0007 9600 7E1? ");
        await CatchUpAsync();

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(3));

        Assert.Equal("indicator silent: no valid frame for 2000 ms; 1 bad lines so far, last: line with non-printable byte 0x07 discarded", result.Error);
    }

    [Fact]
    public async Task Latest_frame_is_fresh_or_a_failure_never_stale()
    {
        Assert.Equal("no frame received yet", _indicator.ReadLatestFrame().Error);

        _simulator.LoadKilograms = 5;
        await AdvanceAsync(TimeSpan.FromSeconds(2));
        DriverResult<WeighingFrame> latest = _indicator.ReadLatestFrame();
        Assert.True(latest.Ok, latest.Error);
        Assert.Equal(new Quantity(5, Unit.Kilogram), latest.Value.Value.Weight);
        Assert.Equal(WeightKind.Gross, latest.Value.Value.Kind);

        _simulator.Silent = true;
        await AdvanceAsync(TimeSpan.FromSeconds(2.5));
        Assert.StartsWith("indicator silent: last frame", _indicator.ReadLatestFrame().Error, StringComparison.Ordinal);

        _simulator.Silent = false;
        await AdvanceAsync(Frame);
        Assert.True(_indicator.ReadLatestFrame().Ok);
    }

    [Fact]
    public async Task Garbage_partial_and_overlong_lines_are_counted_and_skipped()
    {
        _simulator.TareKilograms = 0;
        _simulator.LoadKilograms = 7.5;
        await AdvanceAsync(TimeSpan.FromSeconds(0.5));
        long framesBefore = _indicator.FramesReceived;

        _simulator.InjectPartialLine(); // joins the next frame into one bad line
        await AdvanceAsync(Frame);
        _simulator.InjectBytes([0x00, 0xFF, 0x13, 0x88, 0x0D, 0x0A]);
        _simulator.InjectLine(new string('8', 500));
        _simulator.InjectLine("HELLO,WORLD,!");
        _simulator.InjectLine("ST,GS,+0012.48  lb");
        var random = new Random(9600);
        byte[] noise = new byte[2000];
        random.NextBytes(noise);
        _simulator.InjectBytes(noise);
        _simulator.InjectLine(string.Empty); // end the noise's last line
        await CatchUpAsync();
        long badAfterInjection = _indicator.BadLines;

        await AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.True(badAfterInjection >= 6, $"{badAfterInjection} bad lines");
        Assert.True(_indicator.FramesReceived >= framesBefore + 19);
        DriverResult<WeighingFrame> latest = _indicator.ReadLatestFrame();
        Assert.True(latest.Ok, latest.Error);
        Assert.Equal(new Quantity(7.5, Unit.Kilogram), latest.Value.Value.Weight);
        Assert.True(latest.Value.Value.IsStable);
    }

    [Fact]
    public async Task Frames_split_over_many_small_reads_are_reassembled()
    {
        _simulator.ReadChunkSize = 3;
        _simulator.TareKilograms = 0;
        _simulator.LoadKilograms = 3.3;

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(5));

        Assert.Equal(new Quantity(3.3, Unit.Kilogram), result.Value);
        Assert.Equal(0, _indicator.BadLines);
    }

    [Fact]
    public async Task End_of_stream_fails_reads_and_waits()
    {
        _simulator.LoadKilograms = 1;
        await AdvanceAsync(TimeSpan.FromSeconds(0.5));

        _simulator.EndStream();
        var watch = Stopwatch.StartNew();
        while (_indicator.ReadLatestFrame().Error != "serial stream closed")
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
            await Task.Delay(1);
        }

        DriverResult<Quantity> result = await _indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(1));
        Assert.Equal("serial stream closed", result.Error);
    }

    [Fact]
    public async Task Cancellation_throws()
    {
        using var cancellation = new CancellationTokenSource();
        Task<DriverResult<Quantity>> wait = _indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10), cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public void Tare_must_be_a_mass()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _indicator.KnownTare = new Quantity(1, Unit.Litre));
        Assert.Throws<ArgumentOutOfRangeException>(() => _indicator.KnownTare = new Quantity(-1, Unit.Kilogram));
        Assert.Throws<ArgumentOutOfRangeException>(() => _indicator.KnownTare = new Quantity(double.NaN, Unit.Kilogram));
        _indicator.KnownTare = null;
    }

    [Fact]
    public async Task Simulator_round_trips_a_load_within_one_division()
    {
        _simulator.TareKilograms = 0;
        _simulator.LoadKilograms = 12.837;

        DriverResult<Quantity> result = await CompleteAsync(_indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(5));

        Assert.Equal(12.837, result.Value!.Value.Value, _simulator.DivisionKilograms / 2);
        Assert.Equal(12.84, result.Value.Value.Value, 1e-9);
    }
}

public class WeighingIndicatorRealTimeTests
{
    [Fact]
    public async Task Works_on_the_system_clock()
    {
        using var simulator = new WeighingIndicatorSimulator(framesPerSecond: 50) { SettlingTime = TimeSpan.FromMilliseconds(200), TareKilograms = 0.5 };
        await using var indicator = new WeighingIndicator(simulator, shouldDispose: false);
        simulator.LoadKilograms = 10.5;

        DriverResult<Quantity> result = await indicator.WaitForStableNetAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(new Quantity(10, Unit.Kilogram), result.Value);
    }

    [Fact]
    public async Task Disposing_the_driver_ends_an_owned_stream_only()
    {
        var owned = new WeighingIndicatorSimulator(framesPerSecond: 50);
        new WeighingIndicator(owned).Dispose();
        Assert.Equal(0, await owned.ReadAsync(new byte[16]));

        using var kept = new WeighingIndicatorSimulator(framesPerSecond: 50);
        await new WeighingIndicator(kept, shouldDispose: false).DisposeAsync();
        Assert.True(await kept.ReadAsync(new byte[16]) > 0);
    }

    [Fact]
    public void Options_are_validated()
    {
        using var simulator = new WeighingIndicatorSimulator();
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeighingIndicator(simulator, false, null, new WeighingIndicatorOptions { MaxLineLength = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeighingIndicator(simulator, false, null, new WeighingIndicatorOptions { SilenceTimeout = TimeSpan.Zero }));
    }
}
