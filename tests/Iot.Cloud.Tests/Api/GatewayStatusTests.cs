using System.Net;
using Iot.Cloud.Registry;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;
using Iot.Testing;
using Iot.Testing.InfluxDb;
using MQTTnet;

namespace Iot.Cloud.Tests.Api;

[Collection(InfluxDbFixture.CollectionName)]
public sealed class GatewayStatusTests(InfluxDbFixture influx)
{
    static byte[] Status(string gateway, GatewayState state, long depth) => Messages.Bytes(new StatusMessage
    {
        Schema = MessageSchemas.Status,
        GatewayId = gateway,
        Seq = 1,
        Clock = ClockState.Synchronized,
        Time = new DateTime(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc),
        State = state,
        Version = "1.0.0",
        Outbox = new OutboxStatus { Depth = depth, OldestAgeSeconds = 12.5, DroppedReadings = 3 },
    });

    [Fact]
    public async Task The_last_status_a_gateway_published_is_shown_and_only_its_own()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1", "gw-2"]);
        using (var missing = await cloud.Http.GetAsync(new Uri("/api/gateways/gw-1/status", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using var gateway = await cloud.ConnectAsync("gw-1");
        Assert.True((await CloudRig.PublishAsync(gateway, Topic.Status("gw-1").ToString(), Status("gw-1", GatewayState.Online, 42))).IsSuccess);
        // gw-1 cannot speak for gw-2.
        Assert.True((await CloudRig.PublishAsync(gateway, Topic.Status("gw-2").ToString(), Status("gw-2", GatewayState.Offline, 7))).IsSuccess);

        var status = await cloud.GetJsonAsync<GatewayStatusView>("/api/gateways/gw-1/status");
        Assert.Equal(("online", "1.0.0", 42L, 3L), (status!.State, status.Version, status.Outbox!.Depth, status.Outbox.DroppedReadings));
        using (var other = await cloud.Http.GetAsync(new Uri("/api/gateways/gw-2/status", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        string page = await cloud.Http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("online", page, StringComparison.Ordinal);

        // The last will (offline) replaces it.
        Assert.True((await CloudRig.PublishAsync(gateway, Topic.Status("gw-1").ToString(), Status("gw-1", GatewayState.Offline, 42))).IsSuccess);
        Assert.Equal("offline", (await cloud.GetJsonAsync<GatewayStatusView>("/api/gateways/gw-1/status"))!.State);
    }
}
