using System.Text.Json.Nodes;
using Iot.Cloud.History;
using Iot.Cloud.National;
using Iot.Cloud.Registry;

namespace Iot.Cloud.Tests.National;

public sealed class ExchangeDocumentTests
{
    static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    static TraceEvent Event(long id, string type, DateTimeOffset time, string? zone = null) =>
        new(id, type, time, time, "gateway", "gw-01", id, 0, zone, "K7M3Q9T2XW4A1B6W", new JsonObject { ["note"] = type }, []);

    static SensorSummary Summary(string sensor, int day, double? min, double? max, double? mean, long count, string measurement = "Temperature", string unit = "CEL") =>
        new(measurement, unit, "gw-01", "gh1", "greenhouse-1", sensor, SeriesLink.Zone, Day.AddDays(day), Day.AddDays(day + 1), min, max, mean, count);

    static (RegistryRig Rig, Batch Batch, Product Product, Party Household) Household()
    {
        var rig = new RegistryRig();
        var product = rig.Registry.RegisterProduct(new ProductDraft("番茄", "茄果类", "06901234567908")).Product;
        var household = rig.Registry.RegisterParty(new PartyDraft("household", "farm", "王建国家庭农场", null, "11010519491231002X", null, "ZT110105000533")).Party;
        var batch = rig.Registry.RegisterBatch(new BatchDraft("K7M3Q9T2XW4A1B6W", product.Id, household.Id, null, null)).Batch;
        return (rig, batch, product, household);
    }

    [Fact]
    public void A_linked_batch_exports_its_national_code_a_masked_household_events_in_time_order_and_gaps_without_values()
    {
        var (rig, batch, product, household) = Household();
        using var _ = rig;
        batch = rig.Registry.LinkNationalCode(batch.Code, "35060020261124000001");
        // Even handed the whole number (as the party itself would see it), the document masks it.
        var unmasked = household with { ResidentId = "11010519491231002X" };
        TraceEvent[] events =
        [
            Event(3, TraceEventTypes.Harvested, Day.AddDays(2), "greenhouse-1"),
            Event(1, TraceEventTypes.Commissioned, Day),
            Event(2, TraceEventTypes.BatchEntered, Day.AddHours(1), "greenhouse-1"),
        ];
        SensorSummary[] sensors =
        [
            Summary("t1", 0, 18.0, 24.0, 21.0, 100),
            Summary("t2", 0, 17.0, 23.0, 20.0, 300),
            Summary("t1", 1, null, null, null, 0),
            Summary("t2", 1, null, null, null, 0),
            Summary("t1", 2, 19.0, 25.0, 22.0, 50),
            Summary("t2", 2, null, null, null, 0),
            Summary("h1", 0, 60.0, 90.0, 75.0, 10, "RelativeHumidity", "P1"),
        ];

        var document = NationalExchange.Build(batch, product, unmasked, events, sensors, Day.AddDays(3));
        string json = NationalJson.Serialize(document);

        Assert.Equal("35060020261124000001", document.NationalTraceCode);
        Assert.Contains("\"nationalTraceCode\":\"35060020261124000001\"", json, StringComparison.Ordinal);
        Assert.Equal("110105********002X", document.Producer.ResidentId);
        Assert.Null(document.Producer.CreditCode);
        Assert.Equal(("household", "王建国家庭农场", "110105", "ZT110105000533"), (document.Producer.Kind, document.Producer.Name, document.Producer.DivisionCode, document.Producer.NationalEntityCode));
        Assert.DoesNotContain("11010519491231002X", json, StringComparison.Ordinal);
        Assert.DoesNotContain("19491231", json, StringComparison.Ordinal);
        Assert.Contains("王建国家庭农场", json, StringComparison.Ordinal);

        Assert.Equal([TraceEventTypes.Commissioned, TraceEventTypes.BatchEntered, TraceEventTypes.Harvested], document.Events.Select(e => e.Type));
        Assert.Equal([Day, Day.AddHours(1), Day.AddDays(2)], document.Events.Select(e => e.Time));
        Assert.Equal("greenhouse-1", document.Events[2].Zone);

        Assert.Equal(["RelativeHumidity", "Temperature"], document.Sensors.Select(s => s.Measurement));
        var temperature = document.Sensors[1];
        Assert.Equal(("CEL", 2), (temperature.Unit, temperature.Series));
        Assert.Equal(
            [
                new ExchangeInterval(Day, Day.AddDays(1), 400, 17.0, 24.0, 20.25, 2),
                new ExchangeInterval(Day.AddDays(2), Day.AddDays(3), 50, 19.0, 25.0, 22.0, 1),
            ],
            temperature.Intervals);
        Assert.Equal([new ExchangeGap(Day.AddDays(1), Day.AddDays(2))], temperature.Gaps);

        // In the JSON a gap is its interval and nothing else: no value, no count.
        var gap = JsonNode.Parse(json)!["sensors"]![1]!["gaps"]![0]!.AsObject();
        Assert.Equal(["from", "to"], gap.Select(p => p.Key));
        Assert.Equal("06901234567908", JsonNode.Parse(json)!["product"]!["gtin"]!.GetValue<string>());
        Assert.Empty(document.Warnings);
    }

    [Fact]
    public void A_batch_not_linked_yet_still_exports_with_a_null_code_and_a_warning()
    {
        var (rig, batch, product, household) = Household();
        using var _ = rig;

        var document = NationalExchange.Build(batch, product, household, rig.Registry.EventsOf(batch.Code), [], Day);
        var json = JsonNode.Parse(NationalJson.Serialize(document))!.AsObject();

        Assert.True(json.ContainsKey("nationalTraceCode"));
        Assert.Null(json["nationalTraceCode"]);
        Assert.Equal(
            [
                "batch K7M3Q9T2XW4A1B6W is not linked to a national trace code yet (link it with PUT /api/batches/K7M3Q9T2XW4A1B6W/national-code, or import the platform's trace codes)",
                "no sensor record: the batch carries no stamped series and occupied no zone with sensors",
            ],
            document.Warnings);
        Assert.Equal([TraceEventTypes.Commissioned], document.Events.Select(e => e.Type));
        Assert.Equal(NationalExchange.Format, json["format"]!.GetValue<string>());
        Assert.Equal("growing", json["status"]!.GetValue<string>());
    }

    [Fact]
    public void An_enterprise_producer_is_named_by_its_credit_code_and_its_warnings_travel_with_the_document()
    {
        using var rig = new RegistryRig();
        var product = rig.Registry.RegisterProduct(new ProductDraft("小白菜", "叶菜类", null)).Product;
        var producer = rig.Registry.RegisterParty(new PartyDraft("enterprise", "farm", "龙海区丰收果蔬种植场", "92350681MA33PQ7R15", null, null, null), lenient: true).Party;
        var batch = rig.Registry.RegisterBatch(new BatchDraft(null, product.Id, producer.Id, null, null)).Batch;

        var document = NationalExchange.Build(batch, product, producer, [], [], Day);

        Assert.Equal(("92350681MA33PQ7R15", (string?)null), (document.Producer.CreditCode, document.Producer.ResidentId));
        Assert.Contains("producer: creditCode: unified social credit code check character is '5', expected '4' (a character is mistyped or two are swapped)", document.Warnings);
        Assert.Contains("the producer has no national entity code (主体码) registered", document.Warnings);
        Assert.Throws<ArgumentException>(() => NationalExchange.Build(batch, product with { Id = 99 }, producer, [], [], Day));
    }
}
