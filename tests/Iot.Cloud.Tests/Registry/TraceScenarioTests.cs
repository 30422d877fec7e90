using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Iot.Contracts.Identifiers;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Registry;

/// <summary>
/// Two farms, three batches, a packing line that mixes crates, a processor that makes one product from two batches,
/// and two receivers: the traces and the recall a regulator relies on, through the cloud's own HTTP API.
/// </summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class TraceScenarioTests(InfluxDbFixture influx)
{
    const string HouseholdId = "11010519491231002X";
    const string CrateMixed = "3074257BF7194E4000001A85";   // SGTIN-96: urn:epc:id:sgtin:0614141.812345.6789
    const string CrateA1 = "3174257BF4499602D2000000";      // SSCC-96
    const string CrateA2Uid = "04A224E2C45D80";             // HF tag: a UID, not an EPC

    [Fact]
    public async Task Backward_and_forward_traces_and_a_recall_return_exactly_the_right_set()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        var api = new Api(cloud.Http);

        long farmA = (await api.PostAsync("/api/parties", new { kind = "enterprise", role = "farm", name = "漳州市绿源蔬菜专业合作社", creditCode = "91350200776049653A" }))["party"]!["id"]!.GetValue<long>();
        var household = await api.PostAsync("/api/parties", new { kind = "household", role = "farm", name = "张三家庭农场", residentId = HouseholdId });
        long farmB = household["party"]!["id"]!.GetValue<long>();
        string householdKey = household["accessKey"]!.GetValue<string>();
        long processor = (await api.PostAsync("/api/parties", new { kind = "enterprise", role = "processor", name = "厦门味好食品有限公司", creditCode = Credit("91350200MA2XYW12") }))["party"]!["id"]!.GetValue<long>();
        long receiver1 = (await api.PostAsync("/api/parties", new { kind = "enterprise", role = "distributor", name = "福州海峡农产品批发市场", creditCode = Credit("91350100MA3ABC45") }))["party"]!["id"]!.GetValue<long>();
        long receiver2 = (await api.PostAsync("/api/parties", new { kind = "enterprise", role = "retailer", name = "永辉超市厦门店", creditCode = Credit("91350200MA4DEF67") }))["party"]!["id"]!.GetValue<long>();

        long tomato = (await api.PostAsync("/api/products", new { name = "番茄", category = "蔬菜", gtin = "09521234543213" }))["id"]!.GetValue<long>();
        long cucumber = (await api.PostAsync("/api/products", new { name = "黄瓜", category = "蔬菜" }))["id"]!.GetValue<long>();
        long sauce = (await api.PostAsync("/api/products", new { name = "番茄黄瓜酱", category = "加工品" }))["id"]!.GetValue<long>();

        string a1 = (await api.PostAsync("/api/batches", new { productId = tomato, producerId = farmA }))["code"]!.GetValue<string>();
        string a2 = (await api.PostAsync("/api/batches", new { productId = tomato, producerId = farmA }))["code"]!.GetValue<string>();
        string b1 = (await api.PostAsync("/api/batches", new { productId = cucumber, producerId = farmB }))["code"]!.GetValue<string>();
        string s1 = (await api.PostAsync("/api/batches", new { productId = sauce, producerId = processor }))["code"]!.GetValue<string>();
        Assert.All(new[] { a1, a2, b1, s1 }, c => Assert.True(BatchTraceCode.TryParse(c, out _, out _), c));

        await api.PostAsync("/api/zones", new { id = "a-gh1", partyId = farmA, kind = "greenhouse", name = "1号大棚", gatewayId = "gw-a", gatewayZone = "gh1" });
        await api.PostAsync("/api/zones", new { id = "p-line1", partyId = processor, kind = "packingLine", name = "包装线", gatewayId = "gw-p", gatewayZone = "line-1" });

        var t = DateTimeOffset.UtcNow.AddDays(-3);
        await api.EventAsync("batchEntered", t, "a-gh1", new JsonObject { ["batch"] = a1 });
        await api.EventAsync("inputApplied", t.AddHours(1), "a-gh1", new JsonObject
        {
            ["batch"] = a1, ["input"] = "pesticide", ["product"] = "阿维菌素", ["registrationNumber"] = "PD20080123",
            ["amount"] = new JsonObject { ["value"] = 0.5, ["unit"] = "KGM" }, ["safetyIntervalDays"] = 7,
        });
        await api.EventAsync("batchLeft", t.AddHours(30), "a-gh1", new JsonObject { ["batch"] = a1 });
        await api.EventAsync("harvested", t.AddHours(31), null, new JsonObject { ["batch"] = a1, ["quantity"] = new JsonObject { ["value"] = 1200, ["unit"] = "KGM" } });

        // The packing line mixes: one crate holds A1 and B1; A1 also fills an SSCC crate; A2 goes in an HF-tagged crate.
        await api.EventAsync("crateAssociated", t.AddHours(40), "p-line1", new JsonObject { ["batch"] = a1, ["crate"] = new JsonObject { ["epc"] = CrateMixed } });
        await api.EventAsync("crateAssociated", t.AddHours(40.1), "p-line1", new JsonObject { ["batch"] = b1, ["crate"] = new JsonObject { ["epc"] = CrateMixed } });
        await api.EventAsync("crateAssociated", t.AddHours(40.2), "p-line1", new JsonObject { ["batch"] = a1, ["crate"] = new JsonObject { ["epc"] = CrateA1 } });
        await api.EventAsync("weighed", t.AddHours(40.3), "p-line1", new JsonObject { ["batch"] = a1, ["crate"] = new JsonObject { ["epc"] = CrateA1 }, ["net"] = new JsonObject { ["value"] = 18.4, ["unit"] = "KGM" } });
        await api.EventAsync("crateAssociated", t.AddHours(41), "p-line1", new JsonObject { ["batch"] = a2, ["crate"] = new JsonObject { ["uid"] = CrateA2Uid } });

        // The processor makes sauce from A1 and B1 and ships it to receiver 1; A1's SSCC crate and A2 go to receiver 2.
        await api.EventAsync("transformed", t.AddHours(50), null, new JsonObject { ["inputs"] = new JsonArray(a1, b1), ["output"] = s1, ["process"] = "熬制" });
        await api.EventAsync("shipped", t.AddHours(60), null, new JsonObject { ["batch"] = s1, ["receiver"] = receiver1, ["document"] = "DN-2026-0001" });
        await api.EventAsync("shipped", t.AddHours(61), null, new JsonObject { ["batch"] = a1, ["receiver"] = receiver2, ["crates"] = new JsonArray(new JsonObject { ["epc"] = CrateA1 }) });
        await api.EventAsync("shipped", t.AddHours(62), null, new JsonObject { ["batch"] = a2, ["receiver"] = receiver2, ["crates"] = new JsonArray(new JsonObject { ["uid"] = CrateA2Uid }) });
        await api.EventAsync("received", t.AddHours(70), null, new JsonObject { ["batch"] = s1, ["receiver"] = receiver1, ["sender"] = processor });
        await api.PutAsync($"/api/batches/{a2}/national-code", new { nationalCode = "350200-2026-000123" });

        // Backward from the mixed crate: both batches, each with its own producer; the household's id stays masked.
        var mixed = await api.GetAsync($"/api/trace/{CrateMixed}");
        Assert.Equal("crate", mixed["start"]!["kind"]!.GetValue<string>());
        Assert.Equal(Sorted(a1, b1), Codes(mixed["batches"]!, o => o["batch"]!["code"]!));
        var b1Origin = mixed["batches"]!.AsArray().Single(o => o!["batch"]!["code"]!.GetValue<string>() == b1)!;
        Assert.Equal(farmB, b1Origin["producer"]!["id"]!.GetValue<long>());
        Assert.Equal("110105********002X", b1Origin["producer"]!["residentId"]!.GetValue<string>());
        var a1Origin = mixed["batches"]!.AsArray().Single(o => o!["batch"]!["code"]!.GetValue<string>() == a1)!;
        Assert.Equal(["a-gh1"], Codes(a1Origin["zones"]!, z => z["id"]!));
        Assert.Equal("PD20080123", Assert.Single(a1Origin["inputs"]!.AsArray())!["details"]!["registrationNumber"]!.GetValue<string>());

        // Backward from the sauce: made from A1 and B1; from an HF UID and from a national code: A2.
        var sauceOrigin = await api.GetAsync($"/api/trace/{s1}");
        Assert.Equal(Sorted(a1, b1), Codes(sauceOrigin["batches"]![0]!["madeFrom"]!, o => o["batch"]!["code"]!));
        Assert.Equal([a2], Codes((await api.GetAsync($"/api/trace/{CrateA2Uid}"))["batches"]!, o => o["batch"]!["code"]!));
        var national = await api.GetAsync("/api/trace/350200-2026-000123");
        Assert.Equal("nationalCode", national["start"]!["kind"]!.GetValue<string>());
        Assert.Equal([a2], Codes(national["batches"]!, o => o["batch"]!["code"]!));

        // Forward from A1: the sauce made from it, its crates, both shipments and both receivers; nothing of A2's.
        var forward = await api.GetAsync($"/api/batches/{a1}/forward");
        Assert.Equal(Sorted(a1, s1), Codes(forward["batches"]!, b => b["code"]!));
        Assert.Equal(Sorted($"epc:{CrateA1}", $"epc:{CrateMixed}"), Codes(forward["crates"]!, c => JsonValue.Create($"{c["kind"]}:{c["identifier"]}")!).Distinct().ToList());
        Assert.Equal(new[] { receiver1, receiver2 }.Order(), forward["receivers"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()).Order());
        Assert.DoesNotContain(CrateA2Uid, forward.ToJsonString(), StringComparison.Ordinal);

        // Recall B1: B1 and the sauce made from it are recalled, receiver 1 is affected; A1, A2 and receiver 2 are not.
        var recall = await api.PostAsync($"/api/batches/{b1}/recall", new { reason = "农残超标 (pesticide residue over the limit)" }, HttpStatusCode.OK);
        Assert.Equal(Sorted(b1, s1), recall["recalled"]!.AsArray().Select(c => c!.GetValue<string>()).Order().ToList());
        Assert.Equal([receiver1], recall["affected"]!["receivers"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()));
        Assert.Equal(Sorted($"epc:{CrateMixed}"), Codes(recall["affected"]!["crates"]!, c => JsonValue.Create($"{c["kind"]}:{c["identifier"]}")!).Distinct().ToList());
        Assert.Equal("recalled", (await api.GetAsync($"/api/batches/{s1}"))["batch"]!["status"]!.GetValue<string>());
        Assert.Equal("shipped", (await api.GetAsync($"/api/batches/{a1}"))["batch"]!["status"]!.GetValue<string>());
        var again = await api.PostAsync($"/api/batches/{b1}/recall", new { reason = "again" }, HttpStatusCode.OK);
        Assert.Empty(again["recalled"]!.AsArray());
        Assert.Equal(Sorted(b1, s1), again["alreadyRecalled"]!.AsArray().Select(c => c!.GetValue<string>()).Order().ToList());

        // Every batch's EPCIS export is valid against GS1's schema; the national code rides as an agri: extension.
        foreach (string code in new[] { a1, a2, b1, s1 })
        {
            using var response = await cloud.Http.GetAsync(new Uri($"/api/batches/{code}/epcis", UriKind.Relative));
            string epcis = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, epcis);
            Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Empty(Epcis.EpcisSchema.Validate(epcis));
            Assert.DoesNotContain(HouseholdId, epcis, StringComparison.Ordinal);
            Assert.Equal(code == a2 ? "350200-2026-000123" : null, JsonNode.Parse(epcis)!["agri:nationalTraceCode"]?.GetValue<string>());
        }

        // The household's resident identity number appears nowhere but in its own record read with its own key.
        foreach (string path in new[] { $"/api/trace/{CrateMixed}", $"/api/batches/{b1}", $"/api/batches/{b1}/forward", "/api/parties", $"/api/parties/{farmB}" })
        {
            Assert.DoesNotContain(HouseholdId, (await api.GetAsync(path)).ToJsonString(), StringComparison.Ordinal);
        }

        using var own = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/parties/{farmB}", UriKind.Relative));
        own.Headers.Add("X-Party-Key", householdKey);
        using var ownResponse = await cloud.Http.SendAsync(own);
        Assert.Equal(HouseholdId, JsonNode.Parse(await ownResponse.Content.ReadAsStringAsync())!["residentId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_record_is_a_problem_that_names_the_field_and_the_reason()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        var api = new Api(cloud.Http);

        var badCheck = await api.PostAsync("/api/parties", new { kind = "enterprise", role = "farm", name = "x", creditCode = "91350200776049653B" }, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", api.LastContentType);
        Assert.Contains("expected 'A'", badCheck["errors"]!["creditCode"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var badKind = await api.PostAsync("/api/parties", new { kind = "company", role = "farm", name = "x" }, HttpStatusCode.BadRequest);
        Assert.Contains("'company' is not one of enterprise, household", badKind["errors"]!["kind"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var badResident = await api.PostAsync("/api/parties", new { kind = "household", role = "farm", name = "x", residentId = "110105194912310021" }, HttpStatusCode.BadRequest);
        Assert.True(badResident["errors"]!["residentId"] is not null);
        Assert.DoesNotContain("110105194912310021", badResident.ToJsonString(), StringComparison.Ordinal);

        var badGtin = await api.PostAsync("/api/products", new { name = "番茄", gtin = "09521234543214" }, HttpStatusCode.BadRequest);
        Assert.True(badGtin["errors"]!["gtin"] is not null);

        var noProduct = await api.PostAsync("/api/batches", new { productId = 999, producerId = 1 }, HttpStatusCode.BadRequest);
        Assert.Equal("product 999 is not registered", noProduct["errors"]!["productId"]![0]!.GetValue<string>());

        var badCode = await api.PostAsync("/api/batches", new { code = "7K3M9Q2TXW4A1B64", productId = 1, producerId = 1 }, HttpStatusCode.BadRequest);
        Assert.True(badCode["errors"]!["code"] is not null);

        var badEvent = await api.PostAsync("/api/events", new { type = "shipped", time = DateTimeOffset.UtcNow, details = new { batch = "7K3M9Q2TXW4A1B63", receiver = 1 } }, HttpStatusCode.BadRequest);
        Assert.Equal("batch 7K3M9Q2TXW4A1B63 is not registered", badEvent["errors"]!["details.batch"]![0]!.GetValue<string>());

        var future = await api.PostAsync("/api/events", new { type = "harvested", time = DateTimeOffset.UtcNow.AddDays(1), details = new { batch = "7K3M9Q2TXW4A1B63" } }, HttpStatusCode.BadRequest);
        Assert.Contains("is in the future", future["errors"]!["time"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // A body the route cannot read at all is a problem too, saying where the JSON went wrong.
        foreach (var (body, where) in new[] { ("{\"kind\": ", "LineNumber: 0 | BytePositionInLine: 9"), ("{\"kind\": 5}", "$.kind") })
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await cloud.Http.PostAsync(new Uri("/api/parties", UriKind.Relative), content);
            string text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(where, JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var missing = await api.GetAsync("/api/batches/7K3M9Q2TXW4A1B63", HttpStatusCode.NotFound);
        Assert.Equal("No such batch", missing["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_registry_and_tracing()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        var document = await new Api(cloud.Http).GetAsync("/openapi/v1.json");
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (string path in new[] { "/api/parties", "/api/batches", "/api/batches/{code}", "/api/batches/{code}/recall", "/api/trace/{identifier}", "/api/events", "/api/zones" })
        {
            Assert.Contains(path, paths);
        }
    }

    static string Credit(string first16)
    {
        // A 17-character payload with a right check character, so the test's parties are valid.
        return UnifiedSocialCreditCode.FromPayload(first16 + "0").Value;
    }

    static List<string> Sorted(params string[] values) => values.Order(StringComparer.Ordinal).ToList();

    static List<string> Codes(JsonNode array, Func<JsonNode, JsonNode> pick) =>
        array.AsArray().Select(n => pick(n!).GetValue<string>()).Order(StringComparer.Ordinal).ToList();

    sealed class Api(HttpClient http)
    {
        public string? LastContentType { get; private set; }

        public async Task<JsonNode> PostAsync(string path, object body, HttpStatusCode? expected = null)
        {
            using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
            return await ReadAsync(response, expected, HttpStatusCode.Created, path);
        }

        public async Task<JsonNode> PutAsync(string path, object body)
        {
            using var response = await http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body);
            return await ReadAsync(response, HttpStatusCode.OK, HttpStatusCode.OK, path);
        }

        public async Task<JsonNode> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return await ReadAsync(response, expected, expected, path);
        }

        public Task<JsonNode> EventAsync(string type, DateTimeOffset time, string? zone, JsonObject details) =>
            PostAsync("/api/events", new { type, time, zone, details });

        async Task<JsonNode> ReadAsync(HttpResponseMessage response, HttpStatusCode? expected, HttpStatusCode otherwise, string path)
        {
            string text = await response.Content.ReadAsStringAsync();
            LastContentType = response.Content.Headers.ContentType?.MediaType;
            Assert.True(response.StatusCode == (expected ?? otherwise), $"{path}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!;
        }
    }
}
