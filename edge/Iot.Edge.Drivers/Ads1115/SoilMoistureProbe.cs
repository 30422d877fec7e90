using System.Globalization;
using Iot.Contracts.Messages;

namespace Iot.Edge.Drivers.Ads1115;

/// <summary>
/// A capacitive soil moisture probe (e.g. the common "capacitive soil moisture sensor v1.2") read through one input of
/// an <see cref="Ads1115"/>, with a linear two-point calibration:
/// water content = dry % + clamp((V_dry - V) / (V_dry - V_wet), 0, 1) × (wet % - dry %).
/// </summary>
/// <remarks>
/// <para>
/// The line through two points is an approximation. A capacitive probe's output is not linear in water content
/// (it flattens towards saturation), and it shifts with soil type, salinity, temperature, supply voltage and how well
/// the soil is packed around the probe. Between the two references the error is typically a few percent of the span;
/// outside them the line means nothing, so the value is clamped to the end points.
/// </para>
/// <para>
/// Three bands: within the calibrated span (widened by <see cref="Tolerance"/> for noise at the end points) a reading
/// is plain; beyond that but within <see cref="FailureMargin"/> it is clamped and flagged
/// <see cref="SoilMoistureReading.OutsideCalibration"/> (the gateway marks it uncertain); further out it is a failure,
/// because a probe that reads far wetter than water or far drier than air is unpowered, disconnected, shorted or was
/// never calibrated.
/// </para>
/// <para>
/// The probe does not own the ADC (several probes share one ADS1115), so it is not disposable.
/// </para>
/// </remarks>
public sealed class SoilMoistureProbe
{
    readonly Ads1115 _adc;

    /// <summary>A probe on one input of an ADC.</summary>
    /// <param name="adc">The ADC the probe's output is wired to.</param>
    /// <param name="input">The input, normally single-ended (AIN0..AIN3).</param>
    /// <param name="calibration">The probe's two-point calibration.</param>
    /// <param name="range">
    /// The ADC range; ±4.096 V by default, which covers a probe's 0..3 V output. The input must stay below the ADC's
    /// VDD + 0.3 V whatever the range (ADS1115 datasheet section 7.1).
    /// </param>
    public SoilMoistureProbe(Ads1115 adc, Ads1115Input input, SoilMoistureCalibration calibration, Ads1115Range range = Ads1115Range.PlusMinus4096mV)
    {
        ArgumentNullException.ThrowIfNull(adc);
        if (!Enum.IsDefined(input))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input, "not an input setting");
        }

        _ = Ads1115.FullScaleVolts(range);
        _adc = adc;
        Input = input;
        Range = range;
        Calibration = calibration;
    }

    /// <summary>What the probe reports: <see cref="MeasurementType.VolumeFraction"/>, in <see cref="Unit.Percent"/>.</summary>
    public static MeasurementType Measures => MeasurementType.VolumeFraction;

    /// <summary>The ADC input the probe is wired to.</summary>
    public Ads1115Input Input { get; }

    /// <summary>The ADC range the probe is read with.</summary>
    public Ads1115Range Range { get; }

    /// <summary>The probe's calibration; may be replaced after a field calibration.</summary>
    /// <exception cref="ArgumentException">The calibration is unusable (see <see cref="SoilMoistureCalibration.Validate"/>).</exception>
    public SoilMoistureCalibration Calibration
    {
        get;
        set
        {
            value.Validate();
            field = value;
        }
    }

    /// <summary>
    /// How far outside the calibrated span, as a fraction of the span, a voltage may lie and still count as the end
    /// point without a flag (noise and drift at the references). 0.05 by default.
    /// </summary>
    public double Tolerance
    {
        get;
        set => field = value >= 0 && value <= FailureMargin ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "0 <= tolerance <= failure margin");
    } = 0.05;

    /// <summary>
    /// How far outside the calibrated span, as a fraction of the span, a voltage may lie before the read is a failure
    /// rather than a flagged reading. 0.25 by default: with the typical 2.54 V / 1.27 V calibration, below 0.95 V
    /// or above 2.86 V.
    /// </summary>
    public double FailureMargin
    {
        get;
        set => field = value >= Tolerance && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "failure margin >= tolerance");
    } = 0.25;

    /// <summary>
    /// The water content for a probe voltage, by the linear two-point calibration, with the flag and failure bands
    /// described on the class.
    /// </summary>
    /// <param name="volts">The probe's output.</param>
    /// <param name="calibration">The probe's calibration.</param>
    /// <param name="tolerance">Fraction of the span outside it that still counts as the end point, unflagged.</param>
    /// <param name="failureMargin">Fraction of the span outside it beyond which the reading is a failure.</param>
    public static DriverResult<SoilMoistureReading> Convert(double volts, SoilMoistureCalibration calibration, double tolerance = 0.05, double failureMargin = 0.25)
    {
        calibration.Validate();
        if (!(tolerance >= 0 && failureMargin >= tolerance && double.IsFinite(failureMargin)))
        {
            throw new ArgumentOutOfRangeException(nameof(failureMargin), failureMargin, "0 <= tolerance <= failure margin");
        }

        if (!double.IsFinite(volts))
        {
            return DriverResult<SoilMoistureReading>.Failure("probe voltage is not a number");
        }

        // 0 at the dry reference, 1 at the wet reference.
        double fraction = (calibration.DryVolts - volts) / calibration.SpanVolts;
        if (fraction < -failureMargin)
        {
            return Fail($"probe reads {volts:0.000} V, {volts - calibration.DryVolts:0.000} V above its dry calibration {calibration.DryVolts:0.000} V: input open or pulled up, supply changed, or probe not calibrated");
        }

        if (fraction > 1 + failureMargin)
        {
            return Fail($"probe reads {volts:0.000} V, {calibration.WetVolts - volts:0.000} V below its wet calibration {calibration.WetVolts:0.000} V: probe unpowered, disconnected or shorted, or not calibrated");
        }

        bool outside = fraction < -tolerance || fraction > 1 + tolerance;
        double percent = calibration.DryPercent + (Math.Clamp(fraction, 0.0, 1.0) * (calibration.WetPercent - calibration.DryPercent));
        return DriverResult<SoilMoistureReading>.Success(new SoilMoistureReading(new Quantity(percent, Unit.Percent), volts, outside));
    }

    /// <summary>Reads the probe: one ADC conversion, then <see cref="Convert"/>.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The water content, or the ADC's failure, or a failure for a voltage far outside the calibration.</returns>
    public async Task<DriverResult<SoilMoistureReading>> ReadAsync(CancellationToken cancellationToken = default)
    {
        DriverResult<Ads1115Conversion> conversion = await _adc.ReadAsync(Input, Range, cancellationToken).ConfigureAwait(false);
        return conversion.Ok
            ? Convert(conversion.Value.Value.Volts, Calibration, Tolerance, FailureMargin)
            : DriverResult<SoilMoistureReading>.Failure(conversion.Error);
    }

    static DriverResult<SoilMoistureReading> Fail(FormattableString reason) =>
        DriverResult<SoilMoistureReading>.Failure(reason.ToString(CultureInfo.InvariantCulture));
}
