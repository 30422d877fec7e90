namespace Iot.Edge.Outbox;

/// <summary>What an outbox entry carries; decides whether it may be dropped when the outbox is full.</summary>
public enum OutboxEntryKind
{
    /// <summary>A readings message: the oldest go first when the outbox is full.</summary>
    Readings = 0,

    /// <summary>A trace events message: never dropped.</summary>
    Events = 1,

    /// <summary>A command result: never dropped.</summary>
    CommandResult = 2,
}

/// <summary>One message waiting for the broker's PUBACK, exactly as it will be (re)sent.</summary>
/// <param name="Seq">The message's sequence number (also inside <paramref name="Payload"/>).</param>
/// <param name="Kind">What it carries.</param>
/// <param name="Topic">The MQTT topic.</param>
/// <param name="Payload">The contract JSON, immutable once stored: a resend is byte-for-byte the same message.</param>
/// <param name="Readings">How many readings it holds (counted as dropped if it is dropped).</param>
/// <param name="CreatedUtc">When it was stored.</param>
public sealed record OutboxEntry(long Seq, OutboxEntryKind Kind, string Topic, byte[] Payload, int Readings, DateTime CreatedUtc);

/// <summary>The outbox at a glance, for the status message and metrics.</summary>
/// <param name="Depth">Messages waiting.</param>
/// <param name="Bytes">Payload bytes waiting.</param>
/// <param name="OldestUtc">When the oldest waiting message was stored; null when empty.</param>
/// <param name="DroppedReadings">Readings dropped because the outbox was full, since the outbox file was created.</param>
/// <param name="DroppedMessages">Readings messages dropped, likewise.</param>
public sealed record OutboxSnapshot(long Depth, long Bytes, DateTime? OldestUtc, long DroppedReadings, long DroppedMessages);
