using Iot.Contracts.Messages;
using Iot.Edge.Drivers.Ads1115;
using Iot.Edge.Drivers.Tests.I2c;
using Microsoft.Extensions.Time.Testing;
using Adc = Iot.Edge.Drivers.Ads1115.Ads1115;

namespace Iot.Edge.Drivers.Tests.Ads1115;

public class SoilMoistureProbeTests
{
    static readonly SoilMoistureCalibration AirAndWater = new(DryVolts: 2.54, WetVolts: 1.27);

    readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(2.54, 0.0)]
    [InlineData(1.27, 100.0)]
    [InlineData(1.905, 50.0)]
    [InlineData(2.2225, 25.0)]
    public void Water_content_is_linear_between_the_dry_and_wet_references(double volts, double percent)
    {
        var result = SoilMoistureProbe.Convert(volts, AirAndWater);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(percent, result.Value.Value.WaterContent.Value, 9);
        Assert.Equal(Unit.Percent, result.Value.Value.WaterContent.Unit);
        Assert.False(result.Value.Value.OutsideCalibration);
    }

    [Fact]
    public void Soil_specific_references_map_to_their_own_water_contents()
    {
        // Air-dry soil measured at 5 % by oven-drying, saturated soil at 45 %.
        var field = new SoilMoistureCalibration(DryVolts: 2.30, WetVolts: 1.50, DryPercent: 5, WetPercent: 45);

        Assert.Equal(25.0, SoilMoistureProbe.Convert(1.90, field).Value!.Value.WaterContent.Value, 9);
        Assert.Equal(5.0, SoilMoistureProbe.Convert(2.30, field).Value!.Value.WaterContent.Value, 9);
    }

    [Theory]
    [InlineData(2.58)] // 3 % of the span drier than the dry reference
    [InlineData(1.24)] // 2 % of the span wetter than the wet reference
    public void Readings_just_past_a_reference_count_as_the_reference_without_a_flag(double volts)
    {
        var result = SoilMoistureProbe.Convert(volts, AirAndWater);

        Assert.True(result.Ok, result.Error);
        Assert.InRange(result.Value.Value.WaterContent.Value, 0.0, 100.0);
        Assert.False(result.Value.Value.OutsideCalibration);
    }

    [Theory]
    [InlineData(2.75, 0.0)] // 17 % of the span drier than air
    [InlineData(1.00, 100.0)] // 21 % of the span wetter than water
    public void Readings_outside_the_calibration_are_clamped_and_flagged(double volts, double percent)
    {
        var result = SoilMoistureProbe.Convert(volts, AirAndWater);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(percent, result.Value.Value.WaterContent.Value);
        Assert.True(result.Value.Value.OutsideCalibration);
        Assert.Equal(volts, result.Value.Value.Volts);
    }

    [Fact]
    public void A_probe_reading_far_wetter_than_water_is_a_failure()
    {
        var result = SoilMoistureProbe.Convert(0.02, AirAndWater);

        Assert.False(result.Ok);
        Assert.Equal("probe reads 0.020 V, 1.250 V below its wet calibration 1.270 V: probe unpowered, disconnected or shorted, or not calibrated", result.Error);
    }

    [Fact]
    public void A_probe_reading_far_drier_than_air_is_a_failure()
    {
        var result = SoilMoistureProbe.Convert(3.30, AirAndWater);

        Assert.False(result.Ok);
        Assert.StartsWith("probe reads 3.300 V, 0.760 V above its dry calibration 2.540 V", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.2, 2.5, 0, 100)] // dry below wet
    [InlineData(2.5, 2.5, 0, 100)]
    [InlineData(2.5, 1.2, 50, 40)] // dry content above wet
    [InlineData(2.5, 1.2, -1, 40)]
    [InlineData(double.NaN, 1.2, 0, 100)]
    public void Unusable_calibrations_are_refused(double dry, double wet, double dryPercent, double wetPercent)
    {
        var calibration = new SoilMoistureCalibration(dry, wet, dryPercent, wetPercent);

        Assert.Throws<ArgumentException>(calibration.Validate);
    }

    [Fact]
    public async Task A_probe_reads_its_input_through_the_ADC_and_reports_volume_fraction_in_percent()
    {
        var chip = new Ads1115Simulator(timeProvider: _time) { Ain1 = _ => 1.905 };
        using var adc = new Adc(chip, _time);
        var probe = new SoilMoistureProbe(adc, Ads1115Input.Ain1, AirAndWater);
        chip.ClearTransfers();

        var result = await _time.Drive(() => probe.ReadAsync());

        Assert.True(result.Ok, result.Error);
        Assert.Equal(MeasurementType.VolumeFraction, SoilMoistureProbe.Measures);
        Assert.True(MeasurementTypes.Accepts(SoilMoistureProbe.Measures, result.Value.Value.WaterContent.Unit));
        Assert.Equal(50.0, result.Value.Value.WaterContent.Value, 1);
        Assert.Equal([0x01, 0xD3, 0x83], chip.Writes[0]); // AIN1 single-ended, ±4.096 V, 128 SPS
    }

    [Fact]
    public async Task A_probe_passes_on_the_ADC_failure()
    {
        var chip = new Ads1115Simulator(timeProvider: _time);
        using var adc = new Adc(chip, _time);
        var probe = new SoilMoistureProbe(adc, Ads1115Input.Ain0, AirAndWater);
        chip.Nack = true;

        var result = await _time.Drive(() => probe.ReadAsync());

        Assert.False(result.Ok);
        Assert.StartsWith("no acknowledge writing config", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recalibrated_probe_uses_its_new_calibration()
    {
        var chip = new Ads1115Simulator(timeProvider: _time) { Ain0 = _ => 2.0 };
        using var adc = new Adc(chip, _time);
        var probe = new SoilMoistureProbe(adc, Ads1115Input.Ain0, AirAndWater);

        probe.Calibration = new SoilMoistureCalibration(DryVolts: 2.5, WetVolts: 1.5);
        var result = await _time.Drive(() => probe.ReadAsync());

        Assert.Equal(50.0, result.Value!.Value.WaterContent.Value, 2);
        Assert.Throws<ArgumentException>(() => probe.Calibration = new SoilMoistureCalibration(1.0, 2.0));
    }

    [Fact]
    public void Tolerance_and_failure_margin_must_nest()
    {
        using var adc = new Adc(new Ads1115Simulator(timeProvider: _time), _time);
        var probe = new SoilMoistureProbe(adc, Ads1115Input.Ain0, SoilMoistureCalibration.TypicalCapacitiveV12At5V);

        Assert.Throws<ArgumentOutOfRangeException>(() => probe.Tolerance = 0.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => probe.FailureMargin = 0.01);
        probe.FailureMargin = 0.6;
        probe.Tolerance = 0.5;
        Assert.Equal(0.5, probe.Tolerance);
    }
}
