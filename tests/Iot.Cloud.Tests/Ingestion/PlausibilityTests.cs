using Iot.Cloud.Ingestion;
using Iot.Contracts.Messages;

namespace Iot.Cloud.Tests.Ingestion;

public sealed class PlausibilityTests
{
    [Theory]
    [InlineData(MeasurementType.Temperature, Unit.DegreeCelsius, -60, 80)]
    [InlineData(MeasurementType.RelativeHumidity, Unit.Percent, 0, 100)]
    [InlineData(MeasurementType.VolumeFraction, Unit.Percent, 0, 100)]
    [InlineData(MeasurementType.Illuminance, Unit.Lux, 0, 200_000)]
    [InlineData(MeasurementType.Pressure, Unit.Kilopascal, 0, 1_600)]
    [InlineData(MeasurementType.Volume, Unit.Litre, 0, 1_000_000)]
    [InlineData(MeasurementType.Volume, Unit.CubicMetre, 0, 1_000)]
    [InlineData(MeasurementType.Volume, Unit.Millilitre, 0, 1_000_000_000)]
    [InlineData(MeasurementType.VolumeFlowRate, Unit.LitrePerMinute, 0, 50_000)]
    [InlineData(MeasurementType.Mass, Unit.Kilogram, -1, 5_000)]
    [InlineData(MeasurementType.Mass, Unit.Gram, -1_000, 5_000_000)]
    public void Bounds_are_inclusive_and_scaled_to_the_unit(MeasurementType type, Unit unit, double min, double max)
    {
        Assert.Equal((min, max), Plausibility.Bounds(type, unit));
        Assert.True(Plausibility.Check(type, unit, min, out string? atMin), atMin);
        Assert.True(Plausibility.Check(type, unit, max, out string? atMax), atMax);
        Assert.Null(atMax);
        Assert.False(Plausibility.Check(type, unit, Math.BitDecrement(min), out _));
        Assert.False(Plausibility.Check(type, unit, Math.BitIncrement(max), out _));
    }

    [Fact]
    public void The_same_mass_is_judged_the_same_in_grams_and_kilograms()
    {
        Assert.True(Plausibility.Check(MeasurementType.Mass, Unit.Kilogram, 4_999, out _));
        Assert.True(Plausibility.Check(MeasurementType.Mass, Unit.Gram, 4_999_000, out _));
        Assert.False(Plausibility.Check(MeasurementType.Mass, Unit.Kilogram, 5_001, out _));
        Assert.False(Plausibility.Check(MeasurementType.Mass, Unit.Gram, 5_001_000, out _));
    }

    [Theory]
    [InlineData(MeasurementType.Temperature, Unit.DegreeCelsius, 500, "500 CEL is not a plausible Temperature (expected -60 to 80 CEL)")]
    [InlineData(MeasurementType.RelativeHumidity, Unit.Percent, -5, "-5 P1 is not a plausible RelativeHumidity (expected 0 to 100 P1)")]
    [InlineData(MeasurementType.Mass, Unit.Gram, 6_000_000, "6000000 GRM is not a plausible Mass (expected -1000 to 5000000 GRM)")]
    public void A_refusal_names_the_value_its_unit_the_quantity_and_the_bounds(MeasurementType type, Unit unit, double value, string expected)
    {
        Assert.False(Plausibility.Check(type, unit, value, out string? reason));
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NaN_and_infinities_are_never_plausible(double value)
    {
        foreach (var type in Enum.GetValues<MeasurementType>())
        {
            foreach (var unit in MeasurementTypes.UnitsOf(type))
            {
                Assert.False(Plausibility.Check(type, unit, value, out string? reason), $"{type} {unit}");
                Assert.NotNull(reason);
            }
        }
    }

    [Fact]
    public void Every_measurement_type_has_finite_bounds_in_every_unit_it_takes()
    {
        foreach (var type in Enum.GetValues<MeasurementType>())
        {
            foreach (var unit in MeasurementTypes.UnitsOf(type))
            {
                var (min, max) = Plausibility.Bounds(type, unit);
                Assert.True(double.IsFinite(min) && double.IsFinite(max) && min < max, $"{type} in {unit}: {min} to {max}");
            }
        }
    }
}
