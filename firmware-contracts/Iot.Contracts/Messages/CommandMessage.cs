using System.Text.Json.Serialization;

namespace Iot.Contracts.Messages;

/// <summary>
/// A command, cloud to gateway, on <c>agri/v1/{gatewayId}/cmd/{name}</c>. <c>name</c> in the payload equals the
/// topic's last level. Its <see cref="ContractMessage.Seq"/> is the cloud's sequence for that gateway.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "name", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(SetBatchCommand), CommandNames.SetBatch)]
[JsonDerivedType(typeof(TareCommand), CommandNames.Tare)]
[JsonDerivedType(typeof(ReportStatusCommand), CommandNames.ReportStatus)]
public abstract record CommandMessage : ContractMessage
{
    /// <summary>Unique id of this command, echoed in its result.</summary>
    public required string CommandId { get; init; }

    /// <summary>When the cloud issued it.</summary>
    public required DateTime IssuedAt { get; init; }

    /// <summary>After this the gateway must not carry it out (it answers expired).</summary>
    public DateTime? ExpiresAt { get; init; }

    /// <summary>The command's name, as in the topic.</summary>
    [JsonIgnore]
    public string Name => this switch
    {
        SetBatchCommand => CommandNames.SetBatch,
        TareCommand => CommandNames.Tare,
        ReportStatusCommand => CommandNames.ReportStatus,
        _ => throw new InvalidOperationException($"{GetType().Name} is not a command of contract v1"),
    };
}

/// <summary>The command names of contract v1.</summary>
public static class CommandNames
{
    /// <summary>Sets (or clears) the batch active in a zone or line.</summary>
    public const string SetBatch = "set-batch";

    /// <summary>Zeroes a scale with what is on it now.</summary>
    public const string Tare = "tare";

    /// <summary>Asks for a fresh status message now.</summary>
    public const string ReportStatus = "report-status";

    /// <summary>All of them.</summary>
    public static readonly IReadOnlyList<string> All = [SetBatch, Tare, ReportStatus];
}

/// <summary>Sets the batch active in a zone or line; a null batch empties it.</summary>
public sealed record SetBatchCommand : CommandMessage
{
    /// <summary>The zone or line.</summary>
    public required string Zone { get; init; }

    /// <summary>The batch trace code, or null to mark the zone empty (written out as null, never left out).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? Batch { get; init; }

}

/// <summary>Zeroes a scale.</summary>
public sealed record TareCommand : CommandMessage
{
    /// <summary>The scale.</summary>
    public required string ScaleId { get; init; }

}

/// <summary>Asks for a status message now.</summary>
public sealed record ReportStatusCommand : CommandMessage;

/// <summary>The outcome of a command, gateway to cloud, on <c>agri/v1/{gatewayId}/cmd-result</c>.</summary>
public sealed record CommandResultMessage : ContractMessage
{
    /// <summary>The gateway's clock state when it wrote this result.</summary>
    public required ClockState Clock { get; init; }

    /// <summary>The command's id.</summary>
    public required string CommandId { get; init; }

    /// <summary>The command's name.</summary>
    public required string Name { get; init; }

    /// <summary>When the gateway finished with it.</summary>
    public required DateTime Time { get; init; }

    /// <summary>What happened.</summary>
    public required CommandOutcome Outcome { get; init; }

    /// <summary>A sentence for people: why it was rejected or failed.</summary>
    public string? Detail { get; init; }
}

/// <summary>What became of a command.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommandOutcome>))]
public enum CommandOutcome
{
    /// <summary>Carried out.</summary>
    [JsonStringEnumMemberName("done")]
    Done,

    /// <summary>Not carried out: invalid or not allowed (detail says why).</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>Tried and failed (detail says why).</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Arrived after its expiry; not carried out.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,
}
