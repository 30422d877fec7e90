using System.Text.Json.Nodes;
using Iot.Cloud.Registry;
using Iot.Contracts.Messages;
using Microsoft.Extensions.DependencyInjection;
using Iot.Contracts.Topics;
using Iot.Testing;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Registry;

/// <summary>A gateway's trace events, through MQTT and ingestion, become registry records: stays, crates, weights.</summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class GatewayEventRecordTests(InfluxDbFixture influx)
{
    const string Crate = "3074257BF7194E4000001A85";

    [Fact]
    public async Task Stamped_events_become_zone_stays_and_crate_links_once_however_often_they_are_delivered()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        var http = cloud.Http;
        long farm = await RegistryApi.RegisterFarmBatchAsync(http, Messages.Batch);

        var start = DateTime.UtcNow.AddHours(-2);
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerMillisecond));
        var events = Messages.Events("gw-1", 7,
        [
            new BatchEnteredEvent { Time = start, Zone = "gh1", TraceCodes = [Messages.Batch], Batch = Messages.Batch, By = BatchSource.Configuration },
            new BatchLeftEvent { Time = start.AddHours(1), Zone = "gh1", TraceCodes = [Messages.Batch], Batch = Messages.Batch, By = BatchSource.Configuration },
            new CrateAssociatedEvent { Time = start.AddHours(1.5), Zone = "line-1", TraceCodes = [Messages.Batch], Batch = Messages.Batch, Crate = new CrateTag { Epc = Crate } },
            new WeighedEvent
            {
                Time = start.AddHours(1.6), Zone = "line-1", TraceCodes = [Messages.Batch], Batch = Messages.Batch, ScaleId = "s1",
                Crate = new CrateTag { Epc = Crate }, Net = new QuantityValue { Value = 18.5, Unit = Unit.Kilogram },
            },
        ]);
        using var gateway = await cloud.ConnectAsync("gw-1");
        for (int delivery = 0; delivery < 3; delivery++)
        {
            Assert.True((await CloudRig.PublishAsync(gateway, Topic.Events("gw-1").ToString(), Messages.Bytes(events))).IsSuccess);
        }

        // A redelivery reaching the registry after a restart (when ingestion no longer remembers the seq) records nothing.
        var store = cloud.Services.GetRequiredService<RegistryStore>();
        Assert.Equal(0, store.RecordGatewayEvents("gw-1", 7, events.Events.Select((e, i) => (i, e)).ToList()));

        var view = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/batches/{Messages.Batch}", UriKind.Relative)))!;
        var types = view["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        // In time order: the batch was registered (commissioned) after the gateway had started stamping it.
        Assert.Equal(["batchEntered", "batchLeft", "crateAssociated", "weighed", "commissioned"], types);
        var stay = Assert.Single(view["stays"]!.AsArray())!;
        Assert.Equal("gw-1.gh1", stay["zoneId"]!.GetValue<string>());
        Assert.Equal(start, stay["enteredAt"]!.GetValue<DateTimeOffset>().UtcDateTime);
        Assert.Equal(start.AddHours(1), stay["leftAt"]!.GetValue<DateTimeOffset>().UtcDateTime);
        Assert.False(view["zones"]![0]!["registered"]!.GetValue<bool>());
        Assert.Equal("packed", view["batch"]!["status"]!.GetValue<string>());

        // The crate leads back to the batch.
        var trace = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/trace/{Crate}", UriKind.Relative)))!;
        Assert.Equal(Messages.Batch, trace["batches"]![0]!["batch"]!["code"]!.GetValue<string>());

        // Registering the zone later names the placeholder: the stay moves to the registered id.
        await RegistryApi.PostAsync(http, "/api/zones", new { id = "gh-north", partyId = farm, kind = "greenhouse", name = "北棚", gatewayId = "gw-1", gatewayZone = "gh1" });
        var renamed = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/batches/{Messages.Batch}", UriKind.Relative)))!;
        Assert.Equal("gh-north", Assert.Single(renamed["stays"]!.AsArray())!["zoneId"]!.GetValue<string>());
        Assert.True(renamed["zones"]![0]!["registered"]!.GetValue<bool>());
        Assert.Equal("gw-1", renamed["zones"]![0]!["gatewayId"]!.GetValue<string>());
    }
}
