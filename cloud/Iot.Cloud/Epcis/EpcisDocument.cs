using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Iot.Cloud.Epcis;

/// <summary>
/// An EPCIS 2.0 document (JSON-LD binding): a header of who and when, and a list of events. Keys this model does not
/// name (namespaced extensions such as <c>agri:nationalTraceCode</c>) are kept in <see cref="Extensions"/>, so a
/// document read and written again keeps them.
/// </summary>
public sealed class EpcisDocument
{
    /// <summary>The document type the standard defines: <c>EPCISDocument</c>.</summary>
    public const string DocumentType = "EPCISDocument";

    /// <summary>GS1's JSON-LD context for EPCIS 2.0.</summary>
    public const string Gs1Context = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    /// <summary>The JSON-LD context: a URI, an object of prefixes, or an array of both.</summary>
    [JsonPropertyName("@context")]
    [JsonPropertyOrder(-10)]
    public required JsonNode Context { get; set; }

    /// <summary>The document's URI.</summary>
    [JsonPropertyName("id")]
    [JsonPropertyOrder(-9)]
    public string? Id { get; set; }

    /// <summary>Always <see cref="DocumentType"/>.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-8)]
    public string Type { get; set; } = DocumentType;

    /// <summary>The EPCIS version, <c>2.0</c>.</summary>
    [JsonPropertyName("schemaVersion")]
    [JsonPropertyOrder(-7)]
    public string SchemaVersion { get; set; } = "2.0";

    /// <summary>When the document was made.</summary>
    [JsonPropertyName("creationDate")]
    [JsonPropertyOrder(-6)]
    public required DateTimeOffset CreationDate { get; set; }

    /// <summary>The Standard Business Document Header's instance identifier, when one is given.</summary>
    [JsonPropertyName("instanceIdentifier")]
    public string? InstanceIdentifier { get; set; }

    /// <summary>The sender, when one is given.</summary>
    [JsonPropertyName("sender")]
    public string? Sender { get; set; }

    /// <summary>The receiver, when one is given.</summary>
    [JsonPropertyName("receiver")]
    public string? Receiver { get; set; }

    /// <summary>The header (master data), kept as it is.</summary>
    [JsonPropertyName("epcisHeader")]
    public JsonObject? EpcisHeader { get; set; }

    /// <summary>The events.</summary>
    [JsonPropertyName("epcisBody")]
    public required EpcisBody EpcisBody { get; set; }

    /// <summary>Keys this model does not name (namespaced extensions), kept for writing back.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>The body of an <see cref="EpcisDocument"/>.</summary>
public sealed class EpcisBody
{
    /// <summary>The events, in the order they were given.</summary>
    [JsonPropertyName("eventList")]
    public required IList<EpcisEvent> EventList { get; init; }

    /// <summary>Keys this model does not name, kept for writing back.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}
