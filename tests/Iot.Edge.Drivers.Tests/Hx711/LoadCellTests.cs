namespace Iot.Edge.Drivers.Tests.Hx711;

using Iot.Contracts.Messages;
using Iot.Edge.Drivers.Hx711;

public class LoadCellTests
{
    // A 2 mV/V, 10 kg cell at gain 128: 0.002 / 10 · 128 · 2^24 = 429 496.7296 counts per kilogram.
    const double NominalCountsPerKilogram = 429_496.7296;

    [Fact]
    public void Nominal_calibration_from_the_load_cell_rating()
    {
        LoadCellCalibration calibration = LoadCellCalibration.FromRating(2.0, 10.0);
        Assert.Equal(NominalCountsPerKilogram, calibration.CountsPerKilogram, 1e-4);
        Assert.Equal(0.0, calibration.ZeroCounts);

        // Gain 64 halves it; a 3 mV/V, 50 kg cell: 0.003 / 50 · 128 · 2^24 = 128 849.0189.
        Assert.Equal(NominalCountsPerKilogram / 2, LoadCellCalibration.FromRating(2.0, 10.0, Hx711Input.ChannelAGain64).CountsPerKilogram, 1e-4);
        Assert.Equal(128_849.01888, LoadCellCalibration.FromRating(3.0, 50.0).CountsPerKilogram, 1e-4);
    }

    [Fact]
    public void Two_point_calibration_arithmetic()
    {
        // Empty scale 81 250 counts; a 2 kg test weight reads 940 250: (940 250 - 81 250) / 2 = 429 500 counts/kg.
        LoadCellCalibration calibration = LoadCellCalibration.FromTwoPoints(81_250, 940_250, 2.0);

        Assert.Equal(81_250, calibration.ZeroCounts);
        Assert.Equal(429_500, calibration.CountsPerKilogram);
        Assert.Equal(0.0, calibration.ToKilograms(81_250));
        Assert.Equal(2.0, calibration.ToKilograms(940_250));
        Assert.Equal(5.0, calibration.ToKilograms(81_250 + (5 * 429_500)));
        Assert.Equal(-0.5, calibration.ToKilograms(81_250 - 214_750));
    }

    [Fact]
    public void Swapped_signal_wires_give_a_negative_span_that_still_weighs_right()
    {
        LoadCellCalibration calibration = LoadCellCalibration.FromTwoPoints(10_000, -849_000, 2.0);
        Assert.Equal(-429_500, calibration.CountsPerKilogram);
        Assert.Equal(3.0, calibration.ToKilograms(10_000 - (3 * 429_500)));
    }

    [Fact]
    public void Two_point_calibration_refuses_nonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LoadCellCalibration.FromTwoPoints(0, 1000, 0));
        Assert.Throws<ArgumentException>(() => LoadCellCalibration.FromTwoPoints(1000, 1000, 2));
    }

    [Fact]
    public void Tare_averages_readings_and_zeroes_the_platform()
    {
        using var scale = new ScaleRig();
        scale.Simulator.OffsetMillivolts = 1.2; // an empty crate on the platform
        scale.Simulator.NoiseCounts = 20;

        DriverResult<LoadCellCalibration> tare = scale.Run(scale.Cell.TareAsync());

        Assert.True(tare.Ok, tare.Error);
        // 1.2 mV / 2.328 nV = 515 396 counts; the average of 10 noisy readings (σ = 20) is within a few counts.
        Assert.Equal(515_396, tare.Value.Value.ZeroCounts, 20.0);
        Assert.Equal(NominalCountsPerKilogram, tare.Value.Value.CountsPerKilogram, 1e-4);
        Assert.Equal(tare.Value.Value, scale.Cell.Calibration);

        DriverResult<LoadCellMeasurement> reading = scale.Run(scale.Cell.ReadAsync());
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(Unit.Kilogram, reading.Value.Value.NetMass.Unit);
        Assert.Equal(0.0, reading.Value.Value.NetMass.Value, 0.001);
    }

    [Fact]
    public void Calibration_with_a_known_mass_sets_the_span()
    {
        using var scale = new ScaleRig(new LoadCellCalibration(0, 400_000)); // a poor guess
        scale.Simulator.OffsetMillivolts = 0.8;
        Assert.True(scale.Run(scale.Cell.TareAsync()).Ok);

        scale.Simulator.Mass = _ => 2.0;
        DriverResult<LoadCellCalibration> calibrated = scale.Run(scale.Cell.CalibrateAsync(2.0));

        Assert.True(calibrated.Ok, calibrated.Error);
        Assert.Equal(NominalCountsPerKilogram, calibrated.Value.Value.CountsPerKilogram, 1.0);

        scale.Simulator.Mass = _ => 5.0;
        DriverResult<LoadCellMeasurement> reading = scale.Run(scale.Cell.ReadAsync());
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(5.0, reading.Value.Value.NetMass.Value, 0.0001);
    }

    [Fact]
    public void Calibration_without_the_mass_on_the_scale_is_refused_and_changes_nothing()
    {
        using var scale = new ScaleRig();
        LoadCellCalibration before = scale.Cell.Calibration;

        DriverResult<LoadCellCalibration> calibrated = scale.Run(scale.Cell.CalibrateAsync(2.0));

        Assert.False(calibrated.Ok);
        Assert.StartsWith("calibration refused: 2 kg moved the reading by only 0 counts", calibrated.Error, StringComparison.Ordinal);
        Assert.Equal(before, scale.Cell.Calibration);
    }

    [Fact]
    public void Tare_on_a_moving_platform_is_refused_and_changes_nothing()
    {
        using var scale = new ScaleRig();
        DateTimeOffset now = scale.Time.GetUtcNow();
        scale.Simulator.Mass = t => 0.5 * Math.Sin((t - now).TotalSeconds * 2 * Math.PI * 1.3);
        LoadCellCalibration before = scale.Cell.Calibration;

        DriverResult<LoadCellCalibration> tare = scale.Run(scale.Cell.TareAsync());

        Assert.False(tare.Ok);
        Assert.StartsWith("tare refused: the scale was not still", tare.Error, StringComparison.Ordinal);
        Assert.Equal(before, scale.Cell.Calibration);
    }

    [Fact]
    public void A_failed_read_during_tare_refuses_the_tare()
    {
        using var scale = new ScaleRig();
        scale.Simulator.NeverReady = true;

        DriverResult<LoadCellCalibration> tare = scale.Run(scale.Cell.TareAsync());

        Assert.False(tare.Ok);
        Assert.StartsWith("tare refused: reading 1 of 10 failed: ", tare.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crate_is_recorded_only_once_the_platform_has_settled()
    {
        using var scale = new ScaleRig();
        DateTimeOffset placed = scale.Time.GetUtcNow() + TimeSpan.FromSeconds(1);
        scale.Simulator.Mass = Hx711Simulator.PlaceLoad(7.5, placed, TimeSpan.FromSeconds(3));
        scale.Simulator.NoiseCounts = 30;

        // While the crate bounces, single readings are not stable.
        scale.Time.Advance(TimeSpan.FromSeconds(1.2));
        DriverResult<LoadCellMeasurement> bouncing = scale.Run(scale.Cell.ReadAsync());
        Assert.True(bouncing.Ok, bouncing.Error);
        Assert.False(bouncing.Value.Value.Stable);

        DriverResult<LoadCellMeasurement> settled = scale.Run(scale.Cell.ReadSettledAsync(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(20));

        Assert.True(settled.Ok, settled.Error);
        Assert.True(settled.Value.Value.Stable);
        Assert.Equal(Unit.Kilogram, settled.Value.Value.NetMass.Unit);
        Assert.Equal(7.5, settled.Value.Value.NetMass.Value, 0.010);
        Assert.True(scale.Time.GetUtcNow() - placed > TimeSpan.FromSeconds(1.5), "recorded while the platform still bounced");
    }

    [Fact]
    public void A_weight_that_never_settles_is_a_failure_with_the_spread()
    {
        using var scale = new ScaleRig();
        DateTimeOffset now = scale.Time.GetUtcNow();
        scale.Simulator.Mass = t => 3.0 + (0.2 * Math.Sin((t - now).TotalSeconds * 2 * Math.PI * 0.7));

        DriverResult<LoadCellMeasurement> settled = scale.Run(scale.Cell.ReadSettledAsync(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(10));

        Assert.False(settled.Ok);
        Assert.Matches(@"^weight did not settle within 3 s: the last 5 readings spread 0\.\d{3} kg \(tolerance 0\.010 kg\)$", settled.Error);
    }

    [Fact]
    public void A_failed_read_empties_the_stability_window()
    {
        using var scale = new ScaleRig();
        scale.Simulator.Mass = _ => 1.0;
        for (int i = 0; i < 5; i++)
        {
            Assert.True(scale.Run(scale.Cell.ReadAsync()).Ok);
        }

        Assert.True(scale.Run(scale.Cell.ReadAsync()).Value!.Value.Stable);

        scale.Simulator.NeverReady = true;
        Assert.False(scale.Run(scale.Cell.ReadAsync()).Ok);
        scale.Simulator.NeverReady = false;

        for (int i = 1; i <= 5; i++)
        {
            DriverResult<LoadCellMeasurement> reading = scale.Run(scale.Cell.ReadAsync());
            Assert.True(reading.Ok, reading.Error);
            Assert.Equal(i == 5, reading.Value.Value.Stable);
        }
    }

    [Fact]
    public void Stability_window_needs_a_full_window_within_the_tolerance()
    {
        var window = new StabilityWindow(5, 0.010);

        Assert.False(window.Add(1.000));
        Assert.False(window.Add(1.005));
        Assert.False(window.Add(1.002));
        Assert.False(window.Add(0.999)); // four readings: not full yet
        Assert.True(window.Add(1.003)); // spread 0.006
        Assert.Equal(0.006, window.Spread, 1e-12);
        Assert.Equal(1.0018, window.Mean, 1e-12);

        Assert.False(window.Add(1.050)); // spread 0.051
        for (int i = 0; i < 3; i++)
        {
            Assert.False(window.Add(1.050)); // the older readings are still in the window
        }

        Assert.True(window.Add(1.051));

        window.Clear();
        Assert.Equal(0, window.Count);
        Assert.False(window.IsStable);
    }

    [Fact]
    public void Stability_tolerance_is_inclusive()
    {
        var window = new StabilityWindow(2, 0.5);
        window.Add(1.0);
        Assert.True(window.Add(1.5));
    }

    sealed class ScaleRig : IDisposable
    {
        readonly Hx711Rig _rig = new();

        public ScaleRig(LoadCellCalibration? calibration = null) =>
            Cell = new LoadCell(_rig.Adc, calibration ?? LoadCellCalibration.FromRating(2.0, 10.0), timeProvider: _rig.Time);

        public LoadCell Cell { get; }

        public Hx711Simulator Simulator => _rig.Simulator;

        public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time => _rig.Time;

        public T Run<T>(Task<T> task, TimeSpan? limit = null) => _rig.Run(task, limit);

        public void Dispose() => Cell.Dispose();
    }
}
