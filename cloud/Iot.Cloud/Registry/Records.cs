using System.Text.Json.Nodes;

namespace Iot.Cloud.Registry;

/// <summary>Whether a party is a company (unified social credit code) or a farm household (resident identity number).</summary>
public enum PartyKind
{
    /// <summary>A company, cooperative or other organisation with a unified social credit code (GB 32100).</summary>
    Enterprise,

    /// <summary>A farm household, identified by a resident identity number (GB 11643): personal data.</summary>
    Household,
}

/// <summary>What a party does in the chain.</summary>
public enum PartyRole
{
    /// <summary>Grows or raises the product.</summary>
    Farm,

    /// <summary>Packs or processes it.</summary>
    Processor,

    /// <summary>Wholesales or transports it.</summary>
    Distributor,

    /// <summary>Sells it to the public.</summary>
    Retailer,
}

/// <summary>
/// A party (主体). <see cref="ResidentId"/> is masked (<c>110105********002X</c>) unless the party itself asked with
/// its access key.
/// </summary>
public sealed record Party(
    long Id,
    PartyKind Kind,
    PartyRole Role,
    string Name,
    string? CreditCode,
    string? ResidentId,
    string DivisionCode,
    string? NationalEntityCode,
    IReadOnlyList<string> Warnings,
    DateTimeOffset CreatedAt);

/// <summary>A product; <see cref="Gtin"/> (14 digits) when it has one.</summary>
public sealed record Product(long Id, string Name, string Category, string? Gtin, DateTimeOffset CreatedAt);

/// <summary>Where a batch is in its life.</summary>
public enum BatchStatus
{
    /// <summary>In a greenhouse or field.</summary>
    Growing,

    /// <summary>Taken in.</summary>
    Harvested,

    /// <summary>In crates.</summary>
    Packed,

    /// <summary>Sent to a receiver.</summary>
    Shipped,

    /// <summary>Recalled: everything made from it and everywhere it went is affected.</summary>
    Recalled,
}

/// <summary>
/// A batch: <see cref="Code"/> is our batch trace code; <see cref="NationalCode"/> the national platform's trace code
/// (追溯码) once linked; <see cref="Lot"/> the GS1 lot (AI 10) when the product has a GTIN.
/// </summary>
public sealed record Batch(
    string Code,
    long ProductId,
    long ProducerId,
    BatchStatus Status,
    string? NationalCode,
    string? Lot,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RecalledAt,
    string? RecallReason);

/// <summary>What kind of place a zone is.</summary>
public enum ZoneKind
{
    /// <summary>A greenhouse.</summary>
    Greenhouse,

    /// <summary>An open field plot.</summary>
    Field,

    /// <summary>A cold room.</summary>
    ColdRoom,

    /// <summary>A packing line.</summary>
    PackingLine,

    /// <summary>Anything else (and zones a gateway reported before they were registered).</summary>
    Other,
}

/// <summary>
/// A zone or line. <see cref="GatewayId"/> and <see cref="GatewayZone"/> name it as a gateway's readings do (the
/// InfluxDB tags <c>gateway</c> and <c>zone</c>). <see cref="Registered"/> is false for a zone a gateway reported
/// before anyone registered it.
/// </summary>
public sealed record Zone(string Id, long? PartyId, ZoneKind Kind, string Name, string? GatewayId, string? GatewayZone, bool Registered);

/// <summary>A batch's stay in a zone; <see cref="LeftAt"/> is null while it is still there.</summary>
public sealed record ZoneStay(long Id, string BatchCode, string ZoneId, string? GatewayId, string? GatewayZone, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt);

/// <summary>
/// A trace event. <see cref="Details"/> is the event as the gateway sent it (contract <c>agri.events.v1</c>) or as a
/// person stated it through the API; <see cref="Links"/> are what tracing walks.
/// </summary>
public sealed record TraceEvent(
    long Id,
    string Type,
    DateTimeOffset Time,
    DateTimeOffset RecordedAt,
    string Source,
    string? GatewayId,
    long? Seq,
    int? Index,
    string? ZoneId,
    string? BatchCode,
    JsonObject Details,
    IReadOnlyList<EventLink> Links);

/// <summary>
/// What an event is about: <see cref="Role"/> is one of <see cref="LinkRoles"/>, <see cref="Kind"/> one of
/// <see cref="LinkKinds"/>.
/// </summary>
public sealed record EventLink(string Role, string Kind, string Identifier);

/// <summary>The roles of <see cref="EventLink"/>.</summary>
public static class LinkRoles
{
    /// <summary>The batch the event concerns (its stamp, or the batch named); stored as <c>object</c>, EPCIS's word.</summary>
    public const string Subject = "object";

    /// <summary>A crate associated with, removed from, weighed for or shipped with the batch.</summary>
    public const string Crate = "crate";

    /// <summary>A batch consumed by a transformation.</summary>
    public const string Input = "input";

    /// <summary>The batch a transformation made.</summary>
    public const string Output = "output";

    /// <summary>The party a shipment went to (流向).</summary>
    public const string Receiver = "receiver";

    /// <summary>The party a shipment came from.</summary>
    public const string Sender = "sender";
}

/// <summary>The kinds of identifier in an <see cref="EventLink"/>.</summary>
public static class LinkKinds
{
    /// <summary>A batch trace code.</summary>
    public const string Batch = "batch";

    /// <summary>A UHF tag's 96-bit EPC, 24 hex digits.</summary>
    public const string Epc = "epc";

    /// <summary>An HF (ISO 14443A) tag's UID, hex.</summary>
    public const string Uid = "uid";

    /// <summary>A party, by its registry id.</summary>
    public const string Party = "party";
}

/// <summary>The trace event types, with their EPCIS meaning.</summary>
public static class TraceEventTypes
{
    /// <summary>The batch was registered (ObjectEvent ADD, commissioning).</summary>
    public const string Commissioned = "commissioned";

    /// <summary>The batch arrived in a zone (ObjectEvent OBSERVE, arriving).</summary>
    public const string BatchEntered = "batchEntered";

    /// <summary>The batch left a zone (ObjectEvent OBSERVE, departing).</summary>
    public const string BatchLeft = "batchLeft";

    /// <summary>A crate now holds the batch (AggregationEvent ADD, packing).</summary>
    public const string CrateAssociated = "crateAssociated";

    /// <summary>A crate no longer holds the batch (AggregationEvent DELETE, unpacking).</summary>
    public const string CrateRemoved = "crateRemoved";

    /// <summary>A stable weight of the batch, optionally of one crate (ObjectEvent OBSERVE with a Mass report).</summary>
    public const string Weighed = "weighed";

    /// <summary>Fertiliser, pesticide, irrigation or fertigation applied (ObjectEvent OBSERVE, treating).</summary>
    public const string InputApplied = "inputApplied";

    /// <summary>The batch was harvested (ObjectEvent OBSERVE, collecting).</summary>
    public const string Harvested = "harvested";

    /// <summary>The batch (or some of its crates) left for a receiver (ObjectEvent OBSERVE, shipping).</summary>
    public const string Shipped = "shipped";

    /// <summary>A receiver took it in (ObjectEvent OBSERVE, receiving).</summary>
    public const string Received = "received";

    /// <summary>Batches were processed into a new batch (TransformationEvent).</summary>
    public const string Transformed = "transformed";

    /// <summary>The batch was recalled (ObjectEvent OBSERVE, disposition recalled).</summary>
    public const string Recalled = "recalled";

    /// <summary>Every type, in life order.</summary>
    public static readonly IReadOnlyList<string> All =
        [Commissioned, BatchEntered, BatchLeft, InputApplied, Harvested, CrateAssociated, CrateRemoved, Weighed, Transformed, Shipped, Received, Recalled];
}
