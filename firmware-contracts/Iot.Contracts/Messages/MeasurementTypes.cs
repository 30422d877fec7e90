using System.Collections.Frozen;

namespace Iot.Contracts.Messages;

/// <summary>The units each measurement type accepts on the wire; the first is the one gateways should send.</summary>
public static class MeasurementTypes
{
    static readonly FrozenDictionary<MeasurementType, Unit[]> UnitsByType = new Dictionary<MeasurementType, Unit[]>
    {
        [MeasurementType.Temperature] = [Unit.DegreeCelsius],
        [MeasurementType.RelativeHumidity] = [Unit.Percent],
        [MeasurementType.Illuminance] = [Unit.Lux],
        [MeasurementType.Pressure] = [Unit.Kilopascal],
        [MeasurementType.VolumeFraction] = [Unit.Percent],
        [MeasurementType.Volume] = [Unit.Litre, Unit.CubicMetre],
        [MeasurementType.VolumeFlowRate] = [Unit.LitrePerMinute],
        [MeasurementType.Mass] = [Unit.Kilogram, Unit.Gram],
    }.ToFrozenDictionary();

    /// <summary>The units <paramref name="type"/> accepts.</summary>
    public static IReadOnlyList<Unit> UnitsOf(MeasurementType type) => UnitsByType[type];

    /// <summary>Whether a reading of <paramref name="type"/> may be given in <paramref name="unit"/>.</summary>
    public static bool Accepts(MeasurementType type, Unit unit) =>
        UnitsByType.TryGetValue(type, out var units) && Array.IndexOf(units, unit) >= 0;
}
