using Iot.Contracts.Messages;

namespace Iot.Cloud.Ingestion;

/// <summary>
/// What a value can physically be on a farm, per measurement type, in that type's first unit. A value outside is
/// a broken sensor, a wrong calibration or a forged message, and is refused rather than charted. The bounds are wide on
/// purpose (records plus margin): they catch nonsense, not weather.
/// </summary>
public static class Plausibility
{
    /// <summary>The inclusive bounds of <paramref name="type"/>, in <paramref name="unit"/>.</summary>
    public static (double Min, double Max) Bounds(MeasurementType type, Unit unit)
    {
        var (min, max) = type switch
        {
            // Air, soil and cold rooms: China's lowest recorded air temperature is -53 °C, the world's highest 56.7 °C;
            // a closed greenhouse in sun can pass 60 °C.
            MeasurementType.Temperature => (-60.0, 80.0),
            MeasurementType.RelativeHumidity => (0.0, 100.0),
            MeasurementType.VolumeFraction => (0.0, 100.0),

            // Direct sunlight is about 100,000-130,000 lx.
            MeasurementType.Illuminance => (0.0, 200_000.0),

            // Barometric (about 50-108 kPa from high plateaus to sea level) and irrigation line pressure (up to ~16 bar).
            MeasurementType.Pressure => (0.0, 1_600.0),

            // Per reading interval, litres: a large centre pivot moves about 5,000 L/min.
            MeasurementType.Volume => (0.0, 1_000_000.0),
            MeasurementType.VolumeFlowRate => (0.0, 50_000.0),

            // A tared scale reads slightly below zero when emptied; a pallet scale tops out at a few tonnes.
            MeasurementType.Mass => (-1.0, 5_000.0),
            _ => (double.NegativeInfinity, double.PositiveInfinity),
        };

        double scale = unit switch
        {
            Unit.Millilitre => 1_000.0,
            Unit.CubicMetre => 0.001,
            Unit.Gram => 1_000.0,
            _ => 1.0,
        };
        return (min * scale, max * scale);
    }

    /// <summary>Whether <paramref name="value"/> in <paramref name="unit"/> can be a <paramref name="type"/>; if not, says why.</summary>
    public static bool Check(MeasurementType type, Unit unit, double value, out string? reason)
    {
        var (min, max) = Bounds(type, unit);
        if (value >= min && value <= max)
        {
            reason = null;
            return true;
        }

        reason = $"{value} {unit.Code()} is not a plausible {type} (expected {min} to {max} {unit.Code()})";
        return false;
    }
}
