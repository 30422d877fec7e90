using System.Net;
using System.Text.Json;
using Iot.Testing;
using Iot.Testing.InfluxDb;
using Iot.Testing.Mosquitto;
using Microsoft.Data.Sqlite;

namespace Iot.Cloud.Tests.EndToEnd;

/// <summary>
/// The "Prove it" list of the cloud ingestion issue, through real processes only: the gateway (simulated hardware) and
/// the cloud as child processes, a real influxd and a real mosquitto, everything on loopback. Every test compares what
/// the gateway stored in its outbox (recorded by a trigger, see <see cref="GatewayProcess"/>) with what InfluxDB holds:
/// the same set of points, as many as readings sent.
/// </summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class ProcessIngestionTests(InfluxDbFixture influx) : IDisposable
{
    const string GatewayId = "gw-e2e";
    static readonly TimeSpan Start = TimeSpan.FromSeconds(120);
    static readonly TimeSpan Long = TimeSpan.FromSeconds(180);

    /// <summary>No new point for this long while some are missing: they are not coming.</summary>
    static readonly TimeSpan Stall = TimeSpan.FromSeconds(45);

    readonly string _folder = Directory.CreateTempSubdirectory("iot-cloud-e2e-").FullName;

    string Folder(string name) => Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;

    static Task<MosquittoServer> StartMosquittoAsync(bool logPackets = false) => MosquittoServer.StartNewAsync(new MosquittoOptions
    {
        MaxInflightMessages = 1000,
        AdditionalConfiguration = logPackets ? ["set_tcp_nodelay true", "log_type all"] : ["set_tcp_nodelay true"],
    });

    /// <summary>Waits until InfluxDB holds at least <paramref name="points"/> points: the stream is flowing end to end.</summary>
    static async Task WaitForPointsAsync(InfluxDbServer server, string database, long points, CloudProcess cloud, GatewayProcess gateway)
    {
        long now = 0;
        var until = DateTime.UtcNow + Long;
        while ((now = await StoredPoints.CountAsync(server, database)) < points)
        {
            if (DateTime.UtcNow > until || gateway.HasExited)
            {
                throw new TimeoutException($"waited for {points} points in InfluxDB, have {now} (gateway exited: {gateway.HasExited})\n{cloud.Output}\n{gateway.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits (at most <see cref="Long"/>, and while points keep coming) until InfluxDB holds as many points as <paramref name="sent"/> has readings:
    /// with an external broker the gateway's acknowledgement is the broker's, not the cloud's.
    /// </summary>
    static async Task WaitForAllAsync(InfluxDbServer server, string database, IReadOnlyList<SentMessage> sent)
    {
        long expected = StoredPoints.Expected(sent).Count;
        long last = -1;
        var until = DateTime.UtcNow + Long;
        var stalledUntil = DateTime.UtcNow + Stall;
        long now;
        while ((now = await StoredPoints.CountAsync(server, database)) < expected)
        {
            if (now != last)
            {
                last = now;
                stalledUntil = DateTime.UtcNow + Stall;
            }

            if (DateTime.UtcNow > until || DateTime.UtcNow > stalledUntil)
            {
                return; // the comparison that follows says what is missing
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Every reading the gateway sent is exactly one point (waiting first for the count when the broker, not the
    /// cloud, acknowledged the gateway), and nothing was dead-lettered.
    /// </summary>
    static async Task AssertEveryReadingStoredOnceAsync(InfluxDbServer server, string database, GatewayProcess gateway, CloudProcess cloud, bool waitForAll)
    {
        var sent = gateway.Sent();
        if (waitForAll)
        {
            await WaitForAllAsync(server, database, sent);
        }

        StoredPoints.AssertExactly(sent, await StoredPoints.ReadAsync(server, database), () => cloud.Output);
        await AssertNoDeadLettersAsync(cloud);
    }

    static async Task AssertNoDeadLettersAsync(CloudProcess cloud)
    {
        string json = await cloud.DeadLettersAsync();
        using var document = JsonDocument.Parse(json);
        Assert.True(document.RootElement.GetArrayLength() == 0, $"dead letters: {json}");
    }

    [Fact]
    public async Task Embedded_broker_every_reading_the_gateway_process_sent_is_exactly_one_point()
    {
        string database = UniqueNames.Database("e2e");
        using var cloud = CloudProcess.Start(Folder("cloud"), influx.Server, database, GatewayId);
        await cloud.WaitUntilReadyAsync(Start);
        using var gateway = GatewayProcess.Start(Folder("gateway"), GatewayId, cloud.BrokerPort);
        await WaitForPointsAsync(influx.Server, database, 500, cloud, gateway);
        await gateway.WaitForMoreAsync(50, Long);

        await gateway.StopDrainedAsync(Long);

        // The gateway deletes a message only on the embedded broker's PUBACK, which waits for the write: whatever the
        // gateway sent is in InfluxDB the moment its outbox is empty, without waiting.
        await AssertEveryReadingStoredOnceAsync(influx.Server, database, gateway, cloud, waitForAll: false);
        Assert.Equal(0, await cloud.StopAsync(Long));
    }

    [Fact]
    public async Task External_broker_every_reading_the_gateway_process_sent_through_mosquitto_is_exactly_one_point()
    {
        await using var mosquitto = await StartMosquittoAsync();
        string database = UniqueNames.Database("e2e");
        using var cloud = CloudProcess.Start(Folder("cloud"), influx.Server, database, GatewayId, mosquitto.Port);
        await cloud.WaitUntilReadyAsync(Start);
        using var gateway = GatewayProcess.Start(Folder("gateway"), GatewayId, mosquitto.Port);
        await WaitForPointsAsync(influx.Server, database, 500, cloud, gateway);
        await gateway.WaitForMoreAsync(50, Long);

        await gateway.StopDrainedAsync(Long);

        // Mosquitto acknowledged the gateway; the cloud acknowledges Mosquitto after storing: wait for the count, then
        // check the set (a duplicate at another time, or a lost reading, would show).
        await AssertEveryReadingStoredOnceAsync(influx.Server, database, gateway, cloud, waitForAll: true);

        // The cloud follows every gateway's retained status through its own (not shared) subscription: the gateway
        // said offline on its way out.
        string status = "";
        await Eventually.TrueAsync(
            () => (status = cloud.GatewayStatusAsync(GatewayId).GetAwaiter().GetResult()).Contains("\"state\":\"offline\"", StringComparison.Ordinal),
            Long,
            () => $"the gateway's offline status to reach the cloud; it has {status}");
        Assert.Equal(0, await cloud.StopAsync(Long));
    }

    [Fact]
    public async Task External_broker_kill_9_of_the_cloud_mid_stream_then_restart_every_reading_once()
    {
        await using var mosquitto = await StartMosquittoAsync();
        string database = UniqueNames.Database("e2e");
        using var cloud = CloudProcess.Start(Folder("cloud"), influx.Server, database, GatewayId, mosquitto.Port);
        await cloud.WaitUntilReadyAsync(Start);
        using var gateway = GatewayProcess.Start(Folder("gateway"), GatewayId, mosquitto.Port);
        await WaitForPointsAsync(influx.Server, database, 500, cloud, gateway);

        cloud.Kill();

        // The gateway goes on publishing; Mosquitto acknowledges it and queues for the cloud's persistent session.
        await gateway.WaitForMoreAsync(100, Long);
        Assert.True(gateway.Waiting().Count < 100, "Mosquitto took the gateway's messages while the cloud was dead");

        cloud.Restart();
        await cloud.WaitUntilReadyAsync(Start);
        Assert.Contains("session present: True", cloud.CurrentOutput, StringComparison.Ordinal);
        await gateway.WaitForMoreAsync(50, Long);
        await gateway.StopDrainedAsync(Long);

        await AssertEveryReadingStoredOnceAsync(influx.Server, database, gateway, cloud, waitForAll: true);
        Assert.Equal(0, await cloud.StopAsync(Long));
    }

    [Fact]
    public async Task Embedded_broker_kill_9_of_the_cloud_mid_stream_then_restart_every_reading_once()
    {
        string database = UniqueNames.Database("e2e");
        using var cloud = CloudProcess.Start(Folder("cloud"), influx.Server, database, GatewayId);
        await cloud.WaitUntilReadyAsync(Start);
        using var gateway = GatewayProcess.Start(Folder("gateway"), GatewayId, cloud.BrokerPort);
        await WaitForPointsAsync(influx.Server, database, 500, cloud, gateway);

        cloud.Kill();

        // Nothing acknowledges the gateway now: what it stores waits in its outbox.
        long lastBeforeOutage = gateway.LastSeq();
        await gateway.WaitForMoreAsync(100, Long);
        var waiting = gateway.Waiting();
        Assert.True(waiting.Count >= 100, $"only {waiting.Count} messages wait in the outbox while the cloud is dead");
        Assert.Contains(lastBeforeOutage + 1, waiting);

        cloud.Restart();
        await cloud.WaitUntilReadyAsync(Start);
        await gateway.WaitForMoreAsync(50, Long);
        await gateway.StopDrainedAsync(Long);

        await AssertEveryReadingStoredOnceAsync(influx.Server, database, gateway, cloud, waitForAll: false);
        Assert.Equal(0, await cloud.StopAsync(Long));
    }

    [Fact]
    public async Task Influxd_stopped_for_30_seconds_mid_stream_acknowledgements_wait_and_nothing_is_lost()
    {
        // This test stops its InfluxDB, so it has its own.
        await using var ownInflux = await InfluxDbServer.StartNewAsync();
        string database = UniqueNames.Database("e2e");
        using var cloud = CloudProcess.Start(Folder("cloud"), ownInflux, database, GatewayId, null, "--InfluxDb:MaxRetryWait=00:00:03");
        await cloud.WaitUntilReadyAsync(Start);
        using var gateway = GatewayProcess.Start(Folder("gateway"), GatewayId, cloud.BrokerPort);
        await WaitForPointsAsync(ownInflux, database, 500, cloud, gateway);

        await ownInflux.StopAsync();
        long lastBeforeOutage = gateway.LastSeq();
        var outage = System.Diagnostics.Stopwatch.StartNew();

        // Readiness says InfluxDB is what is missing, and only that.
        string body = "";
        await Eventually.TrueAsync(() =>
        {
            var (status, text) = cloud.ReadinessAsync().GetAwaiter().GetResult();
            body = text;
            return status == HttpStatusCode.ServiceUnavailable && CloudProcess.CheckStatus(text, "influxdb") == "Unhealthy";
        }, Long, () => $"/healthz/ready to say influxdb is not ready; it said {body}");
        Assert.Equal("Healthy", CloudProcess.CheckStatus(body, "broker"));
        Assert.Equal("Healthy", CloudProcess.CheckStatus(body, "registry"));

        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, 30 - outage.Elapsed.TotalSeconds)));

        // Still not ready, and nothing stored since InfluxDB went was acknowledged: it all waits in the gateway's outbox.
        var (statusAtEnd, bodyAtEnd) = await cloud.ReadinessAsync();
        Assert.True(statusAtEnd == HttpStatusCode.ServiceUnavailable, $"ready while InfluxDB is down: {bodyAtEnd}");
        var storedSince = gateway.Sent().Where(m => m.Seq > lastBeforeOutage).Select(m => m.Seq).ToList();
        var waiting = gateway.Waiting().ToHashSet();
        Assert.True(storedSince.Count >= 100, $"the gateway stored only {storedSince.Count} messages in 30 s");
        var acknowledged = storedSince.Where(s => !waiting.Contains(s)).ToList();
        Assert.True(acknowledged.Count == 0,
            $"{acknowledged.Count} messages were acknowledged while InfluxDB was down (first {acknowledged.FirstOrDefault()})\n{cloud.Output}");

        await ownInflux.StartAsync();
        await cloud.WaitUntilReadyAsync(Long);
        await gateway.WaitForMoreAsync(50, Long);
        await gateway.StopDrainedAsync(Long);

        await AssertEveryReadingStoredOnceAsync(ownInflux, database, gateway, cloud, waitForAll: false);
        Assert.Equal(0, await cloud.StopAsync(Long));
    }

    /// <summary>
    /// Known to fail at times (a system bug, not one of the test): Mosquitto 2.0 restores the cloud's session but routes
    /// nothing to its shared subscription until the cloud subscribes again, and answers the gateway's PUBLISHes meanwhile
    /// with PUBACK "no matching subscribers" (reason code 16), which the gateway takes as delivered and deletes. When the
    /// gateway reconnects before the cloud, those readings are lost; the failure message counts those PUBACKs.
    /// </summary>
    [Fact]
    public async Task Mosquitto_restarted_mid_stream_nothing_is_lost()
    {
        await using var mosquitto = await StartMosquittoAsync(logPackets: true);
        string database = UniqueNames.Database("e2e");
        using var cloud = CloudProcess.Start(Folder("cloud"), influx.Server, database, GatewayId, mosquitto.Port);
        await cloud.WaitUntilReadyAsync(Start);
        using var gateway = GatewayProcess.Start(Folder("gateway"), GatewayId, mosquitto.Port);
        await WaitForPointsAsync(influx.Server, database, 500, cloud, gateway);

        await mosquitto.StopAsync();
        long lastBeforeRestart = gateway.LastSeq();
        await gateway.WaitForMoreAsync(20, Long);
        await mosquitto.StartAsync();

        // Both find the broker again by themselves; the cloud's session (and what was queued for it) survived.
        await cloud.WaitUntilReadyAsync(Long);
        await gateway.WaitForMoreAsync(50, Long);
        await gateway.StopDrainedAsync(Long);

        var sent = gateway.Sent();
        Assert.Contains(sent, m => m.Seq > lastBeforeRestart);
        await WaitForAllAsync(influx.Server, database, sent);
        StoredPoints.AssertExactly(sent, await StoredPoints.ReadAsync(influx.Server, database), () =>
            $"Mosquitto answered {mosquitto.ReadLog().Split('\n').Count(l => l.Contains($"Sending PUBACK to {GatewayId}", StringComparison.Ordinal) && l.Contains("rc16", StringComparison.Ordinal))} " +
            $"of the gateway's PUBLISHes with 'no matching subscribers' (rc16)\n{cloud.Output}");
        await AssertNoDeadLettersAsync(cloud);
        Assert.Equal(0, await cloud.StopAsync(Long));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
