using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Iot.Contracts.Topics;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Registry;

/// <summary>The national platform's records through the cloud's HTTP API: import with a report, then the exchange document.</summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class NationalApiTests(InfluxDbFixture influx)
{
    [Fact]
    public async Task An_imported_trace_code_links_the_batch_and_its_exchange_document_carries_it_with_the_sensor_record()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        var http = cloud.Http;
        var parties = await ImportAsync(http, "parties", """
            kind,role,name,creditCode,residentId,divisionCode,nationalEntityCode
            enterprise,farm,漳州市绿源蔬菜专业合作社,91350200776049653A,,,ZT3502000001
            enterprise,farm,坏码合作社,91350200776049653B,,,ZT3502000002
            household,farm,张三,,11010519491231002X,350206,
            enterprise,farm,,91350206MA2Y8K1N5D,,,
            """, HttpStatusCode.OK);
        Assert.Equal((4, 2, 1, 1), (parties["rows"]!.GetValue<int>(), parties["accepted"]!.GetValue<int>(), parties["warned"]!.GetValue<int>(), parties["rejected"]!.GetValue<int>()));
        Assert.DoesNotContain("11010519491231002X", parties.ToJsonString(), StringComparison.Ordinal);

        long farm = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/parties?search=ZT3502000001", UriKind.Relative)))![0]!["id"]!.GetValue<long>();
        await RegistryApi.RegisterBatchAsync(http, Messages.Batch, farm);
        var codes = await ImportAsync(http, "traceCodes", $"""
            nationalTraceCode,batchCode,nationalEntityCode
            35060020261124000001,{Messages.Batch},ZT3502000001
            35060020261124000002,HN8RD4CFQ2LKM3P7,ZT3502000001
            """, HttpStatusCode.OK);
        Assert.Equal((1, 1), (codes["accepted"]!.GetValue<int>(), codes["rejected"]!.GetValue<int>()));

        using var gateway = await cloud.ConnectAsync("gw-1");
        Assert.True((await CloudRig.PublishAsync(gateway, Topic.Readings("gw-1").ToString(), Messages.Bytes(Messages.Readings("gw-1", 1, 30)))).IsSuccess);

        var exchange = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/batches/{Messages.Batch}/exchange", UriKind.Relative)))!;
        Assert.Equal("35060020261124000001", exchange["nationalTraceCode"]!.GetValue<string>());
        Assert.Equal("ZT3502000001", exchange["producer"]!["nationalEntityCode"]!.GetValue<string>());
        var temperature = Assert.Single(exchange["sensors"]!.AsArray(), s => s!["measurement"]!.GetValue<string>() == "Temperature")!;
        Assert.Equal(30, temperature["intervals"]!.AsArray().Sum(i => i!["count"]!.GetValue<long>()));

        // The EPCIS export carries the sensor record (a Temperature interval of 30 readings) and is valid.
        string epcis = await http.GetStringAsync(new Uri($"/api/batches/{Messages.Batch}/epcis", UriKind.Relative));
        Assert.Empty(Epcis.EpcisSchema.Validate(epcis));
        var reports = JsonNode.Parse(epcis)!["epcisBody"]!["eventList"]!.AsArray()
            .SelectMany(e => e!["sensorElementList"]?.AsArray() ?? [])
            .SelectMany(el => el!["sensorReport"]!.AsArray())
            .Where(r => r!["type"]!.GetValue<string>() == "Temperature")
            .ToList();
        var report = Assert.Single(reports)!;
        Assert.Equal(("CEL", 20.0, 22.9), (report["uom"]!.GetValue<string>(), report["minValue"]!.GetValue<double>(), report["maxValue"]!.GetValue<double>()));

        // A file without its required columns is refused whole, with the reason.
        var refused = await ImportAsync(http, "parties", "name,role\n张三,farm\n", HttpStatusCode.BadRequest);
        Assert.Contains("kind", refused["refusal"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    static async Task<JsonNode> ImportAsync(HttpClient http, string kind, string csv, HttpStatusCode expected)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await http.PostAsync(new Uri($"/api/national/import?kind={kind}", UriKind.Relative), content);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
