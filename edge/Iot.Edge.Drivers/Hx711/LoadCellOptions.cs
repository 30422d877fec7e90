using Iot.Contracts.Messages;

namespace Iot.Edge.Drivers.Hx711;

/// <summary>How a <see cref="LoadCell"/> tares, calibrates and decides a weight has settled.</summary>
public sealed class LoadCellOptions
{
    /// <summary>Readings averaged for a tare (10 by default: one second at 10 SPS).</summary>
    public int TareSamples { get; init; } = 10;

    /// <summary>Readings averaged for the known-mass point of a calibration (10 by default).</summary>
    public int CalibrationSamples { get; init; } = 10;

    /// <summary>Consecutive readings that must agree for a weight to count as settled (5 by default: 0.5 s at 10 SPS).</summary>
    public int StabilityReadings { get; init; } = 5;

    /// <summary>The largest spread of those readings, in kilograms, that counts as settled (10 g by default).</summary>
    public double StabilityToleranceKilograms { get; init; } = 0.010;

    /// <summary>
    /// The least change of count a calibration mass must make (1000 by default, about 2.3 g with a 2 mV/V, 10 kg cell
    /// at gain 128): less means the mass is not on the scale or the cell is not wired.
    /// </summary>
    public double MinimumCalibrationCounts { get; init; } = 1000;

    internal void Validate()
    {
        if (TareSamples < 1 || CalibrationSamples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TareSamples), "tare and calibration need at least one sample");
        }

        if (StabilityReadings < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(StabilityReadings), StabilityReadings, "stability needs at least two readings");
        }

        if (!double.IsFinite(StabilityToleranceKilograms) || StabilityToleranceKilograms < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(StabilityToleranceKilograms), StabilityToleranceKilograms, "must be zero or positive");
        }

        if (!double.IsFinite(MinimumCalibrationCounts) || MinimumCalibrationCounts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumCalibrationCounts), MinimumCalibrationCounts, "must be zero or positive");
        }
    }
}

/// <summary>A weighing.</summary>
/// <param name="NetMass">Net mass in kilograms (gross minus tare); negative when less than the tare is on the scale.</param>
/// <param name="Stable">Whether the last <see cref="LoadCellOptions.StabilityReadings"/> readings agreed within the tolerance.</param>
/// <param name="Counts">The HX711 count of the reading (for diagnostics and re-calibration).</param>
public readonly record struct LoadCellMeasurement(Quantity NetMass, bool Stable, int Counts);
