namespace Iot.Edge.Drivers.Hx711;

/// <summary>
/// How HX711 counts become kilograms: <c>mass = (counts - ZeroCounts) / CountsPerKilogram</c>. A straight line
/// through two points, the empty scale (tare) and a known mass (span), which is how strain-gauge scales are
/// calibrated.
/// </summary>
/// <param name="ZeroCounts">The count with nothing (or only the tare) on the scale.</param>
/// <param name="CountsPerKilogram">Counts per kilogram of load; negative when the signal wires are swapped.</param>
public readonly record struct LoadCellCalibration(double ZeroCounts, double CountsPerKilogram)
{
    /// <summary>The net mass in kilograms for a count.</summary>
    /// <param name="counts">A conversion's count (or an average of several).</param>
    public double ToKilograms(double counts)
    {
        if (CountsPerKilogram == 0 || !double.IsFinite(CountsPerKilogram))
        {
            throw new InvalidOperationException("the calibration has no span (counts per kilogram is zero or not finite)");
        }

        return (counts - ZeroCounts) / CountsPerKilogram;
    }

    /// <summary>The calibration through two points: the empty scale and a known mass.</summary>
    /// <param name="zeroCounts">Average count with the scale empty.</param>
    /// <param name="loadedCounts">Average count with the known mass on it.</param>
    /// <param name="knownMassKilograms">The known mass (a test weight), greater than zero.</param>
    public static LoadCellCalibration FromTwoPoints(double zeroCounts, double loadedCounts, double knownMassKilograms)
    {
        if (!double.IsFinite(knownMassKilograms) || knownMassKilograms <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(knownMassKilograms), knownMassKilograms, "the known mass must be positive");
        }

        if (loadedCounts == zeroCounts)
        {
            throw new ArgumentException("the known mass did not change the reading", nameof(loadedCounts));
        }

        return new LoadCellCalibration(zeroCounts, (loadedCounts - zeroCounts) / knownMassKilograms);
    }

    /// <summary>
    /// A nominal calibration from the load cell's data sheet, before a test weight is at hand. With the bridge excited
    /// by AVDD (the HX711's on-chip regulator), the count per kilogram does not depend on the voltage:
    /// counts/kg = S / 1000 / capacity · GAIN · 2^24, from full scale ±0.5·AVDD/GAIN over ±2^23 codes (HX711 datasheet,
    /// "Key Electrical Characteristics" and Table 2). 2 mV/V, 10 kg, gain 128: 429 496.7 counts/kg.
    /// </summary>
    /// <param name="ratedOutputMillivoltsPerVolt">The load cell's rated output S (typically 1..3 mV/V).</param>
    /// <param name="capacityKilograms">The load cell's rated capacity.</param>
    /// <param name="input">The HX711 input and gain the cell is read with.</param>
    /// <param name="zeroCounts">The count with nothing on the scale, when known.</param>
    public static LoadCellCalibration FromRating(double ratedOutputMillivoltsPerVolt, double capacityKilograms, Hx711Input input = Hx711Input.ChannelAGain128, double zeroCounts = 0)
    {
        if (!double.IsFinite(ratedOutputMillivoltsPerVolt) || ratedOutputMillivoltsPerVolt == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ratedOutputMillivoltsPerVolt), ratedOutputMillivoltsPerVolt, "rated output must be non-zero");
        }

        if (!double.IsFinite(capacityKilograms) || capacityKilograms <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacityKilograms), capacityKilograms, "capacity must be positive");
        }

        return new LoadCellCalibration(zeroCounts, ratedOutputMillivoltsPerVolt / 1000.0 / capacityKilograms * Hx711.Gain(input) * 16_777_216.0);
    }
}
