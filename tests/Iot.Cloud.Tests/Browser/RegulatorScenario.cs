using System.Text.Json.Nodes;
using Iot.Cloud.Tests.Registry;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;

namespace Iot.Cloud.Tests.Browser;

/// <summary>
/// What the regulator pages are tested on: a farm's tomato batch (<see cref="Messages.Batch"/>) that stayed in a
/// greenhouse zone (gateway <c>gw-1</c>, zone <c>gh2</c>) for three days less an hour, with stamped air temperature readings every
/// minute (six hours missing: a gap) and the zone's unstamped soil water readings; a pesticide with a 7-day
/// safety interval two days before a harvest (an alert); a crate filled and weighed; a sauce made from the batch and
/// shipped to a market.
/// </summary>
internal sealed record RegulatorScenario(string Batch, string Sauce, string Crate, DateTimeOffset GapFrom, DateTimeOffset GapTo)
{
    public const string Gateway = "gw-1";
    public const string CrateEpc = "3074257BF7194E4000001A85";   // SGTIN-96: urn:epc:id:sgtin:0614141.812345.6789

    /// <summary>Registers the records through the API and sends the readings through MQTT; returns when they are stored.</summary>
    public static async Task<RegulatorScenario> SeedAsync(CloudRig cloud)
    {
        var http = cloud.Http;
        long farm = (await RegistryApi.PostAsync(http, "/api/parties", new { kind = "enterprise", role = "farm", name = "绿源蔬菜专业合作社", creditCode = "91350200776049653A", divisionCode = "350206" }))["party"]!["id"]!.GetValue<long>();
        long processor = (await RegistryApi.PostAsync(http, "/api/parties", new { kind = "enterprise", role = "processor", name = "味好食品有限公司", creditCode = "91350206MA2Y8K1N5D" }))["party"]!["id"]!.GetValue<long>();
        long market = (await RegistryApi.PostAsync(http, "/api/parties", new { kind = "enterprise", role = "distributor", name = "海峡农产品批发市场", creditCode = "91350100MA3ABC45XJ" }))["party"]!["id"]!.GetValue<long>();
        long tomato = (await RegistryApi.PostAsync(http, "/api/products", new { name = "番茄", category = "蔬菜", gtin = "09521234543213" }))["id"]!.GetValue<long>();
        long sauce = (await RegistryApi.PostAsync(http, "/api/products", new { name = "番茄酱", category = "加工品" }))["id"]!.GetValue<long>();
        await RegistryApi.PostAsync(http, "/api/batches", new { code = Messages.Batch, productId = tomato, producerId = farm, nationalCode = "350200-2026-000123" });
        string sauceBatch = (await RegistryApi.PostAsync(http, "/api/batches", new { productId = sauce, producerId = processor }))["code"]!.GetValue<string>();
        await RegistryApi.PostAsync(http, "/api/zones", new { id = "lvyuan-gh2", partyId = farm, kind = "greenhouse", name = "2号大棚", gatewayId = Gateway, gatewayZone = "gh2" });

        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-3);
        await RegistryApi.EventAsync(http, "batchEntered", start, "lvyuan-gh2", new JsonObject { ["batch"] = Messages.Batch });
        await RegistryApi.EventAsync(http, "inputApplied", start.AddDays(1), "lvyuan-gh2", new JsonObject
        {
            ["batch"] = Messages.Batch, ["input"] = "pesticide", ["product"] = "1.8%阿维菌素乳油", ["registrationNumber"] = "PD20080123",
            ["amount"] = new JsonObject { ["value"] = 0.3, ["unit"] = "KGM" }, ["safetyIntervalDays"] = 7,
        });
        await RegistryApi.EventAsync(http, "batchLeft", start.AddDays(3).AddHours(-1), "lvyuan-gh2", new JsonObject { ["batch"] = Messages.Batch });
        await RegistryApi.EventAsync(http, "harvested", start.AddDays(3), null, new JsonObject { ["batch"] = Messages.Batch, ["quantity"] = new JsonObject { ["value"] = 800, ["unit"] = "KGM" } });
        await RegistryApi.EventAsync(http, "crateAssociated", start.AddDays(3).AddMinutes(10), null, new JsonObject { ["batch"] = Messages.Batch, ["crate"] = new JsonObject { ["epc"] = CrateEpc } });
        await RegistryApi.EventAsync(http, "weighed", start.AddDays(3).AddMinutes(11), null, new JsonObject { ["batch"] = Messages.Batch, ["crate"] = new JsonObject { ["epc"] = CrateEpc }, ["net"] = new JsonObject { ["value"] = 18.4, ["unit"] = "KGM" } });
        await RegistryApi.EventAsync(http, "transformed", start.AddDays(3).AddMinutes(30), null, new JsonObject { ["inputs"] = new JsonArray(Messages.Batch), ["output"] = sauceBatch, ["process"] = "熬制灌装" });
        await RegistryApi.EventAsync(http, "shipped", start.AddDays(3).AddMinutes(40), null, new JsonObject { ["batch"] = sauceBatch, ["receiver"] = market, ["document"] = "DN-2026-0001" });

        // Every minute for three days (less the last hour), six hours of air readings missing on the second day.
        var gapFrom = start.AddDays(1).AddHours(6);
        var gapTo = gapFrom.AddHours(6);
        var readings = new List<Reading>();
        for (var t = start; t < start.AddDays(3).AddHours(-1); t = t.AddMinutes(1))
        {
            if (t < gapFrom || t >= gapTo)
            {
                double hour = t.UtcDateTime.TimeOfDay.TotalHours;
                readings.Add(Messages.Reading(MeasurementType.Temperature, Math.Round(18 + (6 * Math.Sin((hour - 9) / 24 * 2 * Math.PI)), 2), t.UtcDateTime, sensor: "gh1-air") with { Zone = "gh1" });
            }

            readings.Add(Messages.Reading(MeasurementType.VolumeFraction, Math.Round(35 - (t - start).TotalHours % 24 / 3, 2), t.UtcDateTime, sensor: "gh2-soil", traceCodes: []) with { Zone = "gh2" });
        }

        using var gateway = await cloud.ConnectAsync(Gateway);
        long seq = 1;
        foreach (var chunk in readings.Chunk(MessageSchemas.MaxReadings))
        {
            var result = await CloudRig.PublishAsync(gateway, Topic.Readings(Gateway).ToString(), Messages.Bytes(Messages.Readings(Gateway, seq++, chunk)));
            Assert.True(result.IsSuccess, result.ReasonString);
        }

        return new RegulatorScenario(Messages.Batch, sauceBatch, CrateEpc, gapFrom, gapTo);
    }
}
