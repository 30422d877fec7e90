using System.Collections.Concurrent;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;
using Iot.Contracts.Validation;

namespace Iot.Cloud.Registry;

/// <summary>A gateway's last status as the cloud received it.</summary>
public sealed record GatewayStatusView(
    string GatewayId,
    string State,
    DateTimeOffset ReceivedAt,
    DateTime Time,
    string Clock,
    string? Version,
    OutboxStatus? Outbox,
    IReadOnlyList<SensorHealth>? Sensors);

/// <summary>
/// The last status each registered gateway published on <c>agri/v1/{id}/status</c> (retained; its last will says
/// offline), kept in memory for the on-call view: online or not, outbox depth and oldest age, drops, sensor health.
/// A status that breaks the contract, names another gateway than its publisher, or comes from an unregistered gateway
/// is not recorded (and counted as refused).
/// </summary>
public sealed class GatewayStatusBoard(GatewayRegistry registry)
{
    readonly ConcurrentDictionary<string, GatewayStatusView> _latest = new(StringComparer.Ordinal);
    long _refused;

    /// <summary>Status messages not recorded so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Records a message on a status topic; returns whether it was recorded.</summary>
    public bool Record(string topic, ReadOnlySpan<byte> payload, string? clientId, DateTimeOffset receivedAt)
    {
        if (!Topic.TryParse(topic, out var parsed, out _) || parsed.Kind != TopicKind.Status)
        {
            return false;
        }

        if (ContractReader.Read(topic, payload).Message is not StatusMessage status
            || (clientId is not null && !string.Equals(clientId, status.GatewayId, StringComparison.Ordinal))
            || !registry.IsKnown(status.GatewayId))
        {
            Interlocked.Increment(ref _refused);
            return false;
        }

        var view = new GatewayStatusView(
            status.GatewayId,
            status.State == GatewayState.Online ? "online" : "offline",
            receivedAt,
            status.Time,
            status.Clock == ClockState.Synchronized ? "synchronized" : "unsynchronized",
            status.Version,
            status.Outbox,
            status.Sensors);
        _latest.AddOrUpdate(status.GatewayId, view, (_, old) => old.ReceivedAt <= receivedAt ? view : old);
        return true;
    }

    /// <summary>The last status of <paramref name="gatewayId"/>, or null if none arrived since the cloud started.</summary>
    public GatewayStatusView? Find(string gatewayId) => _latest.GetValueOrDefault(gatewayId);
}
