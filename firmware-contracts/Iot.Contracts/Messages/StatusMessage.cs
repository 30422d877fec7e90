using System.Text.Json.Serialization;

namespace Iot.Contracts.Messages;

/// <summary>
/// Gateway status, retained on <c>agri/v1/{gatewayId}/status</c>. The gateway registers an offline status as its
/// MQTT last will when it connects, so a gateway that vanishes is shown offline by the broker.
/// </summary>
public sealed record StatusMessage : ContractMessage
{
    /// <summary>The gateway's clock state when it wrote this status.</summary>
    public required ClockState Clock { get; init; }

    /// <summary>When the gateway wrote this status (for the last will: when it connected).</summary>
    public required DateTime Time { get; init; }

    /// <summary>Online or offline.</summary>
    public required GatewayState State { get; init; }

    /// <summary>Gateway software version.</summary>
    public string? Version { get; init; }

    /// <summary>The offline buffer: what waits and what was dropped.</summary>
    public OutboxStatus? Outbox { get; init; }

    /// <summary>Health of each sensor.</summary>
    public IReadOnlyList<SensorHealth>? Sensors { get; init; }
}

/// <summary>Whether the gateway is connected.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GatewayState>))]
public enum GatewayState
{
    /// <summary>Connected and publishing.</summary>
    [JsonStringEnumMemberName("online")]
    Online,

    /// <summary>Disconnected (the last will, or a clean shutdown).</summary>
    [JsonStringEnumMemberName("offline")]
    Offline,
}

/// <summary>The gateway's durable outbox.</summary>
public sealed record OutboxStatus
{
    /// <summary>Messages waiting for the broker's acknowledgement.</summary>
    public required long Depth { get; init; }

    /// <summary>Age of the oldest waiting message, in seconds; 0 when empty.</summary>
    public required double OldestAgeSeconds { get; init; }

    /// <summary>Plain readings dropped, oldest first, because the outbox was full, since the gateway was installed.</summary>
    public required long DroppedReadings { get; init; }
}

/// <summary>One sensor's health.</summary>
public sealed record SensorHealth
{
    /// <summary>The sensor.</summary>
    public required string SensorId { get; init; }

    /// <summary>ok, degraded (some recent reads failed) or failing (no valid read recently).</summary>
    public required SensorCondition Condition { get; init; }

    /// <summary>Failed reads since the gateway started.</summary>
    public required long FailedReads { get; init; }

    /// <summary>When the last valid reading was taken, if any.</summary>
    public DateTime? LastGood { get; init; }
}

/// <summary>A sensor's condition.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SensorCondition>))]
public enum SensorCondition
{
    /// <summary>Recent reads are valid.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>Some recent reads failed.</summary>
    [JsonStringEnumMemberName("degraded")]
    Degraded,

    /// <summary>No valid read recently.</summary>
    [JsonStringEnumMemberName("failing")]
    Failing,
}
