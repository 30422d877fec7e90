using Iot.Cloud.Registry;

namespace Iot.Cloud.Tracing;

/// <summary>What an identifier turned out to be.</summary>
public enum ThingKind
{
    /// <summary>One of our batch trace codes.</summary>
    Batch,

    /// <summary>A crate's tag: a UHF EPC or an HF UID.</summary>
    Crate,

    /// <summary>A national trace code linked to one of our batches.</summary>
    NationalCode,
}

/// <summary>
/// An identifier the registry knows: <see cref="TagKind"/> (<c>epc</c> or <c>uid</c>) for a crate,
/// <see cref="BatchCode"/> for a national code.
/// </summary>
public sealed record IdentifiedThing(ThingKind Kind, string Identifier, string? TagKind = null, string? BatchCode = null);

/// <summary>Where a thing came from: the batches it is (or holds), each with its origin.</summary>
public sealed record BackwardTrace(IdentifiedThing Start, IReadOnlyList<BatchOrigin> Batches);

/// <summary>
/// A batch's origin: who produced it, what it is, where it stayed, which inputs it got (stamped, or applied in a zone
/// during its stay), and the batches it was made from.
/// </summary>
public sealed record BatchOrigin(
    Batch Batch,
    Product? Product,
    Party? Producer,
    IReadOnlyList<ZoneStay> Stays,
    IReadOnlyList<Zone> Zones,
    IReadOnlyList<TraceEvent> Inputs,
    IReadOnlyList<BatchOrigin> MadeFrom);

/// <summary>A batch reached going forward; <see cref="From"/> is the batch it was made from (null for the start), <see cref="Level"/> the transformations between.</summary>
public sealed record AffectedBatch(string Code, string? From, int Level);

/// <summary>A crate (<see cref="Kind"/> <c>epc</c> or <c>uid</c>) that held <see cref="Batch"/>.</summary>
public sealed record CrateHolding(string Kind, string Identifier, string Batch);

/// <summary>A shipment (<c>shipped</c>) or its receipt (<c>received</c>): to whom (流向), from whom, which crates.</summary>
public sealed record Shipment(long EventId, string Type, DateTimeOffset Time, string? Batch, long? Receiver, long? Sender, IReadOnlyList<CrateHolding> Crates);

/// <summary>Where a batch went: every batch made from it, every crate, every shipment and receiver.</summary>
public sealed record ForwardTrace(
    string Start,
    IReadOnlyList<AffectedBatch> Batches,
    IReadOnlyList<CrateHolding> Crates,
    IReadOnlyList<Shipment> Shipments,
    IReadOnlyList<Party> Receivers);

/// <summary>A recall: the batches it marked now, those already recalled, and everything affected.</summary>
public sealed record RecallReport(string Batch, string Reason, IReadOnlyList<string> Recalled, IReadOnlyList<string> AlreadyRecalled, ForwardTrace Affected);
