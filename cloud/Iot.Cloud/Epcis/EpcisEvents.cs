using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Iot.Cloud.Epcis;

/// <summary>What an event does to the objects it names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EpcisAction>))]
public enum EpcisAction
{
    /// <summary>They were seen; nothing about them changed.</summary>
    [JsonStringEnumMemberName("OBSERVE")]
    Observe,

    /// <summary>They came into being, or into the aggregation or association.</summary>
    [JsonStringEnumMemberName("ADD")]
    Add,

    /// <summary>They ceased to exist, or left the aggregation or association.</summary>
    [JsonStringEnumMemberName("DELETE")]
    Delete,
}

/// <summary>
/// What every EPCIS event has (when, its identity, corrections) and the "where" and "why" dimensions that all five
/// event types share. The JSON property <c>type</c> names the derived type. An event of a type outside the five
/// (an extension event type named by a URI) is refused on reading.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ObjectEvent), "ObjectEvent")]
[JsonDerivedType(typeof(AggregationEvent), "AggregationEvent")]
[JsonDerivedType(typeof(TransformationEvent), "TransformationEvent")]
[JsonDerivedType(typeof(TransactionEvent), "TransactionEvent")]
[JsonDerivedType(typeof(AssociationEvent), "AssociationEvent")]
public abstract class EpcisEvent
{
    /// <summary>A JSON-LD context of the event's own, when it has one.</summary>
    [JsonPropertyName("@context")]
    [JsonPropertyOrder(-20)]
    public JsonNode? Context { get; set; }

    /// <summary>The event's URI: the same event always has the same ID.</summary>
    [JsonPropertyName("eventID")]
    [JsonPropertyOrder(-19)]
    public string? EventId { get; set; }

    /// <summary>When it happened.</summary>
    [JsonPropertyName("eventTime")]
    [JsonPropertyOrder(-18)]
    public required DateTimeOffset EventTime { get; set; }

    /// <summary>The offset from UTC where it happened, <c>+hh:mm</c> or <c>-hh:mm</c>.</summary>
    [JsonPropertyName("eventTimeZoneOffset")]
    [JsonPropertyOrder(-17)]
    public required string EventTimeZoneOffset { get; set; }

    /// <summary>When the repository recorded it.</summary>
    [JsonPropertyName("recordTime")]
    [JsonPropertyOrder(-16)]
    public DateTimeOffset? RecordTime { get; set; }

    /// <summary>The business step: a CBV word (<c>shipping</c>) or a URI of one's own (<c>agri:treating</c>).</summary>
    [JsonPropertyName("bizStep")]
    [JsonPropertyOrder(10)]
    public string? BizStep { get; set; }

    /// <summary>The business condition of the objects afterwards: a CBV word (<c>in_transit</c>) or a URI.</summary>
    [JsonPropertyName("disposition")]
    [JsonPropertyOrder(11)]
    public string? Disposition { get; set; }

    /// <summary>Where it was observed.</summary>
    [JsonPropertyName("readPoint")]
    [JsonPropertyOrder(12)]
    public EpcisLocation? ReadPoint { get; set; }

    /// <summary>Where the objects are afterwards.</summary>
    [JsonPropertyName("bizLocation")]
    [JsonPropertyOrder(13)]
    public EpcisLocation? BizLocation { get; set; }

    /// <summary>Business transactions (orders, despatch advices) it belongs to.</summary>
    [JsonPropertyName("bizTransactionList")]
    [JsonPropertyOrder(14)]
    public IList<BizTransaction>? BizTransactionList { get; set; }

    /// <summary>Where the goods came from (owning party, possessing party, location).</summary>
    [JsonPropertyName("sourceList")]
    [JsonPropertyOrder(15)]
    public IList<EpcisSource>? SourceList { get; set; }

    /// <summary>Where the goods go to.</summary>
    [JsonPropertyName("destinationList")]
    [JsonPropertyOrder(16)]
    public IList<EpcisDestination>? DestinationList { get; set; }

    /// <summary>Sensor data captured with the event.</summary>
    [JsonPropertyName("sensorElementList")]
    [JsonPropertyOrder(17)]
    public IList<SensorElement>? SensorElementList { get; set; }

    /// <summary>Certification URIs: one, or an array.</summary>
    [JsonPropertyName("certificationInfo")]
    [JsonPropertyOrder(18)]
    public JsonNode? CertificationInfo { get; set; }

    /// <summary>Set when the event was later declared to be in error.</summary>
    [JsonPropertyName("errorDeclaration")]
    [JsonPropertyOrder(19)]
    public ErrorDeclaration? ErrorDeclaration { get; set; }

    /// <summary>Keys this model does not name (namespaced extensions), kept for writing back.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>Something happened to objects: seen, created, shipped, recalled.</summary>
public sealed class ObjectEvent : EpcisEvent
{
    /// <summary>What it did to the objects.</summary>
    [JsonPropertyName("action")]
    public required EpcisAction Action { get; set; }

    /// <summary>Individual objects, by URI.</summary>
    [JsonPropertyName("epcList")]
    public IList<string>? EpcList { get; set; }

    /// <summary>Objects by class (a product, a lot), with a quantity when counted or weighed.</summary>
    [JsonPropertyName("quantityList")]
    public IList<QuantityElement>? QuantityList { get; set; }

    /// <summary>Dispositions set or unset from now on.</summary>
    [JsonPropertyName("persistentDisposition")]
    public PersistentDisposition? PersistentDisposition { get; set; }

    /// <summary>Instance or lot master data, only with <see cref="EpcisAction.Add"/>; keys are URIs.</summary>
    [JsonPropertyName("ilmd")]
    public JsonObject? Ilmd { get; set; }
}

/// <summary>Objects were put into or taken out of a container (a crate, a pallet).</summary>
public sealed class AggregationEvent : EpcisEvent
{
    /// <summary>What happened to the aggregation.</summary>
    [JsonPropertyName("action")]
    public required EpcisAction Action { get; set; }

    /// <summary>The container.</summary>
    [JsonPropertyName("parentID")]
    public string? ParentId { get; set; }

    /// <summary>Contents, by URI.</summary>
    [JsonPropertyName("childEPCs")]
    public IList<string>? ChildEpcs { get; set; }

    /// <summary>Contents by class, with quantities.</summary>
    [JsonPropertyName("childQuantityList")]
    public IList<QuantityElement>? ChildQuantityList { get; set; }
}

/// <summary>Inputs were consumed and outputs made (processing, mixing, cutting).</summary>
public sealed class TransformationEvent : EpcisEvent
{
    /// <summary>Consumed objects, by URI.</summary>
    [JsonPropertyName("inputEPCList")]
    public IList<string>? InputEpcList { get; set; }

    /// <summary>Consumed objects by class.</summary>
    [JsonPropertyName("inputQuantityList")]
    public IList<QuantityElement>? InputQuantityList { get; set; }

    /// <summary>Made objects, by URI.</summary>
    [JsonPropertyName("outputEPCList")]
    public IList<string>? OutputEpcList { get; set; }

    /// <summary>Made objects by class.</summary>
    [JsonPropertyName("outputQuantityList")]
    public IList<QuantityElement>? OutputQuantityList { get; set; }

    /// <summary>Ties together transformation events of one process.</summary>
    [JsonPropertyName("transformationID")]
    public string? TransformationId { get; set; }

    /// <summary>Dispositions set or unset from now on.</summary>
    [JsonPropertyName("persistentDisposition")]
    public PersistentDisposition? PersistentDisposition { get; set; }

    /// <summary>Instance or lot master data of the outputs; keys are URIs.</summary>
    [JsonPropertyName("ilmd")]
    public JsonObject? Ilmd { get; set; }
}

/// <summary>Objects were tied to or untied from a business transaction.</summary>
public sealed class TransactionEvent : EpcisEvent
{
    /// <summary>What happened to the association with the transactions.</summary>
    [JsonPropertyName("action")]
    public required EpcisAction Action { get; set; }

    /// <summary>A container whose contents are concerned.</summary>
    [JsonPropertyName("parentID")]
    public string? ParentId { get; set; }

    /// <summary>Objects, by URI.</summary>
    [JsonPropertyName("epcList")]
    public IList<string>? EpcList { get; set; }

    /// <summary>Objects by class.</summary>
    [JsonPropertyName("quantityList")]
    public IList<QuantityElement>? QuantityList { get; set; }
}

/// <summary>Objects were associated with or dissociated from a parent (a sensor with an asset).</summary>
public sealed class AssociationEvent : EpcisEvent
{
    /// <summary>What happened to the association.</summary>
    [JsonPropertyName("action")]
    public required EpcisAction Action { get; set; }

    /// <summary>The parent.</summary>
    [JsonPropertyName("parentID")]
    public string? ParentId { get; set; }

    /// <summary>Children, by URI.</summary>
    [JsonPropertyName("childEPCs")]
    public IList<string>? ChildEpcs { get; set; }

    /// <summary>Children by class.</summary>
    [JsonPropertyName("childQuantityList")]
    public IList<QuantityElement>? ChildQuantityList { get; set; }
}

/// <summary>A class of objects (a product, a lot) and, when known, how much of it.</summary>
public sealed class QuantityElement
{
    /// <summary>The class's URI.</summary>
    [JsonPropertyName("epcClass")]
    public required string EpcClass { get; set; }

    /// <summary>How much; a count when <see cref="Uom"/> is absent.</summary>
    [JsonPropertyName("quantity")]
    public decimal? Quantity { get; set; }

    /// <summary>UN/ECE Recommendation 20 unit (<c>KGM</c>).</summary>
    [JsonPropertyName("uom")]
    public string? Uom { get; set; }
}

/// <summary>A read point or business location.</summary>
public sealed class EpcisLocation
{
    /// <summary>The location's URI.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; set; }

    /// <summary>Keys this model does not name, kept for writing back.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>A business transaction an event belongs to.</summary>
public sealed class BizTransaction
{
    /// <summary>Its kind: a CBV word (<c>po</c>, <c>desadv</c>) or a URI.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>The transaction's URI.</summary>
    [JsonPropertyName("bizTransaction")]
    public required string Transaction { get; set; }
}

/// <summary>Where goods came from.</summary>
public sealed class EpcisSource
{
    /// <summary><c>owning_party</c>, <c>possessing_party</c>, <c>location</c>, or a URI.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; set; }

    /// <summary>The party's or location's URI.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; set; }
}

/// <summary>Where goods go to.</summary>
public sealed class EpcisDestination
{
    /// <summary><c>owning_party</c>, <c>possessing_party</c>, <c>location</c>, or a URI.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; set; }

    /// <summary>The party's or location's URI.</summary>
    [JsonPropertyName("destination")]
    public required string Destination { get; set; }
}

/// <summary>Dispositions that hold from an event on until unset.</summary>
public sealed class PersistentDisposition
{
    /// <summary>Set from now on.</summary>
    [JsonPropertyName("set")]
    public IList<string>? Set { get; set; }

    /// <summary>No longer true.</summary>
    [JsonPropertyName("unset")]
    public IList<string>? Unset { get; set; }
}

/// <summary>A later statement that an event was in error.</summary>
public sealed class ErrorDeclaration
{
    /// <summary>When the error was declared.</summary>
    [JsonPropertyName("declarationTime")]
    public required DateTimeOffset DeclarationTime { get; set; }

    /// <summary><c>did_not_occur</c>, <c>incorrect_data</c>, or a URI.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>Events that correct it.</summary>
    [JsonPropertyName("correctiveEventIDs")]
    public IList<string>? CorrectiveEventIds { get; set; }

    /// <summary>Keys this model does not name, kept for writing back.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}
