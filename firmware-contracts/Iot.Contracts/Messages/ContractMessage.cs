namespace Iot.Contracts.Messages;

/// <summary>
/// What every message on the wire carries: its schema name and version, the gateway it is from or for,
/// a per-gateway monotonic sequence number (with the gateway id, the dedupe key), and the gateway's clock state.
/// </summary>
public abstract record ContractMessage
{
    /// <summary>Schema name with its version, e.g. <c>agri.readings.v1</c>; see <see cref="MessageSchemas"/>.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(-3)]
    public required string Schema { get; init; }

    /// <summary>The gateway this message is from (or, for a command, for).</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(-2)]
    public required string GatewayId { get; init; }

    /// <summary>
    /// Per-gateway monotonic sequence number, 1 to 2^53-1 (so JavaScript and C doubles hold it exactly).
    /// A resend carries the same number; (gateway id, seq) identifies a message for dedupe.
    /// </summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public required long Seq { get; init; }
}

/// <summary>Schema names and the largest sizes the contract allows.</summary>
public static class MessageSchemas
{
    /// <summary>A batch of sensor readings, gateway to cloud.</summary>
    public const string Readings = "agri.readings.v1";

    /// <summary>A batch of trace events, gateway to cloud.</summary>
    public const string Events = "agri.events.v1";

    /// <summary>Gateway status, retained; the last will says offline.</summary>
    public const string Status = "agri.status.v1";

    /// <summary>A command, cloud to gateway.</summary>
    public const string Command = "agri.command.v1";

    /// <summary>The result of a command, gateway to cloud.</summary>
    public const string CommandResult = "agri.cmd-result.v1";

    /// <summary>Largest sequence number: 2^53-1.</summary>
    public const long MaxSeq = 9_007_199_254_740_991;

    /// <summary>Largest payload accepted, in bytes.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    /// <summary>Most readings in one message.</summary>
    public const int MaxReadings = 1000;

    /// <summary>Most events in one message.</summary>
    public const int MaxEvents = 200;

    /// <summary>Most trace codes stamped on one reading or event.</summary>
    public const int MaxTraceCodes = 8;

    /// <summary>Longest free-text field (error, detail, product name, operator).</summary>
    public const int MaxText = 200;
}
