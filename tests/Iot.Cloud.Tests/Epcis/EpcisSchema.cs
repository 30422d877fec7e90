using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;

namespace Iot.Cloud.Tests.Epcis;

/// <summary>
/// GS1's EPCIS 2.0 JSON Schema (draft-07), validated with NJsonSchema. NJsonSchema 11 cannot use the file as it is:
/// <list type="bullet">
/// <item>it cannot resolve <c>#/definitions/%40context</c> (a percent-encoded JSON pointer, RFC 6901 section 6), and
/// throws on loading: the definition is renamed <c>at-context</c> and every reference with it;</item>
/// <item>it ignores <c>if</c>/<c>then</c>, and the schema chooses the rules of a document and of each event by
/// <c>if type is X then ...</c>: left alone, only <c>"type": string</c> would be checked. Each <c>if: A, then: B</c>
/// is rewritten as its logical equivalent <c>anyOf: [{not: A}, B]</c>;</item>
/// <item>it ignores <c>propertyNames</c>, which is how the schema refuses keys that are neither standard nor
/// namespaced. Each is rewritten as <c>patternProperties</c> (one anchored pattern for the enumerated names, one for
/// "a URI": a scheme and a colon, RFC 3986 section 3.1) with <c>additionalProperties: false</c>. The rest of a
/// namespaced key is not checked against the full URI grammar: that part is looser than the original.</item>
/// </list>
/// A construct the rewriting does not know makes loading fail, so nothing is skipped silently; the tests prove the
/// rewritten rules can fail (<see cref="EpcisSchemaTests"/>).
/// </summary>
internal static class EpcisSchema
{
    public const string Folder = "/work/shared/standards/epcis";

    public static string SchemaPath => Path.Combine(Folder, "EPCIS-JSON-Schema.json");

    public static string ExamplesFolder => Path.Combine(Folder, "examples");

    static readonly Lazy<JsonSchema> Rewritten = new(() => Load(rewrite: true));

    static readonly Lazy<JsonSchema> AsNJsonSchemaReadsIt = new(() => Load(rewrite: false));

    /// <summary>Every reason GS1's schema (rewritten for NJsonSchema) refuses <paramref name="json"/>.</summary>
    public static IReadOnlyList<string> Validate(string json) => Rewritten.Value.Validate(json).Select(e => e.ToString()).ToList();

    /// <summary>The same with only the pointer fixed: what NJsonSchema checks of the original rules.</summary>
    public static IReadOnlyList<string> ValidateUnrewritten(string json) =>
        AsNJsonSchemaReadsIt.Value.Validate(json).Select(e => e.ToString()).ToList();

    static JsonSchema Load(bool rewrite)
    {
        var root = JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject();
        var definitions = root["definitions"]!.AsObject();
        var context = definitions["@context"]!;
        definitions.Remove("@context");
        definitions["at-context"] = context;
        Walk(root, definitions, rewrite);
        return JsonSchema.FromJsonAsync(root.ToJsonString()).GetAwaiter().GetResult();
    }

    static void Walk(JsonNode? node, JsonObject definitions, bool rewrite)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array.ToList())
                {
                    Walk(item, definitions, rewrite);
                }

                break;
            case JsonObject obj:
                foreach (var (_, child) in obj.ToList())
                {
                    Walk(child, definitions, rewrite);
                }

                if (obj["$ref"] is JsonValue reference && reference.GetValue<string>() == "#/definitions/%40context")
                {
                    obj["$ref"] = "#/definitions/at-context";
                }

                if (rewrite)
                {
                    RewriteIfThen(obj);
                    RewritePropertyNames(obj, definitions);
                }

                break;
        }
    }

    static void RewriteIfThen(JsonObject obj)
    {
        if (obj["if"] is not { } condition)
        {
            return;
        }

        if (obj.ContainsKey("else"))
        {
            throw new NotSupportedException("if/then/else: the schema has none; add its rewriting when it does");
        }

        var then = obj["then"] ?? throw new NotSupportedException("if without then");
        obj.Remove("if");
        obj.Remove("then");
        AllOf(obj).Add(new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["not"] = condition }, then) });
    }

    static void RewritePropertyNames(JsonObject obj, JsonObject definitions)
    {
        if (obj["propertyNames"] is not { } names)
        {
            return;
        }

        obj.Remove("propertyNames");
        var patterns = new JsonObject();
        foreach (string pattern in NamePatterns(names, definitions).Distinct())
        {
            patterns[pattern] = new JsonObject();
        }

        AllOf(obj).Add(new JsonObject { ["patternProperties"] = patterns, ["additionalProperties"] = false });
    }

    /// <summary>Anchored patterns that together accept exactly the names <paramref name="rule"/> accepts (URIs: their scheme).</summary>
    static IEnumerable<string> NamePatterns(JsonNode rule, JsonObject definitions)
    {
        var obj = rule.AsObject();
        if (obj["$ref"] is JsonValue reference)
        {
            string name = reference.GetValue<string>()["#/definitions/".Length..];
            return NamePatterns(definitions[name] ?? throw new NotSupportedException($"propertyNames: unknown $ref {name}"), definitions);
        }

        if (obj["anyOf"] is JsonArray anyOf)
        {
            return anyOf.SelectMany(r => NamePatterns(r!, definitions)).ToList();
        }

        if (obj["enum"] is JsonArray names)
        {
            return ["^(?:" + string.Join('|', names.Select(n => Regex.Escape(n!.GetValue<string>()))) + ")$"];
        }

        if (obj["format"] is JsonValue format && format.GetValue<string>() == "uri")
        {
            return [@"^[A-Za-z][A-Za-z0-9+.\-]*:"];
        }

        throw new NotSupportedException($"propertyNames: no rewriting for {rule.ToJsonString()}");
    }

    static JsonArray AllOf(JsonObject obj)
    {
        if (obj["allOf"] is JsonArray existing)
        {
            return existing;
        }

        var allOf = new JsonArray();
        obj["allOf"] = allOf;
        return allOf;
    }
}
