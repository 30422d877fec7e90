using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;
using Iot.Contracts.Validation;
using Iot.Edge.Commands;
using Iot.Edge.Outbox;
using Iot.Edge.Status;
using Iot.Hosting;
using MQTTnet.Protocol;
using MQTTnet;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Uplink;

/// <summary>
/// Sends the outbox to the broker: QoS 1, oldest first, a bounded number in flight, each message deleted from the
/// outbox only when its PUBACK arrives. Keeps a persistent session under the gateway id, reconnects with exponential
/// backoff and full jitter, keeps a retained status (its last will says offline), and takes commands.
/// </summary>
/// <remarks>
/// After a reconnect everything not yet acknowledged is sent again from the oldest, byte for byte the same message
/// with the same sequence number: the only duplicates a receiver sees are exact resends, which it drops by
/// (gateway id, seq).
/// </remarks>
public sealed partial class MqttUplink : BackgroundService
{
    readonly string _gatewayId;
    readonly MqttOptions _options;
    readonly SqliteOutbox _outbox;
    readonly OutboxSignal _signal;
    readonly StatusReporter _status;
    readonly CommandDispatcher _commands;
    readonly TimeProvider _time;
    readonly ILogger<MqttUplink> _log;
    readonly Hosting.Liveness _liveness;
    readonly MqttClientFactory _factory = new();
    readonly ReconnectBackoff _backoff;
    volatile bool _statusRequested;
    IMqttClient? _client;

    /// <summary>An uplink for <paramref name="gatewayId"/>.</summary>
    public MqttUplink(
        IOptions<GatewayOptions> gateway,
        IOptions<MqttOptions> options,
        SqliteOutbox outbox,
        OutboxSignal signal,
        StatusReporter status,
        CommandDispatcher commands,
        TimeProvider time,
        Hosting.Liveness liveness,
        ILogger<MqttUplink> log)
    {
        _liveness = liveness;
        _gatewayId = gateway.Value.Id;
        _options = options.Value;
        _outbox = outbox;
        _signal = signal;
        _status = status;
        _commands = commands;
        _time = time;
        _log = log;
        _backoff = new ReconnectBackoff(_options.ReconnectMin, _options.ReconnectMax);
    }

    /// <summary>Whether the uplink is connected to the broker now.</summary>
    public bool IsConnected => _client?.IsConnected == true;

    /// <summary>Messages acknowledged by the broker since start.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    long _acknowledged;

    /// <summary>Asks for a status message at the next opportunity.</summary>
    public void RequestStatus()
    {
        _statusRequested = true;
        _signal.Notify();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            _liveness.Beat("uplink");
            using var client = _factory.CreateMqttClient();
            _client = client;
            client.ApplicationMessageReceivedAsync += OnMessageAsync;
            try
            {
                var connected = await client.ConnectAsync(BuildOptions(), stoppingToken).ConfigureAwait(false);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new MqttRefusedException($"broker refused the connection: {connected.ResultCode} {connected.ReasonString}");
                }

                _backoff.Reset();
                LogConnected(_options.Host, _options.Port, connected.IsSessionPresent);
                await client.SubscribeAsync(
                    _factory.CreateSubscribeOptionsBuilder()
                        .WithTopicFilter(Topic.Filter(TopicKind.Command, _gatewayId), MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build(),
                    stoppingToken).ConfigureAwait(false);
                await PublishStatusAsync(client, GatewayState.Online, stoppingToken).ConfigureAwait(false);
                await PumpAsync(client, stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Stopping: however the pending publish ended, drain and say offline.
            catch (Exception) when (stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                // Not only OperationCanceledException: MQTTnet reports a publish whose PUBACK wait was cancelled as
                // MqttCommunicationTimedOutException, so a SIGTERM while a message is in flight must land here too,
                // not in the reconnect path below (which would exit without draining the outbox).
                await DrainAsync(client).ConfigureAwait(false);
                await GoOfflineAsync(client).ConfigureAwait(false);
                return;
            }
#pragma warning disable CA1031 // Every network fault ends in a reconnect, never in a stopped uplink.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogConnectionLost(e, _options.Host, _options.Port, _outbox.Snapshot().Depth);
            }
            finally
            {
                client.ApplicationMessageReceivedAsync -= OnMessageAsync;
                _client = null;
            }

            var delay = _backoff.NextDelay();
            LogReconnecting(delay.TotalSeconds);
            try
            {
                // Waiting to reconnect is progress too: beat while waiting so the watchdog tells it from a hang.
                for (var left = delay; left > TimeSpan.Zero; left -= TimeSpan.FromSeconds(5))
                {
                    await Task.Delay(left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5), _time, stoppingToken).ConfigureAwait(false);
                    _liveness.Beat("uplink");
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends the outbox while connected; returns (by exception) when the connection is lost.</summary>
    async Task PumpAsync(IMqttClient client, CancellationToken ct)
    {
        var inFlight = new Queue<(long Seq, Task<MqttClientPublishResult> Ack)>();
        var acknowledged = new List<long>();

        // Deleting acknowledged messages waits for the outbox's writer (an append may be committing), so it runs beside
        // the pump, one batch at a time, and the pump goes on publishing meanwhile.
        Task deleting = Task.CompletedTask;
        long dispatched = 0;
        var nextStatus = _time.GetUtcNow() + _options.StatusInterval;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                _liveness.Beat("uplink");
                if (!client.IsConnected)
                {
                    throw new MqttRefusedException("connection lost");
                }

                if (_statusRequested || _time.GetUtcNow() >= nextStatus)
                {
                    _statusRequested = false;
                    nextStatus = _time.GetUtcNow() + _options.StatusInterval;
                    await PublishStatusAsync(client, GatewayState.Online, ct).ConfigureAwait(false);
                }

                if (inFlight.Count < _options.MaxInFlight)
                {
                    foreach (var entry in _outbox.Peek(_options.MaxInFlight - inFlight.Count, dispatched))
                    {
                        inFlight.Enqueue((entry.Seq, PublishAsync(client, entry.Topic, entry.Payload, retain: false, ct)));
                        dispatched = entry.Seq;
                    }
                }

                if (inFlight.Count == 0)
                {
                    // Nothing to send: what was acknowledged is deleted before waiting for more.
                    await deleting.ConfigureAwait(false);
                    if (acknowledged.Count > 0)
                    {
                        Forget([.. acknowledged]);
                        acknowledged.Clear();
                    }

                    await _signal.WaitAsync(TimeSpan.FromSeconds(1), _time, ct).ConfigureAwait(false);
                    continue;
                }

                // Wait for the oldest, then take every later one already acknowledged, and delete them in one transaction.
                do
                {
                    var (seq, ack) = inFlight.Dequeue();
                    var result = await ack.ConfigureAwait(false);
                    if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
                    {
                        throw new MqttRefusedException(
                            $"the broker took message {seq} but no subscriber did (NoMatchingSubscribers): the cloud's ingestion is not subscribed yet; it stays in the outbox");
                    }

                    if (!IsDelivered(result))
                    {
                        throw new MqttRefusedException($"broker refused message {seq}: {result.ReasonCode} {result.ReasonString}");
                    }

                    acknowledged.Add(seq);
                }
                while (inFlight.Count > 0 && inFlight.Peek().Ack.IsCompleted);

                // Deleted in batches, one transaction each: what was acknowledged while the previous batch was being
                // deleted. Until then an acknowledged message is only not sent again on this connection (Peek starts
                // after `dispatched`); if the process dies first, it is sent again after the restart, as any undeleted one.
                if (acknowledged.Count > 0 && deleting.IsCompleted)
                {
                    await deleting.ConfigureAwait(false); // a failed deletion ends the pump, as it always did
                    long[] batch = [.. acknowledged];
                    acknowledged.Clear();
                    deleting = Task.Run(() => Forget(batch), CancellationToken.None);
                }
            }
        }
        finally
        {
            // Whatever ended the pump (a lost connection, a stop), what the broker acknowledged is deleted now, so
            // the drain on the way out or the next connection does not send it again.
            try
            {
                await deleting.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Already reported if it ended the pump; what it did not delete is deleted below or resent.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogDeleteFailed(e);
            }

            if (acknowledged.Count > 0)
            {
                Forget([.. acknowledged]);
            }
        }
    }

    /// <summary>Deletes messages the broker acknowledged from the outbox, and counts them.</summary>
    void Forget(long[] seqs)
    {
        _outbox.Acknowledge(seqs);
        Interlocked.Add(ref _acknowledged, seqs.Length);
    }

    /// <summary>
    /// For the retained status: the broker keeps it for whoever subscribes later, so "no matching subscribers" is fine.
    /// </summary>
    static bool IsAccepted(MqttClientPublishResult result) =>
        result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers;

    /// <summary>
    /// For readings and events: only a plain success lets the outbox forget a message. "No matching subscribers"
    /// (MQTT 5 reason 16) means the broker dropped it because ingestion was not subscribed, e.g. a Mosquitto restarted
    /// before the cloud had subscribed again, or before the cloud's first start; the message stays in the outbox and
    /// is sent again after the reconnect backoff.
    /// </summary>
    static bool IsDelivered(MqttClientPublishResult result) => result.ReasonCode == MqttClientPublishReasonCode.Success;

    /// <summary>
    /// Publishes at QoS 1 and waits at most <c>Mqtt:Timeout</c> for the PUBACK. The send itself is never cancelled:
    /// MQTTnet writes a packet in pieces, and a write cancelled halfway (as when the broker stops reading while it
    /// holds a PUBACK, and a deadline fires) leaves a packet header on the wire without its payload, so the broker
    /// reads the next packet's bytes as that payload. Only the wait is abandoned; the caller then drops the connection.
    /// </summary>
    async Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, byte[] payload, bool retain, CancellationToken ct)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var publish = client.PublishAsync(message, CancellationToken.None);
        try
        {
            return await publish.WaitAsync(_options.Timeout, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Observe the abandoned publish so its eventual failure (when the connection is dropped) is not unobserved.
            _ = publish.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new MqttRefusedException($"no PUBACK for a message on {topic} within {_options.Timeout.TotalSeconds} s");
        }
    }

    async Task PublishStatusAsync(IMqttClient client, GatewayState state, CancellationToken ct)
    {
        var result = await PublishAsync(client, Topic.Status(_gatewayId).ToString(), ContractWriter.Write(_status.Build(state)), retain: true, ct).ConfigureAwait(false);
        if (!IsAccepted(result))
        {
            throw new MqttRefusedException($"broker refused the status: {result.ReasonCode} {result.ReasonString}");
        }
    }

    /// <summary>
    /// On a clean stop, sends what the outbox holds (sampling has stopped and flushed by then) for at most the
    /// configured timeout; what does not make it waits in the outbox for the next start.
    /// </summary>
    async Task DrainAsync(IMqttClient client)
    {
        using var deadline = new CancellationTokenSource(_options.Timeout);
        try
        {
            long after = 0;
            while (client.IsConnected)
            {
                var batch = _outbox.Peek(_options.MaxInFlight, after);
                if (batch.Count == 0)
                {
                    return;
                }

                var acks = batch.Select(e => (e.Seq, Ack: PublishAsync(client, e.Topic, e.Payload, retain: false, deadline.Token))).ToList();
                var done = new List<long>();
                foreach (var (seq, ack) in acks)
                {
                    if (IsDelivered(await ack.ConfigureAwait(false)))
                    {
                        done.Add(seq);
                    }
                }

                _outbox.Acknowledge(done);
                after = batch[^1].Seq;
            }
        }
#pragma warning disable CA1031 // Best effort on the way out: what is not sent stays in the outbox.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogOfflineStatusFailed(e);
        }
    }

    async Task GoOfflineAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        // A clean disconnect suppresses the last will, so say "offline" ourselves first.
        using var deadline = new CancellationTokenSource(_options.Timeout);
        try
        {
            await PublishStatusAsync(client, GatewayState.Offline, deadline.Token).ConfigureAwait(false);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), deadline.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort on the way out; the will covers what this misses.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogOfflineStatusFailed(e);
        }
    }

    Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var payload = e.ApplicationMessage.Payload;
        byte[] bytes = payload.IsSingleSegment ? payload.First.ToArray() : payload.ToArray();
        var result = _commands.Handle(e.ApplicationMessage.Topic, bytes);
        if (result is not null)
        {
            LogCommand(result.Name, result.CommandId, result.Outcome, result.Detail);
        }

        return Task.CompletedTask;
    }

    MqttClientOptions BuildOptions()
    {
        var will = ContractWriter.Write(_status.LastWill());
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_gatewayId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)Math.Min(uint.MaxValue, _options.SessionExpiry.TotalSeconds))
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(_options.Timeout)
            .WithWillTopic(Topic.Status(_gatewayId).ToString())
            .WithWillPayload(will)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);

        if (_options.Username is not null)
        {
            builder.WithCredentials(_options.Username, _options.Password ?? string.Empty);
        }

        if (_options.UseTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (_options.CaCertificatePath is { Length: > 0 } ca)
                {
                    var chain = new X509Certificate2Collection();
                    chain.ImportFromPemFile(ca);
                    tls.WithTrustChain(chain);
                }

                if (_options.ClientCertificatePath is { Length: > 0 } cert)
                {
                    using var pem = X509Certificate2.CreateFromPemFile(cert, _options.ClientKeyPath);
                    // SslStream on Linux needs the key in a form it can hand to OpenSSL; a PKCS#12 round trip gives that.
                    tls.WithClientCertificates([X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)]);
                }
            });
        }

        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Host}:{Port} (session present: {SessionPresent})")]
    partial void LogConnected(string host, int port, bool sessionPresent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to {Host}:{Port} lost or refused; {Depth} messages wait in the outbox")]
    partial void LogConnectionLost(Exception exception, string host, int port, long depth);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconnecting in {Seconds:F1} s")]
    partial void LogReconnecting(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the offline status on the way out")]
    partial void LogOfflineStatusFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete acknowledged messages from the outbox; they will be sent again")]
    partial void LogDeleteFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Name} {CommandId}: {Outcome} {Detail}")]
    partial void LogCommand(string name, string commandId, CommandOutcome outcome, string? detail);
}

/// <summary>The broker refused something, or the connection ended: the uplink reconnects.</summary>
public sealed class MqttRefusedException(string message) : Exception(message)
{
}
