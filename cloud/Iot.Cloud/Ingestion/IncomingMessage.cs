namespace Iot.Cloud.Ingestion;

/// <summary>
/// A message as it reached ingestion: topic, payload, and the MQTT client that published it when the broker tells us
/// (the embedded broker does; through an external broker it is unknown and the broker's ACL must bind client to topic).
/// <paramref name="ReplayOf"/> is the dead letter being replayed, when it is one: refused again, it is not counted as
/// another arrival of the message.
/// </summary>
public sealed record IncomingMessage(string Topic, ReadOnlyMemory<byte> Payload, string? ClientId, DateTimeOffset ReceivedAt, long? ReplayOf = null);

/// <summary>What ingestion did with a message.</summary>
public enum IngestStatus
{
    /// <summary>Every reading or event is stored.</summary>
    Stored,

    /// <summary>Some were stored; the message is also dead-lettered with the reasons for the rest.</summary>
    PartlyStored,

    /// <summary>Nothing was stored; the message is dead-lettered with the reason.</summary>
    DeadLettered,

    /// <summary>Already stored (same gateway and sequence number); nothing written again.</summary>
    Duplicate,

    /// <summary>Not a topic ingestion stores (status, commands): left to the broker.</summary>
    NotIngested,
}

/// <summary>
/// The outcome of one message; every outcome may be acknowledged. (A message that could not be stored or
/// dead-lettered, because the service is stopping, has no outcome: <see cref="IngestionPipeline.IngestAsync"/> throws
/// <see cref="OperationCanceledException"/> and the message must not be acknowledged.)
/// </summary>
public sealed record IngestOutcome(IngestStatus Status, int Points, string? Reason = null, long? DeadLetterId = null);
