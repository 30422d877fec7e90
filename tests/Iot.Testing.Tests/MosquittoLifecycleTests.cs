using System.Text;
using Iot.Testing.Mosquitto;
using Iot.Testing.Processes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Iot.Testing.Tests;

/// <summary>Each test owns its broker, since it stops, restarts or kills it.</summary>
public sealed class MosquittoLifecycleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly MqttClientFactory factory = new();

    [Theory]
    [InlineData(MqttProtocolVersion.V311, false)]
    [InlineData(MqttProtocolVersion.V500, false)]
    [InlineData(MqttProtocolVersion.V311, true)]
    [InlineData(MqttProtocolVersion.V500, true)]
    public async Task A_persistent_subscriber_gets_what_was_published_while_it_was_away(MqttProtocolVersion version, bool restartBrokerMeanwhile)
    {
        await using var broker = await MosquittoServer.StartNewAsync();
        var topic = $"{UniqueNames.TopicPrefix()}/agri/v1/gw-2/readings";
        var clientId = UniqueNames.ClientId("ingest");

        // Subscribe once with a persistent session, then go away.
        using (var first = factory.CreateMqttClient())
        {
            var connected = await first.ConnectAsync(PersistentSession(broker, clientId, version));
            Assert.False(connected.IsSessionPresent);
            await first.SubscribeAsync(factory.CreateSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await first.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        }

        var payload = Encoding.UTF8.GetBytes($"queued while away ({version})");
        await PublishQos1Async(broker, topic, payload);

        if (restartBrokerMeanwhile)
        {
            var port = broker.Port;
            await broker.RestartAsync();
            Assert.Equal(port, broker.Port);
            Assert.Contains("Saving in-memory database", broker.ReadLog(), StringComparison.Ordinal);
        }

        using var again = factory.CreateMqttClient();
        var inbox = new MessageInbox(again);
        var resumed = await again.ConnectAsync(PersistentSession(broker, clientId, version));
        Assert.True(resumed.IsSessionPresent);

        var received = await inbox.NextAsync(Deadline);
        Assert.Equal(topic, received.Topic);
        Assert.Equal(payload, received.Payload);
        Assert.True(await inbox.StaysEmptyAsync(TimeSpan.FromMilliseconds(200)), "a second message arrived");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task After_a_kill_the_broker_keeps_only_what_it_autosaved(bool autosaveEveryChange)
    {
        await using var broker = await MosquittoServer.StartNewAsync(autosaveEveryChange
            ? new MosquittoOptions { AutosaveOnChanges = true, AutosaveInterval = TimeSpan.FromSeconds(1) }
            : new MosquittoOptions());
        var topic = $"{UniqueNames.TopicPrefix()}/agri/v1/gw-3/readings";
        var clientId = UniqueNames.ClientId("ingest");
        using (var first = factory.CreateMqttClient())
        {
            await first.ConnectAsync(PersistentSession(broker, clientId, MqttProtocolVersion.V311));
            await first.SubscribeAsync(factory.CreateSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await first.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        }

        var payload = Encoding.UTF8.GetBytes("acknowledged, then the broker was killed");
        await PublishQos1Async(broker, topic, payload);
        await broker.KillAsync();
        await broker.StartAsync();

        using var again = factory.CreateMqttClient();
        var inbox = new MessageInbox(again);
        var resumed = await again.ConnectAsync(PersistentSession(broker, clientId, MqttProtocolVersion.V311));
        if (autosaveEveryChange)
        {
            Assert.True(resumed.IsSessionPresent);
            Assert.Equal(payload, (await inbox.NextAsync(Deadline)).Payload);
        }
        else
        {
            // Mosquitto's default: the PUBACKed message and the session itself died with the process.
            Assert.False(resumed.IsSessionPresent);
            Assert.True(await inbox.StaysEmptyAsync(TimeSpan.FromMilliseconds(300)));
        }
    }

    [Fact]
    public async Task Kill_leaves_no_process_and_dispose_deletes_the_folder()
    {
        var broker = await MosquittoServer.StartNewAsync();
        var pid = broker.ProcessId!.Value;
        var watchdogPid = broker.CurrentProcess!.WrapperPid;
        var folder = broker.DirectoryPath;

        await broker.KillAsync();
        Assert.False(ProcessProbe.IsRunning(pid));
        Assert.False(ProcessProbe.IsRunning(watchdogPid));
        Assert.False(broker.IsRunning);

        await broker.StartAsync();
        var secondPid = broker.ProcessId!.Value;
        await broker.DisposeAsync();
        Assert.False(ProcessProbe.IsRunning(secondPid));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Users_from_the_options_connect_and_strangers_are_refused()
    {
        await using var broker = await MosquittoServer.StartNewAsync(new MosquittoOptions
        {
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { ["gw-1"] = "s3cret" },
        });

        using var known = factory.CreateMqttClient();
        var ok = await known.ConnectAsync(broker.CreateClientOptionsBuilder().WithClientId("gw-1").WithCredentials("gw-1", "s3cret").Build());
        Assert.Equal(MqttClientConnectResultCode.Success, ok.ResultCode);

        using var stranger = factory.CreateMqttClient();
        // MQTTnet 5 reports a refused CONNECT in the result; it does not throw.
        var refused = await stranger.ConnectAsync(broker.CreateClientOptionsBuilder().WithClientId("gw-2").WithCredentials("gw-2", "wrong").Build());
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused.ResultCode);
        Assert.False(stranger.IsConnected);
    }

    [Fact]
    public async Task A_bad_configuration_fails_with_what_was_awaited_and_the_log_tail()
    {
        var error = await Assert.ThrowsAsync<ServerException>(() => MosquittoServer.StartNewAsync(new MosquittoOptions
        {
            AdditionalConfiguration = ["no_such_option 1"],
        }));
        Assert.Contains("exited before it was ready", error.Message, StringComparison.Ordinal);
        Assert.Contains("MQTT CONNECT", error.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_option", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_mosquitto_names_the_debian_package_to_install()
    {
        var error = await Assert.ThrowsAsync<ServerException>(
            () => MosquittoServer.StartNewAsync(new MosquittoOptions { ExecutablePath = "/nonexistent/mosquitto" }));
        Assert.Contains("apt-get install mosquitto", error.Message, StringComparison.Ordinal);
    }

    private static MqttClientOptions PersistentSession(MosquittoServer broker, string clientId, MqttProtocolVersion version)
    {
        var builder = broker.CreateClientOptionsBuilder()
            .WithClientId(clientId)
            .WithProtocolVersion(version)
            .WithCleanSession(false);

        // MQTT 5 ends a session at disconnect unless the client asks for a session expiry interval.
        return version == MqttProtocolVersion.V500
            ? builder.WithSessionExpiryInterval(3600).Build()
            : builder.Build();
    }

    private async Task PublishQos1Async(MosquittoServer broker, string topic, byte[] payload)
    {
        using var publisher = factory.CreateMqttClient();
        await publisher.ConnectAsync(broker.CreateClientOptionsBuilder().WithClientId(UniqueNames.ClientId("pub")).Build());
        var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.True(result.IsSuccess, $"PUBACK reason {result.ReasonCode}");
        await publisher.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
    }
}
