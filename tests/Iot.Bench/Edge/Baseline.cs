using System.Diagnostics;
using Iot.Testing;
using Iot.Testing.Mosquitto;
using MQTTnet;
using MQTTnet.Protocol;

namespace Iot.Bench.Edge;

/// <summary>What one run of the baseline did.</summary>
internal sealed record BaselineRun(long Messages, long Readings, long Delivered, bool Complete, TimeSpan Elapsed)
{
    public double ReadingsPerSecond => Delivered / Elapsed.TotalSeconds;
}

/// <summary>
/// The most a gateway could hope for on this machine and broker: the same messages (topic and payload bytes) published
/// by a plain MQTTnet 5 client at QoS 1 over MQTT 5, as the uplink connects, with at most as many unacknowledged as the
/// uplink allows (<see cref="Iot.Edge.Uplink.MqttOptions.MaxInFlight"/>), and no sampling, no outbox, no deletes.
/// </summary>
internal static class Baseline
{
    public static async Task<BaselineRun> RunAsync(
        MosquittoServer broker,
        IReadOnlyList<(string Topic, byte[] Payload)> messages,
        long readings,
        int maxInFlight,
        Receiver receiver,
        TimeSpan deadline,
        CancellationToken ct)
    {
        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        var options = broker.CreateClientOptionsBuilder()
            .WithClientId(UniqueNames.ClientId("baseline"))
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .Build();
        await client.ConnectAsync(options, ct);

        var inFlight = new Queue<Task<MqttClientPublishResult>>(maxInFlight);
        long start = Stopwatch.GetTimestamp();
        foreach (var (topic, payload) in messages)
        {
            if (inFlight.Count == maxInFlight)
            {
                Accepted(await inFlight.Dequeue());
            }

            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            inFlight.Enqueue(client.PublishAsync(message, ct));
        }

        while (inFlight.Count > 0)
        {
            Accepted(await inFlight.Dequeue());
        }

        bool complete = await receiver.WaitForAsync(readings, deadline, ct);
        long end = receiver.LastDelivery;
        using (var disconnect = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), disconnect.Token);
        }

        return new BaselineRun(messages.Count, readings, receiver.Readings, complete, Stopwatch.GetElapsedTime(start, Math.Max(end, start + 1)));
    }

    static void Accepted(MqttClientPublishResult result)
    {
        if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
        {
            throw new InvalidOperationException($"the broker refused a baseline message: {result.ReasonCode} {result.ReasonString}");
        }
    }
}
