namespace Iot.Contracts.Messages;

/// <summary>The UN/ECE Rec 20 code of each <see cref="Unit"/>, as it appears on the wire and in EPCIS <c>uom</c>.</summary>
public static class UnitCodes
{
    /// <summary>The code, e.g. <c>CEL</c> for <see cref="Unit.DegreeCelsius"/>.</summary>
    public static string Code(this Unit unit) => unit switch
    {
        Unit.DegreeCelsius => "CEL",
        Unit.Percent => "P1",
        Unit.Lux => "LUX",
        Unit.Kilopascal => "KPA",
        Unit.Litre => "LTR",
        Unit.Millilitre => "MLT",
        Unit.CubicMetre => "MTQ",
        Unit.LitrePerMinute => "L2",
        Unit.Kilogram => "KGM",
        Unit.Gram => "GRM",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "not a unit of the contract"),
    };
}
