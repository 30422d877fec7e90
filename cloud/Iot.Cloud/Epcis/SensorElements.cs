using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Iot.Cloud.Epcis;

/// <summary>One sensor's (or one device's) data in an event: what it is and what it reported.</summary>
public sealed class SensorElement
{
    /// <summary>About the device and the period.</summary>
    [JsonPropertyName("sensorMetadata")]
    public SensorMetadata? SensorMetadata { get; set; }

    /// <summary>The reports: a value, or aggregates over the period, per measurement type.</summary>
    [JsonPropertyName("sensorReport")]
    public required IList<SensorReport> SensorReport { get; set; }

    /// <summary>Keys this model does not name (namespaced extensions), kept for writing back.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>About the device and the period of a <see cref="SensorElement"/>.</summary>
public sealed class SensorMetadata
{
    /// <summary>When the reports were taken (a single time).</summary>
    [JsonPropertyName("time")]
    public DateTimeOffset? Time { get; set; }

    /// <summary>The device's URI.</summary>
    [JsonPropertyName("deviceID")]
    public string? DeviceId { get; set; }

    /// <summary>Where the device's description is.</summary>
    [JsonPropertyName("deviceMetadata")]
    public string? DeviceMetadata { get; set; }

    /// <summary>Where the raw data are (the series the aggregates were made from).</summary>
    [JsonPropertyName("rawData")]
    public string? RawData { get; set; }

    /// <summary>Start of the period the reports cover.</summary>
    [JsonPropertyName("startTime")]
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>End of the period the reports cover.</summary>
    [JsonPropertyName("endTime")]
    public DateTimeOffset? EndTime { get; set; }

    /// <summary>How the data were processed (a URI).</summary>
    [JsonPropertyName("dataProcessingMethod")]
    public string? DataProcessingMethod { get; set; }

    /// <summary>The business rules the reports are judged by (a URI).</summary>
    [JsonPropertyName("bizRules")]
    public string? BizRules { get; set; }

    /// <summary>Keys this model does not name (namespaced extensions), kept for writing back.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>
/// One report of a <see cref="SensorElement"/>. Numbers are <see cref="decimal"/>, so a value written as
/// <c>26.0</c> is read and written back as <c>26.0</c>.
/// </summary>
public sealed class SensorReport
{
    /// <summary>The measurement type: a CBV name (<c>Temperature</c>) or a URI.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; set; }

    /// <summary><c>ALARM_CONDITION</c>, <c>ERROR_CONDITION</c>, or a URI of one's own.</summary>
    [JsonPropertyName("exception")]
    public string? Exception { get; set; }

    /// <summary>The device's URI, when it differs from the metadata's.</summary>
    [JsonPropertyName("deviceID")]
    public string? DeviceId { get; set; }

    /// <summary>Where the device's description is.</summary>
    [JsonPropertyName("deviceMetadata")]
    public string? DeviceMetadata { get; set; }

    /// <summary>Where the raw data are.</summary>
    [JsonPropertyName("rawData")]
    public string? RawData { get; set; }

    /// <summary>How the data were processed (a URI).</summary>
    [JsonPropertyName("dataProcessingMethod")]
    public string? DataProcessingMethod { get; set; }

    /// <summary>The business rules (a URI).</summary>
    [JsonPropertyName("bizRules")]
    public string? BizRules { get; set; }

    /// <summary>When this report was taken.</summary>
    [JsonPropertyName("time")]
    public DateTimeOffset? Time { get; set; }

    /// <summary>The microorganism measured (a URI).</summary>
    [JsonPropertyName("microorganism")]
    public string? Microorganism { get; set; }

    /// <summary>The chemical substance measured (a URI).</summary>
    [JsonPropertyName("chemicalSubstance")]
    public string? ChemicalSubstance { get; set; }

    /// <summary>The coordinate reference system of a position (a URI).</summary>
    [JsonPropertyName("coordinateReferenceSystem")]
    public string? CoordinateReferenceSystem { get; set; }

    /// <summary>A single value.</summary>
    [JsonPropertyName("value")]
    public decimal? Value { get; set; }

    /// <summary>The component of a vector or position (<c>x</c>, <c>latitude</c>, or a URI).</summary>
    [JsonPropertyName("component")]
    public string? Component { get; set; }

    /// <summary>A text value.</summary>
    [JsonPropertyName("stringValue")]
    public string? StringValue { get; set; }

    /// <summary>A true/false value.</summary>
    [JsonPropertyName("booleanValue")]
    public bool? BooleanValue { get; set; }

    /// <summary>A binary value, hex.</summary>
    [JsonPropertyName("hexBinaryValue")]
    public string? HexBinaryValue { get; set; }

    /// <summary>A URI value.</summary>
    [JsonPropertyName("uriValue")]
    public string? UriValue { get; set; }

    /// <summary>Smallest value over the period.</summary>
    [JsonPropertyName("minValue")]
    public decimal? MinValue { get; set; }

    /// <summary>Largest value over the period.</summary>
    [JsonPropertyName("maxValue")]
    public decimal? MaxValue { get; set; }

    /// <summary>Mean over the period.</summary>
    [JsonPropertyName("meanValue")]
    public decimal? MeanValue { get; set; }

    /// <summary>Standard deviation over the period.</summary>
    [JsonPropertyName("sDev")]
    public decimal? SDev { get; set; }

    /// <summary>The percentile rank that <see cref="PercValue"/> belongs to.</summary>
    [JsonPropertyName("percRank")]
    public decimal? PercRank { get; set; }

    /// <summary>The value at <see cref="PercRank"/>.</summary>
    [JsonPropertyName("percValue")]
    public decimal? PercValue { get; set; }

    /// <summary>UN/ECE Recommendation 20 unit (<c>CEL</c>, <c>P1</c>, <c>KGM</c>).</summary>
    [JsonPropertyName("uom")]
    public string? Uom { get; set; }

    /// <summary>Keys this model does not name (namespaced extensions), kept for writing back.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}
