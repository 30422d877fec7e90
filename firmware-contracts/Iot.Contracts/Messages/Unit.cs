using System.Text.Json.Serialization;

namespace Iot.Contracts.Messages;

/// <summary>Units as UN/ECE Recommendation 20 common codes, the codes EPCIS 2.0 uses for <c>uom</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Unit>))]
public enum Unit
{
    /// <summary>Degree Celsius, <c>CEL</c>.</summary>
    [JsonStringEnumMemberName("CEL")]
    DegreeCelsius,

    /// <summary>Percent, <c>P1</c> (relative humidity, volumetric soil water content).</summary>
    [JsonStringEnumMemberName("P1")]
    Percent,

    /// <summary>Lux, <c>LUX</c>.</summary>
    [JsonStringEnumMemberName("LUX")]
    Lux,

    /// <summary>Kilopascal, <c>KPA</c>.</summary>
    [JsonStringEnumMemberName("KPA")]
    Kilopascal,

    /// <summary>Litre, <c>LTR</c>.</summary>
    [JsonStringEnumMemberName("LTR")]
    Litre,

    /// <summary>Millilitre, <c>MLT</c>.</summary>
    [JsonStringEnumMemberName("MLT")]
    Millilitre,

    /// <summary>Cubic metre, <c>MTQ</c>.</summary>
    [JsonStringEnumMemberName("MTQ")]
    CubicMetre,

    /// <summary>Litre per minute, <c>L2</c>.</summary>
    [JsonStringEnumMemberName("L2")]
    LitrePerMinute,

    /// <summary>Kilogram, <c>KGM</c>.</summary>
    [JsonStringEnumMemberName("KGM")]
    Kilogram,

    /// <summary>Gram, <c>GRM</c>.</summary>
    [JsonStringEnumMemberName("GRM")]
    Gram,
}
