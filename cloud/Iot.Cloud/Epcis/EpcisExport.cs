using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Iot.Cloud.History;
using Iot.Cloud.Registry;

namespace Iot.Cloud.Epcis;

/// <summary>
/// Builds a batch's EPCIS 2.0 document: its trace events, then its sensor record as interval aggregates, all in time
/// order. The mapping (event type to EPCIS event, business step and disposition) is in cloud/README.md, "EPCIS mapping".
/// </summary>
/// <remarks>
/// <para>Event IDs are URIs: a trace event is <c>{base}events/{id}</c>; a sensor-record event is
/// <c>{base}batches/{code}/sensor-record/stays/{stay id}</c> (a zone stay), <c>.../stamped</c> (the series stamped
/// with the batch's code) or <c>.../zones/{gateway}/{zone}</c> (a zone's series no stay accounts for). The same
/// records always give the same IDs. Times are UTC to the millisecond, offset <c>+00:00</c>.</para>
/// <para>An interval with no readings (a gap) is carried with no values and <c>exception</c>
/// <see cref="NoReadingsException"/>: GS1's <c>ERROR_CONDITION</c> would claim the sensor reported an error, which a
/// gap does not show (the gateway may simply have been offline). Every report says how many readings it summarises
/// (<c>agri:readingCount</c>).</para>
/// <para>No resident identity number, party name or credit code is exported: parties are named by URI and the
/// national platform's entity code only. An input's operator is not exported either.</para>
/// </remarks>
public sealed class EpcisExport
{
    /// <summary>The JSON-LD prefix of our extension terms.</summary>
    public const string Prefix = "agri";

    /// <summary>The offset of every event: times are UTC.</summary>
    public const string UtcOffset = "+00:00";

    /// <summary>The <c>exception</c> of an interval with no readings: a URI of our own, not a GS1 alert type.</summary>
    public const string NoReadingsException = "agri:noReadings";

    /// <summary>The business step of an input applied (fertiliser, pesticide, irrigation): CBV has none.</summary>
    public const string TreatingStep = "agri:treating";

    /// <summary>Builds the document of <paramref name="record"/>.</summary>
    /// <exception cref="InvalidOperationException">An event of a type this export does not know, or without what its type needs.</exception>
    /// <exception cref="FormatException">A crate tag that is neither a valid EPC nor a valid UID.</exception>
    public EpcisDocument Build(BatchRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var mapper = new Mapper(record);
        var events = new List<(DateTimeOffset Time, int Order, EpcisEvent Event)>();
        foreach (var traceEvent in record.Events.OrderBy(e => e.Time).ThenBy(e => e.Id))
        {
            var mapped = mapper.Map(traceEvent);
            events.Add((mapped.EventTime, events.Count, mapped));
        }

        foreach (var sensorEvent in mapper.SensorEvents())
        {
            events.Add((sensorEvent.EventTime, events.Count, sensorEvent));
        }

        var ids = mapper.Ids;
        var document = new EpcisDocument
        {
            Context = new JsonArray(EpcisDocument.Gs1Context, new JsonObject { [Prefix] = ids.Path("ns/agri#") }),
            Id = ids.Path("api/batches/" + Uri.EscapeDataString(record.Batch.Code) + "/epcis"),
            CreationDate = Utc(record.CreatedAt),
            EpcisBody = new EpcisBody { EventList = events.OrderBy(e => e.Time).ThenBy(e => e.Order).Select(e => e.Event).ToList() },
            Extensions = new Dictionary<string, JsonElement>
            {
                ["agri:batchTraceCode"] = EpcisJson.ToElement(record.Batch.Code),
                ["agri:batch"] = EpcisJson.ToElement(mapper.BatchClass),
                ["agri:producer"] = EpcisJson.ToElement(ids.Party(record.Producer.Id)),
            },
        };
        if (record.Batch.NationalCode is { } nationalCode)
        {
            document.Extensions["agri:nationalTraceCode"] = EpcisJson.ToElement(nationalCode);
        }

        if (record.Producer.NationalEntityCode is { } entityCode)
        {
            document.Extensions["agri:nationalEntityCode"] = EpcisJson.ToElement(entityCode);
        }

        return document;
    }

    /// <summary>UTC, truncated to the millisecond.</summary>
    static DateTimeOffset Utc(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    sealed class Mapper(BatchRecord record)
    {
        public EpcisIdentifiers Ids { get; } = new(record.BaseUrl);

        public string BatchClass { get; } =
            new EpcisIdentifiers(record.BaseUrl).BatchClass(record.Batch.Code, record.Product.Gtin, record.Batch.Lot);

        public EpcisEvent Map(TraceEvent e)
        {
            var d = e.Details;
            var subject = new QuantityElement { EpcClass = ClassOf(e.BatchCode ?? Text(d, "batch") ?? record.Batch.Code) };
            EpcisEvent mapped = e.Type switch
            {
                TraceEventTypes.Commissioned => new ObjectEvent { EventTime = Utc(e.Time), EventTimeZoneOffset = UtcOffset, Action = EpcisAction.Add, BizStep = "commissioning", Disposition = "active", QuantityList = [subject] },
                TraceEventTypes.BatchEntered => new ObjectEvent { EventTime = Utc(e.Time), EventTimeZoneOffset = UtcOffset, Action = EpcisAction.Observe, BizStep = "arriving", QuantityList = [subject], BizLocation = Location(e) },
                TraceEventTypes.BatchLeft => new ObjectEvent { EventTime = Utc(e.Time), EventTimeZoneOffset = UtcOffset, Action = EpcisAction.Observe, BizStep = "departing", QuantityList = [subject] },
                TraceEventTypes.CrateAssociated => new AggregationEvent { EventTime = Utc(e.Time), EventTimeZoneOffset = UtcOffset, Action = EpcisAction.Add, BizStep = "packing", ParentId = Crate(e), ChildQuantityList = [subject] },
                TraceEventTypes.CrateRemoved => new AggregationEvent { EventTime = Utc(e.Time), EventTimeZoneOffset = UtcOffset, Action = EpcisAction.Delete, BizStep = "unpacking", ParentId = Crate(e), ChildQuantityList = [subject] },
                TraceEventTypes.Weighed => Weighed(e, subject),
                TraceEventTypes.InputApplied => InputApplied(e, subject),
                TraceEventTypes.Harvested => new ObjectEvent { EventTime = Utc(e.Time), EventTimeZoneOffset = UtcOffset, Action = EpcisAction.Observe, BizStep = "collecting", QuantityList = [WithQuantity(subject, d["quantity"])] },
                TraceEventTypes.Shipped => Shipped(e, subject),
                TraceEventTypes.Received => Received(e, subject),
                TraceEventTypes.Transformed => Transformed(e),
                TraceEventTypes.Recalled => new ObjectEvent { EventTime = Utc(e.Time), EventTimeZoneOffset = UtcOffset, Action = EpcisAction.Observe, Disposition = "recalled", QuantityList = [subject] },
                _ => throw new InvalidOperationException($"event {e.Id}: type {e.Type} has no EPCIS mapping"),
            };
            mapped.EventId = Ids.Event(e.Id);
            mapped.RecordTime = Utc(e.RecordedAt);
            mapped.ReadPoint ??= Location(e);
            if (e.Type is TraceEventTypes.BatchEntered or TraceEventTypes.BatchLeft && Text(d, "by") is { } by)
            {
                Extend(mapped, "agri:by", by);
            }

            if (e.Type == TraceEventTypes.Recalled && Text(d, "reason") is { } reason)
            {
                Extend(mapped, "agri:reason", reason);
            }

            return mapped;
        }

        public IEnumerable<EpcisEvent> SensorEvents()
        {
            string prefix = "batches/" + Uri.EscapeDataString(record.Batch.Code) + "/sensor-record/";
            var stamped = record.Sensors.Where(s => s.Link == SeriesLink.Stamped).ToList();
            if (stamped.Count > 0)
            {
                yield return SensorEvent(prefix + "stamped", null, stamped, "stamped");
            }

            var zoneSeries = record.Sensors.Where(s => s.Link == SeriesLink.Zone).ToList();
            var placed = new HashSet<SensorSummary>(ReferenceEqualityComparer.Instance);
            foreach (var stay in record.Stays.OrderBy(s => s.EnteredAt).ThenBy(s => s.Id))
            {
                var during = zoneSeries.Where(s => !placed.Contains(s) && InStay(s, stay)).ToList();
                if (during.Count == 0)
                {
                    continue;
                }

                placed.UnionWith(during);
                var sensorEvent = SensorEvent(prefix + "stays/" + stay.Id.ToString(CultureInfo.InvariantCulture), stay.ZoneId, during, "zone");
                var period = new JsonObject { ["enteredAt"] = EpcisTimeConverter.Format(Utc(stay.EnteredAt)) };
                if (stay.LeftAt is { } left)
                {
                    period["leftAt"] = EpcisTimeConverter.Format(Utc(left));
                }

                Extend(sensorEvent, "agri:stay", period);
                yield return sensorEvent;
            }

            // A zone's series that no stay accounts for (a stay since corrected, say) is still evidence: kept, per zone.
            foreach (var zone in zoneSeries.Where(s => !placed.Contains(s)).GroupBy(s => (s.GatewayId, s.GatewayZone)))
            {
                string? zoneId = zone.First().ZoneId ?? ZoneIdOf(zone.Key.GatewayId, zone.Key.GatewayZone);
                string id = prefix + "zones/" + Uri.EscapeDataString(zone.Key.GatewayId) + "/" + Uri.EscapeDataString(zone.Key.GatewayZone);
                yield return SensorEvent(id, zoneId, zone.ToList(), "zone");
            }
        }

        ObjectEvent SensorEvent(string path, string? zoneId, List<SensorSummary> series, string link)
        {
            var sensorEvent = new ObjectEvent
            {
                EventId = Ids.Path(path),
                EventTime = Utc(series.Max(s => s.To)),
                EventTimeZoneOffset = UtcOffset,
                Action = EpcisAction.Observe,
                BizStep = "sensor_reporting",
                QuantityList = [new QuantityElement { EpcClass = BatchClass }],
                ReadPoint = zoneId is null ? null : new EpcisLocation { Id = Ids.Zone(zoneId) },
                SensorElementList = series
                    .OrderBy(s => s.Measurement, StringComparer.Ordinal)
                    .ThenBy(s => s.GatewayId, StringComparer.Ordinal)
                    .ThenBy(s => s.SensorId, StringComparer.Ordinal)
                    .ThenBy(s => s.From)
                    .Select(Element)
                    .ToList(),
            };
            Extend(sensorEvent, "agri:series", link);
            return sensorEvent;
        }

        SensorElement Element(SensorSummary s)
        {
            var report = new SensorReport { Type = s.Measurement, Uom = s.Unit, Extensions = new Dictionary<string, JsonElement> { ["agri:readingCount"] = EpcisJson.ToElement(s.Count) } };
            if (s.Count == 0)
            {
                report.Exception = NoReadingsException;
            }
            else
            {
                report.MinValue = Exact(s.Min);
                report.MaxValue = Exact(s.Max);
                report.MeanValue = Exact(s.Mean);
            }

            return new SensorElement
            {
                SensorMetadata = new SensorMetadata
                {
                    StartTime = Utc(s.From),
                    EndTime = Utc(s.To),
                    DeviceId = Ids.Sensor(s.GatewayId, s.SensorId),
                    RawData = Ids.SeriesCsv(record.Batch.Code, s.Measurement, s.GatewayId, s.SensorId, Utc(s.From), Utc(s.To)),
                },
                SensorReport = [report],
            };
        }

        static bool InStay(SensorSummary s, ZoneStay stay)
        {
            bool sameZone = (s.ZoneId is not null && s.ZoneId == stay.ZoneId) ||
                (s.GatewayId == stay.GatewayId && s.GatewayZone == stay.GatewayZone);
            return sameZone && s.To > stay.EnteredAt && (stay.LeftAt is not { } left || s.From < left);
        }

        ObjectEvent Weighed(TraceEvent e, QuantityElement subject)
        {
            var d = e.Details;
            var (net, unit) = Amount(e, d["net"], "net");
            var weighed = new ObjectEvent
            {
                EventTime = Utc(e.Time),
                EventTimeZoneOffset = UtcOffset,
                Action = EpcisAction.Observe,
                EpcList = d["crate"] is JsonObject ? [Crate(e)] : null,
                QuantityList = [new QuantityElement { EpcClass = subject.EpcClass, Quantity = net, Uom = unit }],
                SensorElementList =
                [
                    new SensorElement
                    {
                        SensorMetadata = new SensorMetadata
                        {
                            Time = Utc(e.Time),
                            DeviceId = e.GatewayId is { } gateway && Text(d, "scaleId") is { } scale ? Ids.Sensor(gateway, scale) : null,
                        },
                        SensorReport = [new SensorReport { Type = "Mass", Value = net, Uom = unit }],
                    },
                ],
            };
            if (d["tare"] is JsonObject tare)
            {
                Extend(weighed, "agri:tare", tare.DeepClone());
            }

            return weighed;
        }

        ObjectEvent InputApplied(TraceEvent e, QuantityElement subject)
        {
            var d = e.Details;
            var applied = new ObjectEvent { EventTime = Utc(e.Time), EventTimeZoneOffset = UtcOffset, Action = EpcisAction.Observe, BizStep = TreatingStep, QuantityList = [subject] };
            foreach (string key in (string[])["input", "product", "registrationNumber"])
            {
                if (Text(d, key) is { } value)
                {
                    Extend(applied, "agri:" + key, value);
                }
            }

            Amount(e, d["amount"], "amount");
            Extend(applied, "agri:amount", d["amount"]!.DeepClone());
            if (e.GatewayId is { } gateway && Text(d, "sensorId") is { } sensor)
            {
                Extend(applied, "agri:sensor", Ids.Sensor(gateway, sensor));
            }

            return applied;
        }

        ObjectEvent Shipped(TraceEvent e, QuantityElement subject)
        {
            var d = e.Details;
            long receiver = PartyId(e, "receiver") ?? throw new InvalidOperationException($"event {e.Id}: shipped without a receiver");
            var shipped = new ObjectEvent
            {
                EventTime = Utc(e.Time),
                EventTimeZoneOffset = UtcOffset,
                Action = EpcisAction.Observe,
                BizStep = "shipping",
                Disposition = "in_transit",
                EpcList = d["crates"] is JsonArray crates ? crates.OfType<JsonObject>().Select(Ids.Tag).Distinct(StringComparer.Ordinal).ToList() : null,
                QuantityList = [WithQuantity(subject, d["quantity"])],
                SourceList = [new EpcisSource { Type = "owning_party", Source = Ids.Party(record.Producer.Id) }],
                DestinationList = [new EpcisDestination { Type = "owning_party", Destination = Ids.Party(receiver) }],
            };
            if (Text(d, "document") is { } document)
            {
                Extend(shipped, "agri:document", document);
            }

            ExtendEntityCode(shipped, "agri:receiverNationalEntityCode", receiver);
            return shipped;
        }

        ObjectEvent Received(TraceEvent e, QuantityElement subject)
        {
            long receiver = PartyId(e, "receiver") ?? throw new InvalidOperationException($"event {e.Id}: received without a receiver");
            long? sender = PartyId(e, "sender");
            var received = new ObjectEvent
            {
                EventTime = Utc(e.Time),
                EventTimeZoneOffset = UtcOffset,
                Action = EpcisAction.Observe,
                BizStep = "receiving",
                Disposition = "in_progress",
                QuantityList = [WithQuantity(subject, e.Details["quantity"])],
                SourceList = sender is { } from ? [new EpcisSource { Type = "owning_party", Source = Ids.Party(from) }] : null,
                DestinationList = [new EpcisDestination { Type = "owning_party", Destination = Ids.Party(receiver) }],
            };
            ExtendEntityCode(received, "agri:receiverNationalEntityCode", receiver);
            if (sender is { } senderId)
            {
                ExtendEntityCode(received, "agri:senderNationalEntityCode", senderId);
            }

            return received;
        }

        TransformationEvent Transformed(TraceEvent e)
        {
            var d = e.Details;
            var inputs = (d["inputs"] as JsonArray ?? throw new InvalidOperationException($"event {e.Id}: transformed without inputs"))
                .Select(i => i?.GetValue<string>() ?? throw new InvalidOperationException($"event {e.Id}: an input is null"))
                .Select(code => new QuantityElement { EpcClass = ClassOf(code) })
                .ToList();
            string output = Text(d, "output") ?? throw new InvalidOperationException($"event {e.Id}: transformed without an output");
            var transformed = new TransformationEvent { EventTime = Utc(e.Time), EventTimeZoneOffset = UtcOffset, InputQuantityList = inputs, OutputQuantityList = [new QuantityElement { EpcClass = ClassOf(output) }] };
            if (Text(d, "process") is { } process)
            {
                Extend(transformed, "agri:process", process);
            }

            return transformed;
        }

        string ClassOf(string code) => code == record.Batch.Code ? BatchClass : Ids.OtherBatch(code);

        string Crate(TraceEvent e) =>
            Ids.Tag(e.Details["crate"] as JsonObject ?? throw new InvalidOperationException($"event {e.Id}: {e.Type} without a crate"));

        EpcisLocation? Location(TraceEvent e)
        {
            string? zoneId = e.ZoneId ?? (e.GatewayId is { } gateway && Text(e.Details, "zone") is { } zone ? ZoneIdOf(gateway, zone) : null);
            return zoneId is null ? null : new EpcisLocation { Id = Ids.Zone(zoneId) };
        }

        string? ZoneIdOf(string gatewayId, string gatewayZone) =>
            record.Zones.FirstOrDefault(z => z.GatewayId == gatewayId && z.GatewayZone == gatewayZone)?.Id;

        static long? PartyId(TraceEvent e, string key) => e.Details[key] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out long id) => id,
            var other => decimal.TryParse(other.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out decimal id)
                ? (long)id
                : throw new InvalidOperationException($"event {e.Id}: {key} is not a party id: {other.ToJsonString()}"),
        };

        void ExtendEntityCode(EpcisEvent target, string key, long partyId)
        {
            if (record.Parties.FirstOrDefault(p => p.Id == partyId)?.NationalEntityCode is { } code)
            {
                Extend(target, key, code);
            }
        }

        static QuantityElement WithQuantity(QuantityElement subject, JsonNode? quantity)
        {
            if (quantity is not JsonObject)
            {
                return subject;
            }

            var (value, unit) = Amount(null, quantity, "quantity");
            return new QuantityElement { EpcClass = subject.EpcClass, Quantity = value, Uom = unit };
        }

        static (decimal Value, string Unit) Amount(TraceEvent? e, JsonNode? node, string key)
        {
            if (node is JsonObject { } amount && amount["value"] is JsonValue value && Text(amount, "unit") is { } unit &&
                decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number))
            {
                return (number, unit);
            }

            throw new InvalidOperationException($"event {e?.Id}: {key} is not {{\"value\", \"unit\"}}: {node?.ToJsonString()}");
        }

        static string? Text(JsonObject details, string key) =>
            details[key] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

        static decimal? Exact(double? value) =>
            value is { } v && double.IsFinite(v) ? decimal.Parse(v.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture) : null;

        static void Extend(EpcisEvent target, string key, JsonNode? value)
        {
            target.Extensions ??= [];
            target.Extensions[key] = EpcisJson.ToElement(value);
        }
    }
}
