using System.Collections.Concurrent;
using System.Text.Json;
using Iot.Contracts.Messages;
using Iot.Contracts.Validation;
using Iot.Testing;
using Iot.Testing.Mosquitto;
using MQTTnet;
using MQTTnet.Protocol;

namespace Iot.Edge.Tests.Uplink;

/// <summary>The uplink against a real Mosquitto: everything in the outbox arrives, in order, through broker restarts.</summary>
public sealed class MqttUplinkTests
{
    /// <summary>A persistent QoS 1 subscriber that records every delivery, duplicates included.</summary>
    sealed class Receiver : IAsyncDisposable
    {
        readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        readonly MosquittoServer _broker;
        readonly string _clientId = UniqueNames.ClientId("rx");
        readonly string[] _filters;

        public Receiver(MosquittoServer broker, params string[] filters)
        {
            _broker = broker;
            _filters = filters;
            _client.ApplicationMessageReceivedAsync += e =>
            {
                Deliveries.Enqueue((e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload), e.ApplicationMessage.Retain));
                return Task.CompletedTask;
            };
        }

        public ConcurrentQueue<(string Topic, byte[] Payload, bool Retain)> Deliveries { get; } = new();

        public async Task ConnectAsync()
        {
            var options = _broker.CreateClientOptionsBuilder()
                .WithClientId(_clientId)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .WithCleanStart(false)
                .WithSessionExpiryInterval(3600)
                .Build();
            await _client.ConnectAsync(options);
            var subscribe = new MqttClientFactory().CreateSubscribeOptionsBuilder();
            foreach (string f in _filters)
            {
                subscribe.WithTopicFilter(f, MqttQualityOfServiceLevel.AtLeastOnce);
            }

            await _client.SubscribeAsync(subscribe.Build());
        }

        public async Task ReconnectUntilConnectedAsync(TimeSpan deadline)
        {
            var until = DateTime.UtcNow + deadline;
            while (!_client.IsConnected)
            {
                try
                {
                    await ConnectAsync();
                }
                catch (Exception) when (DateTime.UtcNow < until)
                {
                    await Task.Delay(100);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
            }

            _client.Dispose();
        }
    }

    static long SeqOf(byte[] payload)
    {
        using var doc = JsonDocument.Parse(payload);
        return doc.RootElement.GetProperty("seq").GetInt64();
    }

    [Fact]
    public async Task Every_message_arrives_in_order_through_a_broker_restart_and_duplicates_are_exact_resends()
    {
        await using var broker = await MosquittoServer.StartNewAsync();
        using var rig = new GatewayRig();
        await using var receiver = new Receiver(broker, "agri/v1/gw-rig-1/readings");
        await receiver.ConnectAsync();

        var uplink = rig.Uplink(broker.Port);
        using var stop = new CancellationTokenSource();
        await uplink.StartAsync(stop.Token);

        const int Messages = 600;
        var expected = new Dictionary<long, byte[]>();
        for (int i = 0; i < Messages; i++)
        {
            foreach (var e in rig.Writer.AppendReadings(rig.Readings(i * 5, 5).Readings, ClockState.Synchronized))
            {
                expected[e.Seq] = e.Payload;
            }

            if (i == Messages / 3)
            {
                await broker.StopAsync();
            }

            if (i == Messages / 2)
            {
                await broker.StartAsync();
                await receiver.ReconnectUntilConnectedAsync(TimeSpan.FromSeconds(20));
            }

            if (i % 50 == 0)
            {
                await Task.Delay(20);
            }
        }

        await Eventually.TrueAsync(
            () => receiver.Deliveries.Select(d => SeqOf(d.Payload)).Distinct().Count() == Messages && rig.Outbox.Snapshot().Depth == 0,
            TimeSpan.FromSeconds(60),
            () => $"{receiver.Deliveries.Select(d => SeqOf(d.Payload)).Distinct().Count()} of {Messages} messages, outbox depth {rig.Outbox.Snapshot().Depth}");
        await uplink.StopAsync(CancellationToken.None);

        var seen = new HashSet<long>();
        long lastFirstArrival = 0;
        foreach (var (_, payload, _) in receiver.Deliveries)
        {
            long seq = SeqOf(payload);
            Assert.Equal(expected[seq], payload); // a resend is byte for byte the message first sent
            if (seen.Add(seq))
            {
                Assert.True(seq > lastFirstArrival, $"message {seq} first arrived after {lastFirstArrival}");
                lastFirstArrival = seq;
            }
        }

        Assert.Equal(expected.Keys.Order(), seen.Order());
        Assert.Equal(0, rig.Outbox.Snapshot().Depth);
    }

    [Fact]
    public async Task Nothing_is_deleted_from_the_outbox_while_the_broker_is_down()
    {
        await using var broker = await MosquittoServer.StartNewAsync();
        await broker.KeepIngestionSessionAsync();
        await broker.StopAsync();
        using var rig = new GatewayRig();
        var uplink = rig.Uplink(broker.Port);
        await uplink.StartAsync(CancellationToken.None);
        rig.Writer.AppendReadings(rig.Readings(0, 10).Readings, ClockState.Synchronized);
        await Task.Delay(1500);
        Assert.Equal(1, rig.Outbox.Snapshot().Depth);
        Assert.False(uplink.IsConnected);

        await broker.StartAsync();
        await Eventually.TrueAsync(() => rig.Outbox.Snapshot().Depth == 0, TimeSpan.FromSeconds(20), () => "the outbox to drain after the broker came back");
        await uplink.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_message_no_subscriber_took_stays_in_the_outbox_until_ingestion_subscribes()
    {
        // A broker restarted before the cloud subscribed again (or before the cloud's first start) answers
        // "no matching subscribers" and drops the message; the gateway must keep it.
        await using var broker = await MosquittoServer.StartNewAsync();
        using var rig = new GatewayRig();
        var uplink = rig.Uplink(broker.Port);
        await uplink.StartAsync(CancellationToken.None);
        rig.Writer.AppendReadings(rig.Readings(0, 10).Readings, ClockState.Synchronized);
        await Eventually.TrueAsync(() => uplink.IsConnected, TimeSpan.FromSeconds(10), () => "the uplink to connect");
        await Task.Delay(2000);
        Assert.Equal(1, rig.Outbox.Snapshot().Depth);

        await using var ingestion = new Receiver(broker, "agri/v1/+/readings");
        await ingestion.ConnectAsync();
        await Eventually.TrueAsync(() => rig.Outbox.Snapshot().Depth == 0, TimeSpan.FromSeconds(30), () => "the outbox to drain once a subscriber exists");
        await Eventually.TrueAsync(() => !ingestion.Deliveries.IsEmpty, TimeSpan.FromSeconds(10), () => "the reading to reach the subscriber");
        await uplink.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Status_is_retained_online_while_running_and_offline_after_a_clean_stop()
    {
        await using var broker = await MosquittoServer.StartNewAsync();
        using var rig = new GatewayRig();
        var uplink = rig.Uplink(broker.Port);
        await uplink.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => uplink.IsConnected, TimeSpan.FromSeconds(10), () => "the uplink to connect");

        await using (var late = new Receiver(broker, "agri/v1/gw-rig-1/status"))
        {
            await late.ConnectAsync();
            await Eventually.TrueAsync(() => !late.Deliveries.IsEmpty, TimeSpan.FromSeconds(10), () => "the retained status");
            var (topic, payload, retain) = late.Deliveries.First();
            Assert.True(retain);
            var status = ContractReader.Read(topic, payload);
            Assert.True(status.IsValid, status.Reason);
            Assert.Equal(GatewayState.Online, ((StatusMessage)status.Message!).State);
            Assert.NotNull(((StatusMessage)status.Message).Outbox);
        }

        await uplink.StopAsync(CancellationToken.None);
        await using var after = new Receiver(broker, "agri/v1/gw-rig-1/status");
        await after.ConnectAsync();
        await Eventually.TrueAsync(() => !after.Deliveries.IsEmpty, TimeSpan.FromSeconds(10), () => "the retained status after stop");
        var last = ContractReader.Read(after.Deliveries.First().Topic, after.Deliveries.First().Payload);
        Assert.Equal(GatewayState.Offline, ((StatusMessage)last.Message!).State);
    }

    [Fact]
    public async Task A_command_from_the_cloud_is_carried_out_and_answered()
    {
        await using var broker = await MosquittoServer.StartNewAsync();
        using var rig = new GatewayRig();
        await using var cloud = new Receiver(broker, "agri/v1/gw-rig-1/cmd-result", "agri/v1/gw-rig-1/events");
        await cloud.ConnectAsync();
        var uplink = rig.Uplink(broker.Port);
        await uplink.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => uplink.IsConnected, TimeSpan.FromSeconds(10), () => "the uplink to connect");

        using var sender = new MqttClientFactory().CreateMqttClient();
        await sender.ConnectAsync(broker.CreateClientOptionsBuilder().WithClientId(UniqueNames.ClientId("cloud")).Build());
        var command = new SetBatchCommand
        {
            Schema = MessageSchemas.Command,
            GatewayId = "gw-rig-1",
            Seq = 7,
            CommandId = "c-1",
            IssuedAt = DateTime.UtcNow,
            Zone = "gh2",
            Batch = GatewayRig.Batch2,
        };
        await sender.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic("agri/v1/gw-rig-1/cmd/set-batch")
            .WithPayload(ContractWriter.Write(command))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

        await Eventually.TrueAsync(() => cloud.Deliveries.Count >= 2, TimeSpan.FromSeconds(10), () => "the result and the batch event");
        await uplink.StopAsync(CancellationToken.None);

        var messages = cloud.Deliveries.Select(d => ContractReader.Read(d.Topic, d.Payload)).ToList();
        Assert.All(messages, m => Assert.True(m.IsValid, m.Reason));
        // QoS 1 is at least once: after a reconnect the broker may deliver the command again and the gateway answers
        // it again. Every answer must say the same; the batch must enter once.
        var results = messages.Select(m => m.Message).OfType<CommandResultMessage>().ToList();
        Assert.NotEmpty(results);
        Assert.All(results, result => Assert.Equal(("c-1", CommandOutcome.Done), (result.CommandId, result.Outcome)));
        var entered = messages.Select(m => m.Message).OfType<EventsMessage>().SelectMany(e => e.Events).OfType<BatchEnteredEvent>().Single();
        Assert.Equal(("gh2", GatewayRig.Batch2, BatchSource.Command), (entered.Zone, entered.Batch, entered.By));
        Assert.Equal([GatewayRig.Batch2], rig.Stamps.CodesIn("gh2"));
    }
}
