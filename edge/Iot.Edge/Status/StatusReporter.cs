using Iot.Contracts.Messages;
using Iot.Edge.Clock;
using Iot.Edge.Outbox;
using Iot.Edge.Sampling;

namespace Iot.Edge.Status;

/// <summary>Builds the gateway's status message: online or offline, version, outbox, clock, every sensor's health.</summary>
public sealed class StatusReporter(string gatewayId, SqliteOutbox outbox, GatewayClock clock, SensorHealthBoard health)
{
    /// <summary>A status message with a fresh sequence number.</summary>
    public StatusMessage Build(GatewayState state)
    {
        var snapshot = outbox.Snapshot();
        var now = clock.UtcNow;
        return new StatusMessage
        {
            Schema = MessageSchemas.Status,
            GatewayId = gatewayId,
            Seq = outbox.TakeSeq(),
            Clock = clock.State,
            Time = now,
            State = state,
            Version = GatewayOptions.Version,
            Outbox = new OutboxStatus
            {
                Depth = snapshot.Depth,
                OldestAgeSeconds = snapshot.OldestUtc is { } oldest ? Math.Max(0, Math.Round((now - oldest).TotalSeconds, 3)) : 0,
                DroppedReadings = snapshot.DroppedReadings,
            },
            Sensors = health.Snapshot(),
        };
    }

    /// <summary>The last will: registered at connect, published by the broker if the gateway vanishes.</summary>
    public StatusMessage LastWill() => new()
    {
        Schema = MessageSchemas.Status,
        GatewayId = gatewayId,
        Seq = outbox.TakeSeq(),
        Clock = clock.State,
        Time = clock.UtcNow,
        State = GatewayState.Offline,
    };
}
