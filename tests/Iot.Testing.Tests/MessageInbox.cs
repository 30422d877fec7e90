using System.Buffers;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;

namespace Iot.Testing.Tests;

internal sealed record ReceivedMessage(string Topic, byte[] Payload, MqttQualityOfServiceLevel Qos);

/// <summary>What an MQTT client received, in order, with a deadline on every wait.</summary>
internal sealed class MessageInbox
{
    private readonly Channel<ReceivedMessage> messages = Channel.CreateUnbounded<ReceivedMessage>();

    public MessageInbox(IMqttClient client)
    {
        // Attach before ConnectAsync: a resumed session delivers queued messages right after CONNACK.
        client.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            messages.Writer.TryWrite(new ReceivedMessage(message.Topic, message.Payload.ToArray(), message.QualityOfServiceLevel));
            return Task.CompletedTask;
        };
    }

    public async Task<ReceivedMessage> NextAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await messages.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no MQTT message arrived within {timeout.TotalSeconds} s");
        }
    }

    /// <summary>True when nothing more arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> StaysEmptyAsync(TimeSpan quiet)
    {
        await Task.Delay(quiet);
        return !messages.Reader.TryPeek(out _);
    }
}
