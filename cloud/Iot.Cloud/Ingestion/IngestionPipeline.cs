using Iot.Cloud.DeadLetters;
using Iot.Cloud.Metrics;
using Iot.Cloud.Points;
using Iot.Cloud.Registry;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;
using Iot.Contracts.Validation;
using Iot.InfluxDb.LineProtocol;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.Ingestion;

/// <summary>
/// The path of every message from the broker: the wire contract, then the cloud's rules (the publisher is the gateway
/// it names, the gateway is registered, times are believable, values are physically possible), then points into
/// InfluxDB and refusals into the dead-letter store. It returns only when the message is stored or dead-lettered, so
/// the broker acknowledges nothing that could still be lost. It never throws on input.
/// </summary>
public sealed class IngestionPipeline(
    GatewayRegistry registry,
    DeadLetterStore deadLetters,
    PointWriter writer,
    IOptions<IngestionOptions> options,
    TimeProvider time)
{
    readonly IngestionOptions _options = options.Value;
    readonly RecentMessages _recent = new(options.Value.RememberedMessages);

    /// <summary>
    /// Stores <paramref name="message"/> or dead-letters it. Throws <see cref="OperationCanceledException"/> only when
    /// <paramref name="cancellationToken"/> is cancelled before that is done; the message must then not be acknowledged.
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Topic.TryParse(message.Topic, out var topic, out _) || topic.Kind is not (TopicKind.Readings or TopicKind.Events))
        {
            return new IngestOutcome(IngestStatus.NotIngested, 0);
        }

        string kind = topic.Kind == TopicKind.Readings ? "readings" : "events";
        IngestMetrics.InFlight.Inc();
        try
        {
            var outcome = await IngestAsync(message, topic, cancellationToken).ConfigureAwait(false);
            IngestMetrics.Messages.WithLabels(kind, Name(outcome.Status)).Inc();
            return outcome;
        }
        finally
        {
            IngestMetrics.InFlight.Dec();
        }
    }

    async Task<IngestOutcome> IngestAsync(IncomingMessage message, Topic topic, CancellationToken cancellationToken)
    {
        var read = ContractReader.Read(message.Topic, message.Payload.Span);
        if (read.Message is not { } contract)
        {
            return DeadLetter(message, topic.GatewayId, null, new Refusal(RefusalCode.Contract, read.Reason));
        }

        if (message.ClientId is { } client && !string.Equals(client, contract.GatewayId, StringComparison.Ordinal))
        {
            return DeadLetter(message, contract.GatewayId, contract.Seq, new Refusal(RefusalCode.WrongGateway,
                $"MQTT client '{client}' published on the topic of gateway '{contract.GatewayId}'; a gateway speaks only for itself"));
        }

        if (!registry.IsKnown(contract.GatewayId))
        {
            return DeadLetter(message, contract.GatewayId, contract.Seq, new Refusal(RefusalCode.UnknownGateway,
                $"gateway '{contract.GatewayId}' is not registered; register it (POST /api/gateways) and replay this message"));
        }

        if (_recent.Contains(contract.GatewayId, contract.Seq))
        {
            return new IngestOutcome(IngestStatus.Duplicate, 0);
        }

        var (points, refusals, newest) = contract switch
        {
            ReadingsMessage readings => Map(readings, message.ReceivedAt),
            EventsMessage events => Map(events, message.ReceivedAt),
            _ => throw new InvalidOperationException($"topic {message.Topic} passed as {contract.GetType().Name}"),
        };

        var rejected = await writer.WriteAsync(points, cancellationToken).ConfigureAwait(false);
        foreach (var point in rejected)
        {
            refusals.Add((RefusalCode.InfluxDbRefused, $"InfluxDB refused the point {Describe(point.Point)}: {point.Reason}"));
        }

        int stored = points.Count - rejected.Count;
        if (newest is { } at)
        {
            IngestMetrics.LagSeconds.Observe(Math.Max(0, (time.GetUtcNow() - at).TotalSeconds));
        }

        _recent.Add(contract.GatewayId, contract.Seq);
        if (refusals.Count == 0)
        {
            return new IngestOutcome(IngestStatus.Stored, stored);
        }

        // One dead letter for the message, coded by its first refusal, naming each refusal (up to a limit).
        var code = refusals[0].Code;
        foreach (var (refusalCode, _) in refusals)
        {
            IngestMetrics.Refusals.WithLabels(Refusal.Name(refusalCode)).Inc();
        }

        string reason = string.Join("; ", refusals.Take(_options.NamedRefusals).Select(r => r.Reason));
        if (refusals.Count > _options.NamedRefusals)
        {
            reason += $"; and {refusals.Count - _options.NamedRefusals} more";
        }

        long id = deadLetters.Add(message.Topic, message.Payload.Span, new Refusal(code, reason), message.ClientId, contract.GatewayId, contract.Seq);
        return new IngestOutcome(stored == 0 ? IngestStatus.DeadLettered : IngestStatus.PartlyStored, stored, reason, id);
    }

    (List<Point> Points, List<(RefusalCode Code, string Reason)> Refusals, DateTimeOffset? Newest) Map(ReadingsMessage message, DateTimeOffset receivedAt)
    {
        var points = new List<Point>(message.Readings.Count);
        var refusals = new List<(RefusalCode, string)>();
        DateTime? newest = null;
        for (int i = 0; i < message.Readings.Count; i++)
        {
            var reading = message.Readings[i];
            string path = $"$.readings[{i}]";
            if (CheckTime(message.Clock, reading.Time, receivedAt, path) is { } timeRefusal)
            {
                refusals.Add((RefusalCode.Time, timeRefusal));
                continue;
            }

            if (reading.Value is double value && !Plausibility.Check(reading.Type, reading.Unit, value, out string? implausible))
            {
                refusals.Add((RefusalCode.Implausible, $"{path}.value (sensor '{reading.SensorId}'): {implausible}"));
                continue;
            }

            points.Add(PointMapping.Reading(message, reading, receivedAt));
            if (message.Clock == ClockState.Synchronized && (newest is null || reading.Time > newest))
            {
                newest = reading.Time;
            }
        }

        return (points, refusals, newest is { } n ? new DateTimeOffset(n, TimeSpan.Zero) : null);
    }

    (List<Point> Points, List<(RefusalCode Code, string Reason)> Refusals, DateTimeOffset? Newest) Map(EventsMessage message, DateTimeOffset receivedAt)
    {
        var points = new List<Point>(message.Events.Count);
        var refusals = new List<(RefusalCode, string)>();
        for (int i = 0; i < message.Events.Count; i++)
        {
            var traceEvent = message.Events[i];
            string path = $"$.events[{i}]";
            if (CheckTime(message.Clock, traceEvent.Time, receivedAt, path) is { } timeRefusal)
            {
                refusals.Add((RefusalCode.Time, timeRefusal));
                continue;
            }

            (MeasurementType Type, QuantityValue? Amount, string Path) quantity = traceEvent switch
            {
                WeighedEvent weighed => (MeasurementType.Mass, weighed.Net, $"{path}.net"),
                InputAppliedEvent { Input: InputKind.Irrigation or InputKind.Fertigation } input => (MeasurementType.Volume, input.Amount, $"{path}.amount"),
                _ => (default, null, path),
            };
            if (quantity.Amount is { } amount && MeasurementTypes.Accepts(quantity.Type, amount.Unit)
                && !Plausibility.Check(quantity.Type, amount.Unit, amount.Value, out string? implausible))
            {
                refusals.Add((RefusalCode.Implausible, $"{quantity.Path}: {implausible}"));
                continue;
            }

            points.Add(PointMapping.Event(message, i, receivedAt));
        }

        return (points, refusals, null);
    }

    string? CheckTime(ClockState clock, DateTime at, DateTimeOffset receivedAt, string path) =>
        TimeRules.Check(clock, at, receivedAt, path, _options);

    IngestOutcome DeadLetter(IncomingMessage message, string? gatewayId, long? seq, Refusal refusal)
    {
        IngestMetrics.Refusals.WithLabels(refusal.CodeName).Inc();
        long id = deadLetters.Add(message.Topic, message.Payload.Span, refusal, message.ClientId, gatewayId, seq);
        return new IngestOutcome(IngestStatus.DeadLettered, 0, refusal.Reason, id);
    }

    static string Describe(Point point) =>
        $"{point.MeasurementName} {string.Join(",", point.Tags.Select(t => $"{t.Key}={t.Value}"))} at {point.TimestampNanoseconds} ns";

    static string Name(IngestStatus status) => status switch
    {
        IngestStatus.Stored => "stored",
        IngestStatus.PartlyStored => "partly-stored",
        IngestStatus.DeadLettered => "dead-lettered",
        IngestStatus.Duplicate => "duplicate",
        _ => "not-ingested",
    };
}
