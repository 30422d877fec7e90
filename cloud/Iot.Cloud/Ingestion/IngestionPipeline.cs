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
    RegistryStore records,
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
        if (KindOf(message.Topic, out var topic) is not { } kind)
        {
            return new IngestOutcome(IngestStatus.NotIngested, 0);
        }

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

    /// <summary>
    /// <c>readings</c> or <c>events</c> when <paramref name="topicText"/> is one of those topics (then
    /// <paramref name="topic"/> is it), and also when it only looks like one (<c>agri/v1/.../readings</c> with an
    /// invalid gateway id, such as one built to inject line protocol): that message is dead-lettered for its topic
    /// rather than passed on unrecorded. Null for every other topic (status, commands, anything else).
    /// </summary>
    static string? KindOf(string topicText, out Topic? topic)
    {
        if (Topic.TryParse(topicText, out topic, out _))
        {
            return topic.Kind switch
            {
                TopicKind.Readings => "readings",
                TopicKind.Events => "events",
                _ => null,
            };
        }

        if (!topicText.StartsWith(Topic.Root + "/", StringComparison.Ordinal))
        {
            return null;
        }

        return topicText.EndsWith("/readings", StringComparison.Ordinal) ? "readings"
            : topicText.EndsWith("/events", StringComparison.Ordinal) ? "events"
            : null;
    }

    async Task<IngestOutcome> IngestAsync(IncomingMessage message, Topic? topic, CancellationToken cancellationToken)
    {
        // An invalid topic is refused here too: the reader checks the topic first and names it ("topic: ...").
        var read = ContractReader.Read(message.Topic, message.Payload.Span);
        if (read.Message is not { } contract)
        {
            return DeadLetter(message, topic?.GatewayId, null, new Refusal(RefusalCode.Contract, read.Reason));
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

        var eventPoints = contract is EventsMessage ? new List<int>() : null;
        var (points, refusals, newest) = contract switch
        {
            ReadingsMessage readings => Map(readings, message.ReceivedAt),
            EventsMessage events => Map(events, message.ReceivedAt, eventPoints!),
            _ => throw new InvalidOperationException($"topic {message.Topic} passed as {contract.GetType().Name}"),
        };

        var rejected = await writer.WriteAsync(points, cancellationToken).ConfigureAwait(false);
        foreach (var point in rejected)
        {
            refusals.Add((RefusalCode.InfluxDbRefused, $"InfluxDB refused the point {Describe(point.Point)}: {point.Reason}"));
        }

        int stored = points.Count - rejected.Count;
        if (contract is EventsMessage eventsMessage)
        {
            // The registry records each stored event (zone stays, crates, weights, inputs) before the message is
            // acknowledged; a redelivery finds them recorded under (gateway, seq, index).
            var refused = rejected.Select(r => r.Point).ToHashSet(ReferenceEqualityComparer.Instance);
            var recordable = new List<(int, Iot.Contracts.Messages.TraceEvent)>(eventPoints!.Count);
            for (int p = 0; p < eventPoints.Count; p++)
            {
                if (!refused.Contains(points[p]))
                {
                    recordable.Add((eventPoints[p], eventsMessage.Events[eventPoints[p]]));
                }
            }

            records.RecordGatewayEvents(contract.GatewayId, contract.Seq, recordable);
        }

        if (newest is { } at)
        {
            IngestMetrics.LagSeconds.Observe(Math.Max(0, (time.GetUtcNow() - at).TotalSeconds));
        }

        if (refusals.Count == 0)
        {
            // Only a message stored whole is remembered: one refused in part or whole is refused again (and counted
            // on its dead letter) when it comes again, and a replay after a fix is not mistaken for a redelivery.
            _recent.Add(contract.GatewayId, contract.Seq);
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

        long id = deadLetters.Add(message.Topic, message.Payload.Span, new Refusal(code, reason), message.ClientId, contract.GatewayId, contract.Seq, arrival: message.ReplayOf is null);
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

            if (!TryMap(() => PointMapping.Reading(message, reading, receivedAt), path, points, refusals))
            {
                continue;
            }

            if (message.Clock == ClockState.Synchronized && (newest is null || reading.Time > newest))
            {
                newest = reading.Time;
            }
        }

        return (points, refusals, newest is { } n ? new DateTimeOffset(n, TimeSpan.Zero) : null);
    }

    /// <summary>The events' points; <paramref name="mapped"/> gets the index of the event each point is of.</summary>
    (List<Point> Points, List<(RefusalCode Code, string Reason)> Refusals, DateTimeOffset? Newest) Map(EventsMessage message, DateTimeOffset receivedAt, List<int> mapped)
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
            // The contract has already tied the unit to the quantity (mass for a weighing, volume for irrigation,
            // including millilitres, which a reading's Volume does not take); the bounds are scaled to it.
            if (quantity.Amount is { } amount
                && !Plausibility.Check(quantity.Type, amount.Unit, amount.Value, out string? implausible))
            {
                refusals.Add((RefusalCode.Implausible, $"{quantity.Path}: {implausible}"));
                continue;
            }

            int index = i;
            if (TryMap(() => PointMapping.Event(message, index, receivedAt), path, points, refusals))
            {
                mapped.Add(index);
            }
        }

        return (points, refusals, null);
    }

    /// <summary>
    /// Adds the point <paramref name="map"/> makes, or, should a message the contract let through still make a point
    /// line protocol cannot carry, a refusal naming <paramref name="path"/>: never an exception, whatever the input.
    /// </summary>
    static bool TryMap(Func<Point> map, string path, List<Point> points, List<(RefusalCode Code, string Reason)> refusals)
    {
        try
        {
            points.Add(map());
            return true;
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            refusals.Add((RefusalCode.Contract, $"{path} cannot be stored as an InfluxDB point: {e.Message}"));
            return false;
        }
    }

    string? CheckTime(ClockState clock, DateTime at, DateTimeOffset receivedAt, string path) =>
        TimeRules.Check(clock, at, receivedAt, path, _options);

    IngestOutcome DeadLetter(IncomingMessage message, string? gatewayId, long? seq, Refusal refusal)
    {
        IngestMetrics.Refusals.WithLabels(refusal.CodeName).Inc();
        long id = deadLetters.Add(message.Topic, message.Payload.Span, refusal, message.ClientId, gatewayId, seq, arrival: message.ReplayOf is null);
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
