using Iot.Cloud.Ingestion;
using Iot.Contracts.Topics;
using Iot.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Iot.Cloud.Broker;

/// <summary>
/// Ingestion from an external broker (<c>Broker:Mode=External</c>): a persistent MQTT 5 session subscribed to
/// <c>$share/{ShareGroup}/agri/v1/+/readings</c> and <c>.../events</c> at QoS 1, so several instances split the
/// traffic. Automatic acknowledgement is off: each message is acknowledged only after ingestion stored or
/// dead-lettered it. At most <c>Broker:MaxInFlight</c> messages are unacknowledged (the MQTT 5 receive maximum the broker
/// honours); messages that arrive while ingestion is away wait in the broker's session and unacknowledged ones are sent
/// again after a reconnect.
/// </summary>
public sealed partial class SharedSubscription(
    IngestionPipeline pipeline,
    Iot.Cloud.Registry.GatewayStatusBoard statuses,
    BrokerState state,
    IOptions<BrokerOptions> options,
    TimeProvider time,
    ILogger<SharedSubscription> logger) : BackgroundService
{
    readonly BrokerOptions _options = options.Value;

    /// <summary>The topic filters subscribed.</summary>
    public IReadOnlyList<string> Filters =>
    [
        $"$share/{_options.ShareGroup}/{Topic.Filter(TopicKind.Readings)}",
        $"$share/{_options.ShareGroup}/{Topic.Filter(TopicKind.Events)}",

        // Not shared: every instance keeps every gateway's last status (retained, so it arrives on subscribing).
        Topic.Filter(TopicKind.Status),
    ];

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new MqttClientFactory();
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = factory.CreateMqttClient();
            using var lost = new CancellationTokenSource();
            client.DisconnectedAsync += _ =>
            {
                lost.Cancel();
                return Task.CompletedTask;
            };
            client.ApplicationMessageReceivedAsync += e =>
            {
                // Handled beside the client's receive loop so up to MaxInFlight messages are ingested together;
                // acknowledged (or not) when done.
                e.AutoAcknowledge = false;
                _ = HandleAsync(e, stoppingToken);
                return Task.CompletedTask;
            };

            try
            {
                var result = await client.ConnectAsync(BuildOptions(), stoppingToken).ConfigureAwait(false);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
                }

                var subscribe = factory.CreateSubscribeOptionsBuilder();
                foreach (string filter in Filters)
                {
                    subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
                }

                var subscribed = await client.SubscribeAsync(subscribe.Build(), stoppingToken).ConfigureAwait(false);
                foreach (var item in subscribed.Items)
                {
                    if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
                    {
                        throw new InvalidOperationException($"the broker refused the subscription {item.TopicFilter.Topic}: {item.ResultCode}");
                    }
                }

                backoff.Reset();
                state.Ready();
                LogSubscribed(logger, _options.Host, _options.Port, Filters, result.IsSessionPresent);
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost.Token);
                await Task.Delay(Timeout.Infinite, connection.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                state.Down("ingestion is stopping");
                if (client.IsConnected)
                {
                    // Unacknowledged messages stay in the persistent session and come again to the next instance.
                    await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None).ConfigureAwait(false);
                }

                return;
            }
#pragma warning disable CA1031 // Every broker or network fault ends in a reconnect, never in stopped ingestion.
            catch (Exception e)
#pragma warning restore CA1031
            {
                string reason = $"not connected to the broker at {_options.Host}:{_options.Port}: {e.Message}";
                state.Down(reason);
                LogDisconnected(logger, reason);
            }

            try
            {
                await Task.Delay(backoff.NextDelay(), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    async Task HandleAsync(MqttApplicationMessageReceivedEventArgs e, CancellationToken stoppingToken)
    {
        var message = e.ApplicationMessage;
        try
        {
            // Copied before the first await: MQTTnet may reuse the payload's buffer once the event handler returns.
            var incoming = new IncomingMessage(message.Topic, System.Buffers.BuffersExtensions.ToArray(message.Payload), null, time.GetUtcNow());
            var outcome = await pipeline.IngestAsync(incoming, stoppingToken).ConfigureAwait(false);
            if (outcome.Status is IngestStatus.DeadLettered or IngestStatus.PartlyStored)
            {
                LogRefused(logger, message.Topic, outcome.Reason);
            }
            else if (outcome.Status == IngestStatus.NotIngested)
            {
                // Not readings or events: the status subscription; the board keeps each gateway's last one.
                statuses.Record(incoming.Topic, incoming.Payload.Span, null, incoming.ReceivedAt);
            }

            try
            {
                await e.AcknowledgeAsync(stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // MQTTnet 5.2 throws NullReferenceException when the connection dropped meanwhile.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                // Stored, but the acknowledgement went down with the connection: the broker sends the message again
                // and it lands on the same points (or is recognised as a duplicate).
                LogAcknowledgementLost(logger, message.Topic, ex.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: not acknowledged; the broker sends it again.
        }
#pragma warning disable CA1031 // A message that could not be kept is left unacknowledged, never lost and never fatal.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex, message.Topic);
        }
    }

    MqttClientOptions BuildOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)Math.Min(uint.MaxValue, _options.SessionExpiry.TotalSeconds))
            .WithReceiveMaximum((ushort)_options.MaxInFlight)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15));
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder.WithCredentials(_options.Username, _options.Password ?? string.Empty);
        }

        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingesting from the broker at {Host}:{Port}: {Filters} (session present: {SessionPresent})")]
    static partial void LogSubscribed(ILogger logger, string host, int port, IReadOnlyList<string> filters, bool sessionPresent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}; reconnecting")]
    static partial void LogDisconnected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused (dead-lettered) a message on {Topic}: {Reason}")]
    static partial void LogRefused(ILogger logger, string topic, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored a message on {Topic} but could not acknowledge it ({Error}); the broker will send it again")]
    static partial void LogAcknowledgementLost(ILogger logger, string topic, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store or dead-letter a message on {Topic}; not acknowledged")]
    static partial void LogFailed(ILogger logger, Exception exception, string topic);
}
