using Iot.Contracts.Messages;
using Iot.Edge.Clock;

namespace Iot.Edge.Outbox;

/// <summary>
/// The one way into the outbox: wraps readings, trace events and command results in contract messages, stores them
/// (one fsynced transaction per call) and wakes the uplink.
/// </summary>
public sealed class OutboxWriter(string gatewayId, SqliteOutbox outbox, OutboxSignal signal, GatewayClock clock)
{
    /// <summary>Most readings in one message.</summary>
    public const int ReadingsPerMessage = 500;

    /// <summary>Stores readings taken under <paramref name="clockState"/>, split into messages of at most <see cref="ReadingsPerMessage"/>.</summary>
    public IReadOnlyList<OutboxEntry> AppendReadings(IReadOnlyList<Reading> readings, ClockState clockState)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var messages = readings.Chunk(ReadingsPerMessage).Select(chunk => (ContractMessage)new ReadingsMessage
        {
            Schema = MessageSchemas.Readings,
            GatewayId = gatewayId,
            Seq = 1,
            Clock = clockState,
            Readings = chunk,
        }).ToList();
        return Store(messages);
    }

    /// <summary>Stores trace events now; they are never dropped.</summary>
    public IReadOnlyList<OutboxEntry> AppendEvents(IReadOnlyList<TraceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return [];
        }

        var message = new EventsMessage
        {
            Schema = MessageSchemas.Events,
            GatewayId = gatewayId,
            Seq = 1,
            Clock = clock.State,
            Events = events,
        };
        return Store([message]);
    }

    /// <summary>Stores a command's result.</summary>
    public IReadOnlyList<OutboxEntry> AppendResult(CommandResultMessage result) => Store([result]);

    IReadOnlyList<OutboxEntry> Store(IReadOnlyList<ContractMessage> messages)
    {
        var stored = outbox.Append(messages);
        signal.Notify();
        return stored;
    }
}
