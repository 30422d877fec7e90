using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Iot.Cloud.History;
using Iot.Cloud.Registry;

namespace Iot.Cloud.National;

/// <summary>Builds the per-batch <see cref="ExchangeDocument"/> for the national platform.</summary>
public static class NationalExchange
{
    /// <summary>The value of <see cref="ExchangeDocument.Format"/>: our format, version 1 (the platform publishes none).</summary>
    public const string Format = "agri-national-exchange/1";

    /// <summary>
    /// The exchange document of <paramref name="batch"/>. The producer's resident identity number is masked whatever
    /// form it is given in; events are put in time order; sensor summaries are combined per measurement type and
    /// interval, intervals without readings becoming gaps. A batch without a national trace code still exports, with
    /// a warning saying it is not linked yet.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="product"/> or <paramref name="producer"/> is not the batch's.</exception>
    public static ExchangeDocument Build(
        Batch batch,
        Product product,
        Party producer,
        IReadOnlyList<TraceEvent> events,
        IReadOnlyList<SensorSummary> sensors,
        DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(sensors);
        if (product.Id != batch.ProductId)
        {
            throw new ArgumentException($"product {product.Id} is not the product of batch {batch.Code} ({batch.ProductId})", nameof(product));
        }

        if (producer.Id != batch.ProducerId)
        {
            throw new ArgumentException($"party {producer.Id} is not the producer of batch {batch.Code} ({batch.ProducerId})", nameof(producer));
        }

        var warnings = new List<string>();
        if (batch.NationalCode is null)
        {
            warnings.Add($"batch {batch.Code} is not linked to a national trace code yet (link it with PUT /api/batches/{batch.Code}/national-code, or import the platform's trace codes)");
        }

        if (producer.NationalEntityCode is null)
        {
            warnings.Add("the producer has no national entity code (主体码) registered");
        }

        warnings.AddRange(producer.Warnings.Select(w => $"producer: {w}"));
        var sensorRecord = Sensors(sensors);
        if (sensorRecord.Count == 0)
        {
            warnings.Add("no sensor record: the batch carries no stamped series and occupied no zone with sensors");
        }

        return new ExchangeDocument(
            Format,
            generatedAt.ToUniversalTime(),
            batch.Code,
            batch.NationalCode,
            batch.Lot,
            Names.Of(batch.Status),
            batch.RecalledAt?.ToUniversalTime(),
            batch.RecallReason,
            new ExchangeProduct(product.Name, product.Category, product.Gtin),
            new ExchangeProducer(
                Names.Of(producer.Kind),
                producer.Name,
                producer.CreditCode,
                producer.ResidentId is null ? null : Privacy.Mask(producer.ResidentId),
                producer.DivisionCode,
                producer.NationalEntityCode),
            events
                .OrderBy(e => e.Time)
                .ThenBy(e => e.Id)
                .Select(e => new ExchangeEvent(e.Type, e.Time.ToUniversalTime(), e.ZoneId, e.Source, (JsonObject)e.Details.DeepClone()))
                .ToList(),
            sensorRecord,
            warnings);
    }

    /// <summary>Per measurement type and unit, per interval: the readings of all series together, or a gap.</summary>
    static List<ExchangeSensor> Sensors(IReadOnlyList<SensorSummary> summaries) =>
        summaries
            .GroupBy(s => (s.Measurement, s.Unit))
            .OrderBy(g => g.Key.Measurement, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Unit, StringComparer.Ordinal)
            .Select(measurement =>
            {
                int series = measurement.Select(s => (s.GatewayId, s.GatewayZone, s.SensorId)).Distinct().Count();
                var intervals = new List<ExchangeInterval>();
                var gaps = new List<ExchangeGap>();
                foreach (var interval in measurement.GroupBy(s => (From: s.From.ToUniversalTime(), To: s.To.ToUniversalTime())).OrderBy(g => g.Key.From).ThenBy(g => g.Key.To))
                {
                    // Only summaries with readings and values count; a Count of 0 is a gap, never a value.
                    var withData = interval.Where(s => s is { Count: > 0, Min: not null, Max: not null, Mean: not null }).ToList();
                    if (withData.Count == 0)
                    {
                        gaps.Add(new ExchangeGap(interval.Key.From, interval.Key.To));
                        continue;
                    }

                    long count = withData.Sum(s => s.Count);
                    intervals.Add(new ExchangeInterval(
                        interval.Key.From,
                        interval.Key.To,
                        count,
                        withData.Min(s => s.Min!.Value),
                        withData.Max(s => s.Max!.Value),
                        withData.Sum(s => s.Mean!.Value * s.Count) / count,
                        withData.Select(s => (s.GatewayId, s.GatewayZone, s.SensorId)).Distinct().Count()));
                }

                return new ExchangeSensor(measurement.Key.Measurement, measurement.Key.Unit, series, intervals, gaps);
            })
            .ToList();
}

/// <summary>
/// How the national documents are written: camelCase properties, enumerations as camelCase strings, nulls written
/// (<c>"nationalTraceCode": null</c> says "not linked"), Chinese text as is rather than <c>\uXXXX</c> escapes.
/// </summary>
public static class NationalJson
{
    /// <summary>The serialiser options for <see cref="ExchangeDocument"/> and <see cref="ImportReport"/>.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary><paramref name="value"/> as JSON text.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
