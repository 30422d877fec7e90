using System.Collections.Concurrent;
using System.Text.Json;
using NJsonSchema;

namespace Iot.Contracts.Tests.Vectors;

/// <summary>
/// Checks a payload the way firmware in another language would: a strict JSON parser (RFC 8259: no NaN, no
/// trailing garbage, no duplicate keys is NOT part of RFC 8259, so duplicates pass here), then the JSON Schema.
/// </summary>
internal static class SchemaValidator
{
    static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();

    /// <summary>Every reason the schema refuses <paramref name="payload"/>; empty when it accepts it.</summary>
    public static IReadOnlyList<string> Validate(string schemaPath, byte[] payload)
    {
        string text;
        try
        {
            using var strict = JsonDocument.Parse(payload);
            text = strict.RootElement.GetRawText();
        }
        catch (JsonException e)
        {
            return [$"not JSON: {e.Message}"];
        }

        var schema = Schemas.GetOrAdd(schemaPath, p => JsonSchema.FromFileAsync(p).GetAwaiter().GetResult());
        return schema.Validate(text).Select(e => e.ToString()).ToList();
    }
}
