using System.Text.Json.Serialization;

namespace Iot.Contracts.Messages;

/// <summary>A batch of trace events, gateway to cloud, on <c>agri/v1/{gatewayId}/events</c>.</summary>
public sealed record EventsMessage : ContractMessage
{
    /// <summary>The clock state under which every timestamp in <see cref="Events"/> was taken.</summary>
    public required ClockState Clock { get; init; }

    /// <summary>1 to <see cref="MessageSchemas.MaxEvents"/> events. Gateways never drop these, even when the outbox is full.</summary>
    public required IReadOnlyList<TraceEvent> Events { get; init; }
}

/// <summary>
/// Something that happened to a batch, with EPCIS semantics. The <c>type</c> property names the kind.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(BatchEnteredEvent), "batchEntered")]
[JsonDerivedType(typeof(BatchLeftEvent), "batchLeft")]
[JsonDerivedType(typeof(CrateAssociatedEvent), "crateAssociated")]
[JsonDerivedType(typeof(CrateRemovedEvent), "crateRemoved")]
[JsonDerivedType(typeof(WeighedEvent), "weighed")]
[JsonDerivedType(typeof(InputAppliedEvent), "inputApplied")]
public abstract record TraceEvent
{
    /// <summary>When it happened, UTC, millisecond precision.</summary>
    public required DateTime Time { get; init; }

    /// <summary>The zone or line where it happened.</summary>
    public required string Zone { get; init; }

    /// <summary>Batch trace codes active in <see cref="Zone"/> at <see cref="Time"/> (the stamp).</summary>
    public required IReadOnlyList<string> TraceCodes { get; init; }
}

/// <summary>How the gateway learned which batch is in a zone.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchSource>))]
public enum BatchSource
{
    /// <summary>From the gateway's configuration.</summary>
    [JsonStringEnumMemberName("configuration")]
    Configuration,

    /// <summary>From a <c>set-batch</c> command sent by the cloud.</summary>
    [JsonStringEnumMemberName("command")]
    Command,

    /// <summary>From a batch card scanned on the line's RFID reader.</summary>
    [JsonStringEnumMemberName("card")]
    Card,
}

/// <summary>A batch moved into or out of a zone or line.</summary>
public abstract record BatchMovedEvent : TraceEvent
{
    /// <summary>The batch that moved.</summary>
    public required string Batch { get; init; }

    /// <summary>How the gateway learned of it.</summary>
    public required BatchSource By { get; init; }

    /// <summary>The batch card's tag, when <see cref="By"/> is card.</summary>
    public CrateTag? Card { get; init; }
}

/// <summary>A batch entered a zone or line (EPCIS: ObjectEvent, bizStep arriving, readPoint the zone).</summary>
public sealed record BatchEnteredEvent : BatchMovedEvent;

/// <summary>A batch left a zone or line (EPCIS: ObjectEvent, bizStep departing).</summary>
public sealed record BatchLeftEvent : BatchMovedEvent;

/// <summary>A crate was put in or taken out of a batch.</summary>
public abstract record CrateEvent : TraceEvent
{
    /// <summary>The batch.</summary>
    public required string Batch { get; init; }

    /// <summary>The crate's tag.</summary>
    public required CrateTag Crate { get; init; }
}

/// <summary>An RFID-tagged crate was filled from a batch (EPCIS: AggregationEvent ADD).</summary>
public sealed record CrateAssociatedEvent : CrateEvent;

/// <summary>A crate was emptied or taken off a batch (EPCIS: AggregationEvent DELETE).</summary>
public sealed record CrateRemovedEvent : CrateEvent;

/// <summary>
/// A stable weight on a scale: at a packing line, the crate read just before it holds <see cref="Net"/> of
/// <see cref="Batch"/> (EPCIS: ObjectEvent with a quantity and a Mass sensor report).
/// </summary>
public sealed record WeighedEvent : TraceEvent
{
    /// <summary>The batch weighed.</summary>
    public required string Batch { get; init; }

    /// <summary>The crate on the scale, when one was read; absent for bulk weighing.</summary>
    public CrateTag? Crate { get; init; }

    /// <summary>The scale.</summary>
    public required string ScaleId { get; init; }

    /// <summary>Net mass (gross less tare), in kilograms or grams.</summary>
    public required QuantityValue Net { get; init; }

    /// <summary>The tare subtracted, when known.</summary>
    public QuantityValue? Tare { get; init; }
}

/// <summary>What was applied to a zone.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InputKind>))]
public enum InputKind
{
    /// <summary>Solid or liquid fertiliser (肥料).</summary>
    [JsonStringEnumMemberName("fertiliser")]
    Fertiliser,

    /// <summary>Pesticide (农药), which needs its registration number (农药登记证号).</summary>
    [JsonStringEnumMemberName("pesticide")]
    Pesticide,

    /// <summary>Plain water.</summary>
    [JsonStringEnumMemberName("irrigation")]
    Irrigation,

    /// <summary>Fertiliser dissolved in irrigation water.</summary>
    [JsonStringEnumMemberName("fertigation")]
    Fertigation,
}

/// <summary>An input applied to a zone: fertiliser, pesticide, irrigation or fertigation (EPCIS: ObjectEvent, bizStep treating).</summary>
public sealed record InputAppliedEvent : TraceEvent
{
    /// <summary>What kind of input.</summary>
    public required InputKind Input { get; init; }

    /// <summary>Trade name of the product; required for fertiliser and pesticide.</summary>
    public string? Product { get; init; }

    /// <summary>Pesticide registration number (农药登记证号, e.g. <c>PD20080001</c>); required for pesticide.</summary>
    public string? RegistrationNumber { get; init; }

    /// <summary>How much was applied: mass or volume.</summary>
    public required QuantityValue Amount { get; init; }

    /// <summary>The flow meter that measured it, for irrigation and fertigation.</summary>
    public string? SensorId { get; init; }

    /// <summary>Who applied it, as the farm records it (a name or staff number; not an identity number).</summary>
    public string? Operator { get; init; }
}

/// <summary>An amount on the wire: <c>{"value": 12.5, "unit": "KGM"}</c>.</summary>
public sealed record QuantityValue
{
    /// <summary>The value; finite and not negative.</summary>
    public required double Value { get; init; }

    /// <summary>Its UN/ECE Rec 20 unit.</summary>
    public required Unit Unit { get; init; }

    /// <summary>As a <see cref="Quantity"/>.</summary>
    public Quantity ToQuantity() => new(Value, Unit);
}

/// <summary>
/// An RFID tag as the reader saw it: either a UHF tag's 96-bit EPC (24 hex digits, SGTIN-96 or SSCC-96) or an HF
/// (ISO 14443A) tag's UID of 4, 7 or 10 bytes. Exactly one is present; an HF UID is never passed off as an EPC.
/// </summary>
public sealed record CrateTag
{
    /// <summary>The EPC bank's 96 bits as 24 upper-case hex digits.</summary>
    public string? Epc { get; init; }

    /// <summary>The HF tag's UID as 8, 14 or 20 upper-case hex digits.</summary>
    public string? Uid { get; init; }
}
