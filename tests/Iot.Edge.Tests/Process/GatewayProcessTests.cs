using System.Collections.Concurrent;
using System.Text.Json;
using Iot.Contracts.Messages;
using Iot.Contracts.Validation;
using Iot.Testing;
using Iot.Testing.Mosquitto;
using Iot.Testing.Processes;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Protocol;

namespace Iot.Edge.Tests.Process;

/// <summary>The gateway as a farm technician runs it: a real process, a real broker, kill -9, bad configuration.</summary>
public sealed class GatewayProcessTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("iot-gateway-proc-").FullName;

    static string[] FastSite(string gatewayId, int port, string outbox) => GatewaySite.Fast(gatewayId, port, outbox, GatewayRig.Batch1);

    static async Task<(IMqttClient Client, ConcurrentQueue<(string Topic, byte[] Payload)> Got)> SubscribeAsync(MosquittoServer broker, string clientId, params string[] filters)
    {
        var got = new ConcurrentQueue<(string, byte[])>();
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            got.Enqueue((e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(broker.CreateClientOptionsBuilder().WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCleanStart(false).WithSessionExpiryInterval(3600).Build());
        var subscribe = new MqttClientFactory().CreateSubscribeOptionsBuilder();
        foreach (string f in filters)
        {
            subscribe.WithTopicFilter(f, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        await client.SubscribeAsync(subscribe.Build());
        return (client, got);
    }

    static List<(long Seq, byte[] Payload)> Waiting(string outbox)
    {
        using var db = new SqliteConnection($"Data Source={outbox};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT seq, payload FROM outbox ORDER BY seq";
        using var reader = cmd.ExecuteReader();
        var list = new List<(long, byte[])>();
        while (reader.Read())
        {
            list.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }

        return list;
    }

    static long SeqOf(byte[] payload)
    {
        using var doc = JsonDocument.Parse(payload);
        return doc.RootElement.GetProperty("seq").GetInt64();
    }

    [Fact]
    public async Task Kill_9_mid_write_loses_nothing_stored_reorders_nothing_and_the_will_says_offline()
    {
        await using var broker = await MosquittoServer.StartNewAsync();
        string outbox = Path.Combine(_folder, "outbox.db");
        var (rx, got) = await SubscribeAsync(broker, UniqueNames.ClientId("rx"), "agri/v1/gw-kill/readings", "agri/v1/gw-kill/status");

        // Run, then take the broker away so the outbox fills, and kill the gateway while it writes.
        using (var first = AppProcess.Start("iot-gateway", _folder, FastSite("gw-kill", broker.Port, outbox)))
        {
            await first.WaitForOutputAsync("Connected to", TimeSpan.FromSeconds(30));
            await Task.Delay(1500);
            await rx.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
            var sessionBefore = got.Count;
            first.Kill();
            Assert.True(first.HasExited);

            // The broker published the gateway's last will, retained: offline.
            await rx.ConnectAsync(broker.CreateClientOptionsBuilder().WithClientId(UniqueNames.ClientId("will")).Build());
        }

        var (willClient, willGot) = await SubscribeAsync(broker, UniqueNames.ClientId("will2"), "agri/v1/gw-kill/status");
        await Eventually.TrueAsync(() => !willGot.IsEmpty, TimeSpan.FromSeconds(10), () => "the retained last will");
        var will = (StatusMessage)ContractReader.Read(willGot.First().Topic, willGot.First().Payload).Message!;
        Assert.Equal(GatewayState.Offline, will.State);
        await willClient.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());

        await broker.StopAsync();
        int before = Waiting(outbox).Count;
        using (var second = AppProcess.Start("iot-gateway", _folder, FastSite("gw-kill", broker.Port, outbox)))
        {
            // Killed again while the broker is away, once readings have piled up in the outbox and more are being written.
            await Eventually.TrueAsync(() => Waiting(outbox).Count >= before + 20, TimeSpan.FromSeconds(60), () => "readings to pile up in the outbox");
            second.Kill();
        }

        var stored = Waiting(outbox);
        Assert.NotEmpty(stored);

        // Everything stored when the power went is delivered, byte for byte, once the gateway and broker are back.
        await broker.StartAsync();
        // The outbox holds readings and the batchEntered event the first start announced.
        var (rx2, got2) = await SubscribeAsync(broker, UniqueNames.ClientId("rx2"), "agri/v1/gw-kill/readings", "agri/v1/gw-kill/events");
        using (var third = AppProcess.Start("iot-gateway", _folder, FastSite("gw-kill", broker.Port, outbox)))
        {
            await Eventually.TrueAsync(() => stored.All(s => got2.Any(g => SeqOf(g.Payload) == s.Seq)), TimeSpan.FromSeconds(60),
                () => $"{stored.Count} stored messages to arrive");
            Assert.Equal(0, await third.StopAsync(TimeSpan.FromSeconds(30)));
        }

        var delivered = got2.ToList();
        foreach (var (seq, payload) in stored)
        {
            Assert.All(delivered.Where(d => SeqOf(d.Payload) == seq), d => Assert.Equal(payload, d.Payload));
        }

        // Nothing reordered: first arrivals come in sequence order, and each sensor's readings go forward in time.
        var firstArrivals = new List<long>();
        var seen = new HashSet<long>();
        foreach (var d in delivered)
        {
            if (seen.Add(SeqOf(d.Payload)))
            {
                firstArrivals.Add(SeqOf(d.Payload));
            }
        }

        Assert.Equal(firstArrivals.Order(), firstArrivals);
        var readings = firstArrivals.Select(s => delivered.First(d => SeqOf(d.Payload) == s))
            .Where(d => d.Topic.EndsWith("/readings", StringComparison.Ordinal))
            .SelectMany(d => ((ReadingsMessage)ContractReader.Read(d.Topic, d.Payload).Message!).Readings).ToList();
        foreach (var sensor in readings.GroupBy(r => r.SensorId))
        {
            var times = sensor.Select(r => r.Time).ToList();
            Assert.Equal(times.Order(), times);
        }

        // A clean stop sent what sampling gathered last, too.
        Assert.Empty(Waiting(outbox));
        await rx2.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        rx.Dispose();
        rx2.Dispose();
        willClient.Dispose();
    }

    [Fact]
    public async Task A_bad_configuration_names_every_bad_key_and_exits_2()
    {
        using var gateway = AppProcess.Start("iot-gateway", _folder,
            "--Gateway:Id=gw/1", "--Mqtt:Port=70000", "--Hardware:Simulated=true",
            $"--Outbox:Path={Path.Combine(_folder, "o.db")}",
            "--Zones:0:Id=gh1", "--Sensors:0:Id=air-1", "--Sensors:0:Zone=gh9", "--Sensors:0:Chip=Sht4x");
        Assert.Equal(2, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("the configuration is not valid", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("Gateway:Id: gateway id: character '/' at position 3 is not allowed", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("Mqtt:Port: The field Port must be between 1 and 65535.", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("Sensors:0:Zone: sensor air-1 is in zone 'gh9', which is not under Zones", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", gateway.Output, StringComparison.Ordinal); // no stack trace for the installer
    }

    [Fact]
    public async Task A_configuration_file_that_is_not_json_is_reported_and_exits_2()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "appsettings.json"), "{ \"Gateway\": { \"Id\": \"gw-1\" ");
        using var gateway = AppProcess.Start("iot-gateway", _folder);
        Assert.Equal(2, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("cannot read the configuration", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("appsettings.json", gateway.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
