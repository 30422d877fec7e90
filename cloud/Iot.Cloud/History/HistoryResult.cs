using System.Text.Json;
using System.Text.Json.Serialization;

namespace Iot.Cloud.History;

/// <summary>
/// A batch's sensor record between <see cref="From"/> and <see cref="To"/>, each series downsampled to buckets of
/// <see cref="Interval"/> (aligned to the Unix epoch, so daily buckets start at midnight UTC). Serialised with
/// <see cref="HistoryJsonContext"/> it is the JSON the API returns (camelCase).
/// </summary>
/// <param name="BatchCode">The batch trace code asked for.</param>
/// <param name="From">Start of the record (inclusive).</param>
/// <param name="To">End of the record (exclusive).</param>
/// <param name="Interval">The bucket width, one of <see cref="HistoryIntervals.Ladder"/>.</param>
/// <param name="IntervalName">The same as InfluxQL writes it: <c>1m</c>, <c>5m</c>, ..., <c>1d</c>.</param>
/// <param name="Series">One entry per sensor series, ordered by gateway, zone, sensor, measurement and unit.</param>
public sealed record HistoryResult(
    string BatchCode,
    DateTimeOffset From,
    DateTimeOffset To,
    TimeSpan Interval,
    string IntervalName,
    IReadOnlyList<HistorySeries> Series);

/// <summary>
/// One sensor series of a batch's record. A series is a sensor's readings of one measurement type in one unit
/// (<see cref="Key"/>): a series stamped with the batch and also in a zone the batch occupied appears once, as
/// <see cref="SeriesLink.Stamped"/>, with the readings of both links.
/// </summary>
/// <param name="Measurement">The CBV measurement type (<c>Temperature</c>, ...).</param>
/// <param name="Unit">The UN/ECE Recommendation 20 unit code of every value in the series.</param>
/// <param name="GatewayId">The gateway (tag <c>gateway</c>).</param>
/// <param name="GatewayZone">The zone as the gateway names it (tag <c>zone</c>).</param>
/// <param name="ZoneId">The registry's zone when a stay names this gateway zone; otherwise null.</param>
/// <param name="SensorId">The sensor (tag <c>sensor</c>).</param>
/// <param name="Link">Stamped when any reading of the series carries the batch's code; Zone when only a stay links it.</param>
/// <param name="Windows">When the series belongs to the batch's record, disjoint and in order: gaps are counted only inside them.</param>
/// <param name="Points">The buckets with at least one good reading, in time order.</param>
/// <param name="Gaps">The parts of <see cref="Windows"/> whose buckets hold no good reading, merged, in time order.</param>
public sealed record HistorySeries(
    string Measurement,
    string Unit,
    string GatewayId,
    string GatewayZone,
    string? ZoneId,
    string SensorId,
    SeriesLink Link,
    IReadOnlyList<TimeRange> Windows,
    IReadOnlyList<HistoryPoint> Points,
    IReadOnlyList<TimeRange> Gaps)
{
    /// <summary>The series' identity, e.g. for the raw CSV export.</summary>
    [JsonIgnore]
    public SeriesKey Key => new(Measurement, Unit, GatewayId, GatewayZone, SensorId);
}

/// <summary>One bucket of a series: the good readings from <see cref="Time"/> for one interval.</summary>
/// <param name="Time">Start of the bucket (a multiple of the interval since the Unix epoch).</param>
/// <param name="Min">Smallest good reading.</param>
/// <param name="Max">Largest good reading.</param>
/// <param name="Mean">Mean of the good readings.</param>
/// <param name="Count">Good readings in the bucket (at least 1).</param>
public sealed record HistoryPoint(DateTimeOffset Time, double Min, double Max, double Mean, long Count);

/// <summary>A time range: <see cref="From"/> inclusive, <see cref="To"/> exclusive.</summary>
/// <param name="From">Start (inclusive).</param>
/// <param name="To">End (exclusive).</param>
public readonly record struct TimeRange(DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// A sensor series as InfluxDB holds it: the measurement, the tags <c>gateway</c>, <c>zone</c>, <c>sensor</c> (every
/// <c>batch</c> tag value of the sensor together), and the unit the values are in.
/// </summary>
/// <param name="Measurement">The CBV measurement type.</param>
/// <param name="Unit">The UN/ECE unit code.</param>
/// <param name="GatewayId">The gateway.</param>
/// <param name="GatewayZone">The zone as the gateway names it.</param>
/// <param name="SensorId">The sensor.</param>
public sealed record SeriesKey(string Measurement, string Unit, string GatewayId, string GatewayZone, string SensorId);

/// <summary>Writes <see cref="SeriesLink"/> as <c>stamped</c> or <c>zone</c>.</summary>
public sealed class SeriesLinkJsonConverter : JsonStringEnumConverter<SeriesLink>
{
    /// <summary>A camelCase converter.</summary>
    public SeriesLinkJsonConverter()
        : base(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    {
    }
}

/// <summary>System.Text.Json source generation for the history's JSON, with the web defaults (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HistoryResult))]
[JsonSerializable(typeof(IReadOnlyList<SensorSummary>))]
public sealed partial class HistoryJsonContext : JsonSerializerContext;
