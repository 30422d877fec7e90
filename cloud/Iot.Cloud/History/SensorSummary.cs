using System.Text.Json.Serialization;

namespace Iot.Cloud.History;

/// <summary>How a series belongs to a batch's record (JSON: <c>stamped</c>, <c>zone</c>).</summary>
[JsonConverter(typeof(SeriesLinkJsonConverter))]
public enum SeriesLink
{
    /// <summary>The readings carry the batch's trace code (the <c>batch</c> tag).</summary>
    Stamped,

    /// <summary>A sensor of a zone the batch occupied, counted during its stay even where a stamp is missing.</summary>
    Zone,
}

/// <summary>
/// One sensor series over one interval, aggregated: what exports carry instead of the raw series (GS1 advises interval
/// aggregates; <c>rawData</c> points at the series export). <see cref="Count"/> is 0 for an interval with no readings
/// (a gap): then <see cref="Min"/>, <see cref="Max"/> and <see cref="Mean"/> are null, never interpolated.
/// </summary>
/// <param name="Measurement">The CBV measurement type (<c>Temperature</c>, <c>RelativeHumidity</c>, ...).</param>
/// <param name="Unit">The UN/ECE Recommendation 20 unit code (<c>CEL</c>, <c>P1</c>, ...).</param>
/// <param name="GatewayId">The gateway (InfluxDB tag <c>gateway</c>).</param>
/// <param name="GatewayZone">The zone as the gateway names it (tag <c>zone</c>).</param>
/// <param name="ZoneId">The registry's zone, when the zone is known to it.</param>
/// <param name="SensorId">The sensor (tag <c>sensor</c>).</param>
/// <param name="Link">Whether the series is stamped with the batch or belongs to a zone it occupied.</param>
/// <param name="From">Start of the interval (inclusive).</param>
/// <param name="To">End of the interval (exclusive).</param>
/// <param name="Min">Smallest good reading.</param>
/// <param name="Max">Largest good reading.</param>
/// <param name="Mean">Mean of the good readings.</param>
/// <param name="Count">Good readings in the interval.</param>
public sealed record SensorSummary(
    string Measurement,
    string Unit,
    string GatewayId,
    string GatewayZone,
    string? ZoneId,
    string SensorId,
    SeriesLink Link,
    DateTimeOffset From,
    DateTimeOffset To,
    double? Min,
    double? Max,
    double? Mean,
    long Count);
