using System.Buffers;
using System.Net;
using Iot.Cloud.Ingestion;
using Iot.Cloud.Registry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Iot.Cloud.Broker;

/// <summary>
/// The broker inside the cloud process (<c>Broker:Mode=Embedded</c>): an MQTTnet server on <c>Broker:Host</c>:<c>Broker:Port</c>.
/// Readings and events are ingested inside MQTTnet's publish interception; MQTTnet sends the PUBACK only after that
/// returns (it handles a connection's packets one after another), so a gateway's message is acknowledged only once its
/// points are stored or it is dead-lettered. If the service stops first, the connection is closed without a PUBACK and
/// the gateway sends the message again later. Status, commands and results pass through as in any broker.
/// </summary>
public sealed partial class EmbeddedBroker(
    IngestionPipeline pipeline,
    GatewayRegistry registry,
    GatewayStatusBoard statuses,
    BrokerState state,
    IOptions<BrokerOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<EmbeddedBroker> logger) : IHostedService, IDisposable
{
    MqttServer? _server;

    /// <summary>The running server (for commands to gateways), once started.</summary>
    public MqttServer? Server => _server;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!IPAddress.TryParse(o.Host, out var address))
        {
            throw new ArgumentException($"Broker:Host: the embedded broker listens on an IP address, got '{o.Host}'");
        }

        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(address)
            .WithDefaultEndpointPort(o.Port)
            .WithPersistentSessions()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.InterceptingPublishAsync += InterceptAsync;
        _server.ValidatingConnectionAsync += e =>
        {
            GatewayLogin.Validate(e, o.RequireCredentials, registry);
            return Task.CompletedTask;
        };
        await _server.StartAsync().ConfigureAwait(false);
        state.Ready();
        LogListening(logger, o.Host, o.Port);
    }

    async Task InterceptAsync(InterceptingPublishEventArgs e)
    {
        var message = e.ApplicationMessage;
        var incoming = new IncomingMessage(message.Topic, BuffersExtensions.ToArray(message.Payload), e.ClientId, time.GetUtcNow());
        try
        {
            var outcome = await pipeline.IngestAsync(incoming, lifetime.ApplicationStopping).ConfigureAwait(false);
            if (outcome.Status is IngestStatus.DeadLettered or IngestStatus.PartlyStored)
            {
                LogRefused(logger, message.Topic, e.ClientId, outcome.Reason);
            }

            if (outcome.Status == IngestStatus.NotIngested)
            {
                // Status passes through as in any broker (retained); the board keeps the last one for the on-call view.
                statuses.Record(incoming.Topic, incoming.Payload.Span, incoming.ClientId, incoming.ReceivedAt);
            }
            else
            {
                // Ingestion consumed it: it is not routed to other subscribers (read the series from InfluxDB or the
                // API), and the PUBACK says plain success. Routed with no subscriber, MQTTnet would answer "no
                // matching subscribers", which a gateway rightly takes as "not delivered" and sends again.
                e.ProcessPublish = false;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping before the message was stored: no PUBACK; the gateway keeps it and sends it again.
            e.ProcessPublish = false;
            e.CloseConnection = true;
        }
        catch (Exception ex)
        {
            // Not input (the pipeline never throws on input) but the cloud's own storage failing, e.g. the disk of
            // the dead-letter store: do not acknowledge what we could not keep.
            LogFailed(logger, ex, message.Topic, e.ClientId);
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.UnspecifiedError;
            e.CloseConnection = true;
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            state.Down("the broker is stopping");
            try
            {
                await _server.StopAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                // MQTTnet 5.2's listener cleanup can race with a connection closing ("Collection was modified"); the
                // server is stopped either way, and a failed stop must not fail the host's shutdown.
                LogStopRaced(logger, e);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _server?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Host}:{Port}")]
    static partial void LogListening(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused (dead-lettered) a message on {Topic} from client {ClientId}: {Reason}")]
    static partial void LogRefused(ILogger logger, string topic, string clientId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedded MQTT broker's listener cleanup failed while stopping; it is stopped")]
    static partial void LogStopRaced(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store or dead-letter a message on {Topic} from client {ClientId}; not acknowledged, the connection is closed")]
    static partial void LogFailed(ILogger logger, Exception exception, string topic, string clientId);
}
