using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Iot.Testing;
using Iot.Testing.Mosquitto;
using MQTTnet;
using MQTTnet.Protocol;

namespace Iot.Bench.Edge;

/// <summary>
/// The far end of a measurement: a QoS 1 subscriber that counts the readings delivered to it, once per message
/// (a resend of a sequence number already seen is not counted again), and keeps each message for a later phase.
/// Each phase gets its own, so the pipeline and the baseline are counted by the same code in the same way.
/// </summary>
internal sealed class Receiver : IAsyncDisposable
{
    readonly IMqttClient _client;
    readonly Lock _gate = new();
    readonly Dictionary<long, (string Topic, byte[] Payload)> _messages = [];
    long _readings;
    long _duplicates;
    long _lastDelivery;
    long _target = long.MaxValue;
    TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    Receiver(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Readings delivered so far.</summary>
    public long Readings
    {
        get
        {
            lock (_gate)
            {
                return _readings;
            }
        }
    }

    /// <summary>Deliveries of a message already delivered (QoS 1 resends).</summary>
    public long Duplicates
    {
        get
        {
            lock (_gate)
            {
                return _duplicates;
            }
        }
    }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> of the last delivery that brought new readings.</summary>
    public long LastDelivery
    {
        get
        {
            lock (_gate)
            {
                return _lastDelivery;
            }
        }
    }

    /// <summary>Subscribes to <paramref name="topic"/> at QoS 1 with a clean session.</summary>
    public static async Task<Receiver> ConnectAsync(MosquittoServer broker, string topic, string name, CancellationToken ct)
    {
        var factory = new MqttClientFactory();
        var receiver = new Receiver(factory.CreateMqttClient());
        try
        {
            var options = broker.CreateClientOptionsBuilder()
                .WithClientId(UniqueNames.ClientId(name))
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .WithCleanStart(true)
                .Build();
            await receiver._client.ConnectAsync(options, ct);
            await receiver._client.SubscribeAsync(
                factory.CreateSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
            return receiver;
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until <paramref name="readings"/> readings were delivered, for at most <paramref name="deadline"/>; false if they were not.</summary>
    public async Task<bool> WaitForAsync(long readings, TimeSpan deadline, CancellationToken ct)
    {
        Task reached;
        lock (_gate)
        {
            if (_readings >= readings)
            {
                return true;
            }

            _target = readings;
            _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            reached = _reached.Task;
        }

        try
        {
            await reached.WaitAsync(deadline, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The messages delivered, in sequence order.</summary>
    public List<(string Topic, byte[] Payload)> Messages()
    {
        lock (_gate)
        {
            return _messages.OrderBy(m => m.Key).Select(m => m.Value).ToList();
        }
    }

    Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var payload = e.ApplicationMessage.Payload;
        var (seq, readings) = Describe(payload);
        lock (_gate)
        {
            if (!_messages.TryAdd(seq, (e.ApplicationMessage.Topic, payload.ToArray())))
            {
                _duplicates++;
                return Task.CompletedTask;
            }

            _readings += readings;
            _lastDelivery = Stopwatch.GetTimestamp();
            if (_readings >= _target)
            {
                _target = long.MaxValue;
                _reached.TrySetResult();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The message's <c>seq</c> and how many readings its <c>readings</c> array holds, in one pass.</summary>
    static (long Seq, int Readings) Describe(ReadOnlySequence<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        long seq = -1;
        int readings = 0;
        while (reader.Read())
        {
            if (reader.CurrentDepth != 1 || reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("readings"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    readings++;
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return (seq, readings);
    }

    public async ValueTask DisposeAsync()
    {
        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        if (_client.IsConnected)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), deadline.Token);
        }

        _client.Dispose();
    }
}
