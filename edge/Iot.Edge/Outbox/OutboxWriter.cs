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

    /// <summary>
    /// Most readings the collector hands over in one append (one fsynced transaction): 8 full messages, about 600 kB of
    /// JSON. A flush larger than that is stored in several, and the uplink can send the first while the next is
    /// serialised; at one reading a second per sensor a flush is far smaller.
    /// </summary>
    public const int ReadingsPerAppend = 8 * ReadingsPerMessage;

    /// <summary>
    /// Most payload bytes a readings message is planned at: well under the contract's 256 KiB, judged from each
    /// reading's worst-case JSON size (non-ASCII text is written as \uXXXX, six bytes a character).
    /// </summary>
    public const int PlannedMessageBytes = 128 * 1024;

    /// <summary>Stores readings taken under <paramref name="clockState"/>, in messages bounded by count and by bytes.</summary>
    public IReadOnlyList<OutboxEntry> AppendReadings(IReadOnlyList<Reading> readings, ClockState clockState)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var messages = new List<ContractMessage>();
        var chunk = new List<Reading>();
        int bytes = 0;
        foreach (var reading in readings)
        {
            int size = WorstCaseBytes(reading);
            if (chunk.Count > 0 && (chunk.Count == ReadingsPerMessage || bytes + size > PlannedMessageBytes))
            {
                messages.Add(Message(chunk, clockState));
                chunk = [];
                bytes = 0;
            }

            chunk.Add(reading);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            messages.Add(Message(chunk, clockState));
        }

        return Store(messages);
    }

    /// <summary>An upper bound of a reading's JSON size: fixed parts, ids, codes and text at six bytes a character.</summary>
    internal static int WorstCaseBytes(Reading r) =>
        200 + (6 * (r.SensorId.Length + r.Zone.Length + (r.Error?.Length ?? 0))) + (20 * r.TraceCodes.Count);

    ReadingsMessage Message(IReadOnlyList<Reading> readings, ClockState clockState) => new()
    {
        Schema = MessageSchemas.Readings,
        GatewayId = gatewayId,
        Seq = 1,
        Clock = clockState,
        Readings = readings,
    };

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
