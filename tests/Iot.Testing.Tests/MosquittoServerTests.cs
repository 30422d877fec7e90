using System.Text;
using Iot.Testing.Mosquitto;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Iot.Testing.Tests;

[Collection(MosquittoFixture.CollectionName)]
public sealed class MosquittoServerTests(MosquittoFixture mosquitto)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_qos1_message_reaches_a_qos1_subscriber_with_exactly_its_topic_and_payload()
    {
        var topic = $"{MosquittoFixture.UniqueTopicPrefix()}/agri/v1/gw-1/readings";
        var payload = Encoding.UTF8.GetBytes("""{"seq":1,"value":21.375}""");
        var factory = new MqttClientFactory();

        using var subscriber = factory.CreateMqttClient();
        var inbox = new MessageInbox(subscriber);
        await subscriber.ConnectAsync(mosquitto.Server.CreateClientOptionsBuilder().WithClientId(MosquittoFixture.UniqueClientId("sub")).Build());
        var subscribed = await subscriber.SubscribeAsync(
            factory.CreateSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(subscribed.Items).ResultCode);

        using var publisher = factory.CreateMqttClient();
        await publisher.ConnectAsync(mosquitto.Server.CreateClientOptionsBuilder().WithClientId(MosquittoFixture.UniqueClientId("pub")).Build());
        var published = await publisher.PublishAsync(
            new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
        Assert.True(published.IsSuccess, $"PUBACK reason {published.ReasonCode}");

        var received = await inbox.NextAsync(Deadline);
        Assert.Equal(topic, received.Topic);
        Assert.Equal(payload, received.Payload);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, received.Qos);
        Assert.True(await inbox.StaysEmptyAsync(TimeSpan.FromMilliseconds(200)), "a second message arrived");
    }

    [Fact]
    public async Task The_broker_announces_its_inflight_limit_as_receive_maximum_to_mqtt5_clients()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(mosquitto.Server.CreateClientOptionsBuilder()
            .WithClientId(MosquittoFixture.UniqueClientId("rm"))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build());
        Assert.Equal((ushort)new MosquittoOptions().MaxInflightMessages, result.ReceiveMaximum);
    }
}
