namespace Iot.Edge.Drivers.Ads1115;

/// <summary>
/// A two-point calibration of one capacitive soil moisture probe: the probe's output voltage at a dry and at a wet
/// reference, and the volumetric water content those references stand for. A capacitive probe's output falls as the
/// water around it rises, so <see cref="DryVolts"/> must be above <see cref="WetVolts"/>.
/// </summary>
/// <remarks>
/// With the default end points (0 % and 100 %) and references taken in air and in water, the result is a relative
/// wetness index between "air" and "water", not a true volumetric water content: real soils hold at most about 40 to
/// 50 % water. For a volumetric reading, take the references in the field's own soil (air-dry and saturated samples
/// whose water content was measured by weighing and oven-drying) and enter their contents as
/// <see cref="DryPercent"/> and <see cref="WetPercent"/>.
/// </remarks>
/// <param name="DryVolts">Probe output at the dry reference, volts.</param>
/// <param name="WetVolts">Probe output at the wet reference, volts.</param>
/// <param name="DryPercent">Volumetric water content the dry reference stands for, %; 0 by default.</param>
/// <param name="WetPercent">Volumetric water content the wet reference stands for, %; 100 by default.</param>
public readonly record struct SoilMoistureCalibration(double DryVolts, double WetVolts, double DryPercent = 0, double WetPercent = 100)
{
    /// <summary>
    /// Typical values for a "capacitive soil moisture sensor v1.2" module powered at 5 V, in air (2.54 V) and in water
    /// (1.27 V): DFRobot's SEN0193 documentation gives 520 and 260 counts of a 10-bit ADC referenced to 5 V for these
    /// two references. Only a starting point: every probe, supply and insertion differs, so calibrate each probe.
    /// </summary>
    public static SoilMoistureCalibration TypicalCapacitiveV12At5V { get; } = new(DryVolts: 2.54, WetVolts: 1.27);

    /// <summary>The dry minus the wet voltage: how far the probe's output moves across the calibrated range.</summary>
    public double SpanVolts => DryVolts - WetVolts;

    /// <summary>Throws when the calibration cannot be used.</summary>
    /// <exception cref="ArgumentException">A value is not finite, the dry voltage is not above the wet voltage, or the percentages are not 0 ≤ dry &lt; wet ≤ 100.</exception>
    public void Validate()
    {
        if (!double.IsFinite(DryVolts) || !double.IsFinite(WetVolts) || !double.IsFinite(DryPercent) || !double.IsFinite(WetPercent))
        {
            throw new ArgumentException("calibration values must be finite numbers");
        }

        if (DryVolts <= WetVolts)
        {
            throw new ArgumentException(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"a capacitive probe reads higher when dry: dry {DryVolts} V must be above wet {WetVolts} V"));
        }

        if (DryPercent < 0 || WetPercent > 100 || DryPercent >= WetPercent)
        {
            throw new ArgumentException(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"water contents must satisfy 0 <= dry ({DryPercent} %) < wet ({WetPercent} %) <= 100"));
        }
    }
}
