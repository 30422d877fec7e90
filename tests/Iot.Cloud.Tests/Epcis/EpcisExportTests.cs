using System.Text.Json.Nodes;
using Iot.Cloud.Epcis;
using Iot.Cloud.History;
using Iot.Cloud.Registry;

namespace Iot.Cloud.Tests.Epcis;

/// <summary>A batch's record as an EPCIS document: valid against GS1's schema, and the mapping users rely on.</summary>
public sealed class EpcisExportTests
{
    const string Code = "7K3M9Q2TXW4A1B63";
    const string OtherCode = "7K3M9Q2TXW4A1B64";
    const string ResidentId = "11010519491231002X";
    const string MaskedResidentId = "110105********002X";
    const string CrateEpc = "3074257BF7194E4000001A85";
    const string CrateUid = "04A224E2C45D80";
    static readonly Uri Base = new("http://127.0.0.1:8080/");
    static readonly DateTimeOffset Day = new(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_document_is_valid_against_GS1s_schema()
    {
        string json = Export(Record());

        Assert.Empty(EpcisSchema.Validate(json));
    }

    [Fact]
    public void A_batch_without_GTIN_is_valid_too_and_named_under_the_base_URL()
    {
        var record = Record() with { Product = Record().Product with { Gtin = null } };

        string json = Export(record);

        Assert.Empty(EpcisSchema.Validate(json));
        Assert.Equal($"http://127.0.0.1:8080/batches/{Code}", Document(json)["agri:batch"]!.GetValue<string>());
    }

    [Fact]
    public void The_batch_is_its_GS1_Digital_Link_with_its_lot()
    {
        var document = Document(Export(Record()));

        Assert.Equal("https://id.gs1.org/01/80614141123458/10/LOT-2025-05", document["agri:batch"]!.GetValue<string>());
        Assert.Equal("https://id.gs1.org/01/80614141123458/10/LOT-2025-05", Events(document, "commissioning").Single()["quantityList"]![0]!["epcClass"]!.GetValue<string>());
    }

    [Fact]
    public void A_UHF_crate_is_its_EPC_URN_and_an_HF_crate_stays_a_UID()
    {
        var document = Document(Export(Record()));
        var packed = Events(document, "packing").Select(e => e["parentID"]!.GetValue<string>()).ToList();

        Assert.Equal(["urn:epc:id:sgtin:0614141.812345.6789", $"http://127.0.0.1:8080/tags/uid/{CrateUid}"], packed);
        var shipped = Events(document, "shipping").Single();
        Assert.Equal(["urn:epc:id:sgtin:0614141.812345.6789", $"http://127.0.0.1:8080/tags/uid/{CrateUid}"], shipped["epcList"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public void A_gap_has_no_values_and_says_so_without_claiming_a_sensor_error()
    {
        var document = Document(Export(Record()));
        var reports = AllReports(document).Where(r => r["agri:readingCount"]!.GetValue<long>() == 0).ToList();

        var gap = Assert.Single(reports);
        Assert.Null(gap["minValue"]);
        Assert.Null(gap["maxValue"]);
        Assert.Null(gap["meanValue"]);
        Assert.Null(gap["value"]);
        Assert.Equal(EpcisExport.NoReadingsException, gap["exception"]!.GetValue<string>());
        Assert.Equal("Temperature", gap["type"]!.GetValue<string>());
    }

    [Fact]
    public void Every_interval_is_reported_once_with_its_aggregates_device_and_raw_data()
    {
        var record = Record();
        var document = Document(Export(record));
        var elements = document["epcisBody"]!["eventList"]!.AsArray()
            .Where(e => e!["bizStep"]?.GetValue<string>() == "sensor_reporting")
            .SelectMany(e => e!["sensorElementList"]!.AsArray())
            .ToList();

        Assert.Equal(record.Sensors.Count, elements.Count);
        var first = elements.Single(e => e!["sensorMetadata"]!["startTime"]!.GetValue<string>() == "2025-05-01T00:00:00.000Z" &&
            e["sensorReport"]![0]!["type"]!.GetValue<string>() == "Temperature" && e["sensorMetadata"]!["deviceID"]!.GetValue<string>().EndsWith("/t1", StringComparison.Ordinal))!;
        var report = first["sensorReport"]![0]!;
        Assert.Equal(14.2m, report["minValue"]!.GetValue<decimal>());
        Assert.Equal(27.9m, report["maxValue"]!.GetValue<decimal>());
        Assert.Equal(21.333333333333332m, report["meanValue"]!.GetValue<decimal>());
        Assert.Equal("CEL", report["uom"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:8080/gateways/gw-1/sensors/t1", first["sensorMetadata"]!["deviceID"]!.GetValue<string>());
        Assert.Equal(
            $"http://127.0.0.1:8080/api/batches/{Code}/series.csv?measurement=Temperature&gateway=gw-1&sensor=t1&from=2025-05-01T00%3A00%3A00.000Z&to=2025-05-02T00%3A00%3A00.000Z",
            first["sensorMetadata"]!["rawData"]!.GetValue<string>());
    }

    [Fact]
    public void The_residents_identity_number_appears_nowhere()
    {
        string json = Export(Record());

        Assert.DoesNotContain(ResidentId, json, StringComparison.Ordinal);
        Assert.DoesNotContain(MaskedResidentId, json, StringComparison.Ordinal);
        Assert.DoesNotContain("110105", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Wang", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_event_appears_once_in_time_order_with_a_stable_ID()
    {
        var record = Record();
        string json = Export(record);
        var events = Document(json)["epcisBody"]!["eventList"]!.AsArray();

        var times = events.Select(e => DateTimeOffset.Parse(e!["eventTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times);
        Assert.All(events, e => Assert.Equal("+00:00", e!["eventTimeZoneOffset"]!.GetValue<string>()));
        Assert.All(events, e => Assert.EndsWith("Z", e!["eventTime"]!.GetValue<string>(), StringComparison.Ordinal));
        var ids = events.Select(e => e!["eventID"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(record.Events.Select(e => $"http://127.0.0.1:8080/events/{e.Id}").Order(), ids.Where(i => i.Contains("/events/", StringComparison.Ordinal)).Order());
        Assert.Equal(json, Export(record));
    }

    [Fact]
    public void National_codes_are_namespaced_extensions_declared_in_the_context()
    {
        var document = Document(Export(Record()));

        Assert.Equal("330106202505010001", document["agri:nationalTraceCode"]!.GetValue<string>());
        Assert.Equal(Code, document["agri:batchTraceCode"]!.GetValue<string>());
        Assert.Equal("ENT-3301-0001", document["agri:nationalEntityCode"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:8080/ns/agri#", document["@context"]![1]!["agri"]!.GetValue<string>());
    }

    [Fact]
    public void Each_event_type_maps_to_its_EPCIS_event_step_and_disposition()
    {
        var document = Document(Export(Record()));
        var events = document["epcisBody"]!["eventList"]!.AsArray().Select(e => e!.AsObject()).ToList();

        var commissioning = Events(document, "commissioning").Single();
        Assert.Equal(("ObjectEvent", "ADD"), (Text(commissioning, "type"), Text(commissioning, "action")));
        var arriving = Events(document, "arriving").First();
        Assert.Equal("http://127.0.0.1:8080/zones/gh1", arriving["readPoint"]!["id"]!.GetValue<string>());
        Assert.Equal("OBSERVE", Text(Events(document, "departing").Single(), "action"));
        Assert.All(Events(document, "packing"), e => Assert.Equal(("AggregationEvent", "ADD"), (Text(e, "type"), Text(e, "action"))));
        Assert.Equal(("AggregationEvent", "DELETE"), (Text(Events(document, "unpacking").Single(), "type"), Text(Events(document, "unpacking").Single(), "action")));

        var weighed = events.Single(e => e["sensorElementList"]?[0]?["sensorReport"]?[0]?["type"]?.GetValue<string>() == "Mass");
        Assert.Equal(12.35m, weighed["quantityList"]![0]!["quantity"]!.GetValue<decimal>());
        Assert.Equal("KGM", weighed["quantityList"]![0]!["uom"]!.GetValue<string>());
        Assert.Equal("urn:epc:id:sgtin:0614141.812345.6789", weighed["epcList"]![0]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:8080/gateways/gw-1/sensors/scale-1", weighed["sensorElementList"]![0]!["sensorMetadata"]!["deviceID"]!.GetValue<string>());

        var treating = Events(document, EpcisExport.TreatingStep).Single();
        Assert.Equal("PD20080001", Text(treating, "agri:registrationNumber"));
        Assert.Equal("pesticide", Text(treating, "agri:input"));
        Assert.Equal(1.5m, treating["agri:amount"]!["value"]!.GetValue<decimal>());

        Assert.Equal("ObjectEvent", Text(Events(document, "collecting").Single(), "type"));
        var shipping = Events(document, "shipping").Single();
        Assert.Equal("in_transit", Text(shipping, "disposition"));
        Assert.Equal("http://127.0.0.1:8080/parties/7", shipping["destinationList"]![0]!["destination"]!.GetValue<string>());
        Assert.Equal("owning_party", shipping["destinationList"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:8080/parties/1", shipping["sourceList"]![0]!["source"]!.GetValue<string>());
        Assert.Equal("in_progress", Text(Events(document, "receiving").Single(), "disposition"));

        var transformation = events.Single(e => Text(e, "type") == "TransformationEvent");
        Assert.Equal(
            ["https://id.gs1.org/01/80614141123458/10/LOT-2025-05", $"http://127.0.0.1:8080/batches/{OtherCode}"],
            transformation["inputQuantityList"]!.AsArray().Select(q => q!["epcClass"]!.GetValue<string>()));
        Assert.Equal("http://127.0.0.1:8080/batches/7K3M9Q2TXW4A1B71", transformation["outputQuantityList"]![0]!["epcClass"]!.GetValue<string>());
        Assert.Single(events, e => Text(e, "disposition") == "recalled");
    }

    static string Export(BatchRecord record) => EpcisJson.Write(new EpcisExport().Build(record));

    static JsonObject Document(string json) => JsonNode.Parse(json)!.AsObject();

    static List<JsonObject> Events(JsonObject document, string bizStep) =>
        document["epcisBody"]!["eventList"]!.AsArray().Select(e => e!.AsObject()).Where(e => Text(e, "bizStep") == bizStep).ToList();

    static IEnumerable<JsonNode> AllReports(JsonObject document) =>
        document["epcisBody"]!["eventList"]!.AsArray()
            .SelectMany(e => e!["sensorElementList"]?.AsArray() ?? [])
            .SelectMany(s => s!["sensorReport"]!.AsArray())
            .Where(r => r!["agri:readingCount"] is not null)!;

    static string? Text(JsonObject obj, string key) => obj[key] is JsonValue v ? v.GetValue<string>() : null;

    static BatchRecord Record()
    {
        var producer = new Party(1, PartyKind.Enterprise, PartyRole.Farm, "Green Valley Cooperative", "91350200776049653A", null, "330106", "ENT-3301-0001", [], Day);
        var household = new Party(7, PartyKind.Household, PartyRole.Retailer, "Wang Household", null, ResidentId, "110105", null, [], Day);
        var product = new Product(3, "Cherry tomatoes", "vegetable", "80614141123458", Day);
        var batch = new Batch(Code, 3, 1, BatchStatus.Shipped, "330106202505010001", "LOT-2025-05", Day, null, null);
        Zone[] zones =
        [
            new("gh1", 1, ZoneKind.Greenhouse, "Greenhouse 1", "gw-1", "gh1", true),
            new("line-1", 1, ZoneKind.PackingLine, "Packing line", "gw-1", "line-1", true),
        ];
        ZoneStay[] stays =
        [
            new(1, Code, "gh1", "gw-1", "gh1", Day, Day.AddDays(2)),
            new(2, Code, "line-1", "gw-1", "line-1", Day.AddDays(2), null),
        ];
        int id = 100;
        TraceEvent Api(string type, DateTimeOffset time, string details) =>
            new(id++, type, time, time.AddSeconds(1), "api", null, null, null, null, Code, JsonNode.Parse(details)!.AsObject(), []);
        TraceEvent Gateway(string type, DateTimeOffset time, string zone, string details) =>
            new(id++, type, time, time.AddSeconds(1), "gateway", "gw-1", 42, 0, zone, Code, JsonNode.Parse(details)!.AsObject(), []);
        string T(DateTimeOffset t) => EpcisTimeConverter.Format(t);
        var d = Day;
        // Listed out of time order on purpose: the export sorts.
        TraceEvent[] events =
        [
            Api("shipped", d.AddDays(2).AddHours(6), $$$"""{"batch":"{{{Code}}}","receiver":7,"crates":[{"epc":"{{{CrateEpc}}}"},{"uid":"{{{CrateUid}}}"}],"quantity":{"value":24.7,"unit":"KGM"},"document":"DN-0001"}"""),
            Api("commissioned", d, $$$"""{"batch":"{{{Code}}}"}"""),
            Gateway("batchEntered", d.AddMinutes(5), "gh1", $$$"""{"type":"batchEntered","time":"{{{T(d.AddMinutes(5))}}}","zone":"gh1","traceCodes":["{{{Code}}}"],"batch":"{{{Code}}}","by":"configuration"}"""),
            Gateway("inputApplied", d.AddHours(9), "gh1", $$$"""{"type":"inputApplied","time":"{{{T(d.AddHours(9))}}}","zone":"gh1","traceCodes":["{{{Code}}}"],"input":"pesticide","product":"Abamectin 1.8% EC","registrationNumber":"PD20080001","amount":{"value":1.5,"unit":"LTR"},"operator":"Wang Wei","sensorId":"flow-1"}"""),
            Api("harvested", d.AddDays(1).AddHours(20), $$$"""{"batch":"{{{Code}}}","quantity":{"value":25.1,"unit":"KGM"}}"""),
            Gateway("batchLeft", d.AddDays(2), "gh1", $$$"""{"type":"batchLeft","time":"{{{T(d.AddDays(2))}}}","zone":"gh1","traceCodes":["{{{Code}}}"],"batch":"{{{Code}}}","by":"configuration"}"""),
            Gateway("batchEntered", d.AddDays(2).AddMinutes(1), "line-1", $$$"""{"type":"batchEntered","time":"{{{T(d.AddDays(2).AddMinutes(1))}}}","zone":"line-1","traceCodes":["{{{Code}}}"],"batch":"{{{Code}}}","by":"configuration"}"""),
            Gateway("crateAssociated", d.AddDays(2).AddMinutes(10), "line-1", $$$"""{"type":"crateAssociated","time":"{{{T(d.AddDays(2).AddMinutes(10))}}}","zone":"line-1","traceCodes":["{{{Code}}}"],"batch":"{{{Code}}}","crate":{"epc":"{{{CrateEpc}}}"}}"""),
            Gateway("weighed", d.AddDays(2).AddMinutes(11), "line-1", $$$"""{"type":"weighed","time":"{{{T(d.AddDays(2).AddMinutes(11))}}}","zone":"line-1","traceCodes":["{{{Code}}}"],"batch":"{{{Code}}}","scaleId":"scale-1","net":{"value":12.35,"unit":"KGM"},"crate":{"epc":"{{{CrateEpc}}}"},"tare":{"value":0.8,"unit":"KGM"}}"""),
            Gateway("crateAssociated", d.AddDays(2).AddMinutes(12), "line-1", $$$"""{"type":"crateAssociated","time":"{{{T(d.AddDays(2).AddMinutes(12))}}}","zone":"line-1","traceCodes":["{{{Code}}}"],"batch":"{{{Code}}}","crate":{"uid":"{{{CrateUid}}}"}}"""),
            Gateway("crateRemoved", d.AddDays(2).AddMinutes(13), "line-1", $$$"""{"type":"crateRemoved","time":"{{{T(d.AddDays(2).AddMinutes(13))}}}","zone":"line-1","traceCodes":["{{{Code}}}"],"batch":"{{{Code}}}","crate":{"uid":"{{{CrateUid}}}"}}"""),
            Api("received", d.AddDays(2).AddHours(9), $$$"""{"batch":"{{{Code}}}","receiver":7,"sender":1}"""),
            Api("transformed", d.AddDays(3), $$$"""{"inputs":["{{{Code}}}","{{{OtherCode}}}"],"output":"7K3M9Q2TXW4A1B71","process":"sauce"}"""),
            Api("recalled", d.AddDays(4), $$$"""{"batch":"{{{Code}}}","reason":"residue above limit"}"""),
        ];
        SensorSummary Zone(string m, string unit, string zone, string sensor, int day, double? min, double? max, double? mean, long count) =>
            new(m, unit, "gw-1", zone, zone, sensor, SeriesLink.Zone, d.AddDays(day), d.AddDays(day + 1), min, max, mean, count);
        SensorSummary[] sensors =
        [
            Zone("Temperature", "CEL", "gh1", "t1", 0, 14.2, 27.9, 21.333333333333332, 288),
            Zone("Temperature", "CEL", "gh1", "t1", 1, null, null, null, 0),
            Zone("RelativeHumidity", "P1", "gh1", "h1", 0, 55, 92.5, 71.2, 288),
            Zone("Temperature", "CEL", "line-1", "t2", 2, 3.9, 6.1, 4.8, 96),
            new("Temperature", "CEL", "gw-1", "line-1", "line-1", "probe-9", SeriesLink.Stamped, d.AddDays(2), d.AddDays(3), 4.1, 5.0, 4.5, 12),
        ];
        return new BatchRecord(batch, product, producer, [household], zones, stays, events, sensors, Base, d.AddDays(5));
    }
}
