using System.Text.Json.Nodes;

namespace Iot.Cloud.Registry;

// What people send to create records. Every property is nullable and every enumeration is a string so the registry
// itself checks them and names the field and the reason (RFC 7807), instead of a model binder's generic refusal.

/// <summary>
/// A party to register: <c>kind</c> <c>enterprise</c> (with <c>creditCode</c>) or <c>household</c> (with
/// <c>residentId</c>); <c>role</c> <c>farm</c>, <c>processor</c>, <c>distributor</c> or <c>retailer</c>.
/// </summary>
public sealed record PartyDraft(
    string? Kind,
    string? Role,
    string? Name,
    string? CreditCode,
    string? ResidentId,
    string? DivisionCode,
    string? NationalEntityCode);

/// <summary>A product to register.</summary>
public sealed record ProductDraft(string? Name, string? Category, string? Gtin);

/// <summary>
/// A batch to register. <c>code</c> is issued by the registry when absent; give it only for a code already printed
/// or stamped. <c>lot</c> defaults to the code when the product has a GTIN.
/// </summary>
public sealed record BatchDraft(string? Code, long? ProductId, long? ProducerId, string? Lot, string? NationalCode);

/// <summary>
/// A zone to register: <c>kind</c> <c>greenhouse</c>, <c>field</c>, <c>coldRoom</c>, <c>packingLine</c> or
/// <c>other</c>; <c>gatewayId</c> and <c>gatewayZone</c> bind it to a gateway's zone id on the wire.
/// </summary>
public sealed record ZoneDraft(string? Id, long? PartyId, string? Kind, string? Name, string? GatewayId, string? GatewayZone);

/// <summary>
/// A trace event stated by a person: <c>type</c> (see <see cref="TraceEventTypes"/>; <c>commissioned</c> and
/// <c>recalled</c> come from registering and recalling a batch), <c>time</c> (UTC), optional <c>zone</c> (a zone id),
/// and the type's own properties in <c>details</c>.
/// </summary>
public sealed record EventDraft(string? Type, DateTimeOffset? Time, string? Zone, JsonObject? Details);

/// <summary>A new national trace code for a batch (<c>PUT /api/batches/{code}/national-code</c>).</summary>
public sealed record NationalCodeLink(string? NationalCode);

/// <summary>The body of <c>POST /api/batches/{code}/recall</c>.</summary>
public sealed record RecallRequest(string? Reason);
