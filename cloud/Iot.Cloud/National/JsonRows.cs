using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Iot.Cloud.Registry;
using Iot.Contracts.Identifiers;

namespace Iot.Cloud.National;

/// <summary>
/// Reads the JSON document <c>{"parties":[...], "products":[...], "traceCodes":[...]}</c> into rows. Strict JSON (no
/// comments, no trailing commas); property names exactly as the CSV columns (case matters); every value a string or
/// null (a GTIN or code as a number would lose its leading zeros). Unknown properties are warned about per row.
/// </summary>
internal static class JsonRows
{
    static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>The rows, parties first, then products, then trace codes; or why the document is refused as a whole.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> utf8, NationalImportLimits limits, out List<ImportRow> rows, out List<string> warnings, [NotNullWhen(false)] out string? refusal)
    {
        rows = [];
        warnings = [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            // The message names the line and position; it quotes at most one character of the input.
            refusal = $"the input is not valid JSON: line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of the line";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                refusal = $"the document must be an object {{\"parties\":[...], \"products\":[...], \"traceCodes\":[...]}}, not {Kind(root)}";
                return false;
            }

            var sections = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!ImportKinds.Each.Contains(property.Name, StringComparer.Ordinal))
                {
                    warnings.Add($"unknown property '{Printable(property.Name)}' ignored (known: {string.Join(", ", ImportKinds.Each)})");
                }
                else if (!sections.TryAdd(property.Name, property.Value))
                {
                    refusal = $"'{property.Name}' is given twice";
                    return false;
                }
                else if (property.Value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
                {
                    refusal = $"'{property.Name}' must be an array, not {Kind(property.Value)}";
                    return false;
                }
            }

            if (sections.Count == 0)
            {
                warnings.Add($"the document has none of {string.Join(", ", ImportKinds.Each)}");
            }

            int total = sections.Values.Sum(s => s.ValueKind == JsonValueKind.Array ? s.GetArrayLength() : 0);
            if (total > limits.MaxRows)
            {
                refusal = string.Create(CultureInfo.InvariantCulture, $"the document has {total} rows, more than {limits.MaxRows} (the limit); split it into several documents");
                return false;
            }

            foreach (string kind in ImportKinds.Each)
            {
                if (sections.TryGetValue(kind, out var array) && array.ValueKind == JsonValueKind.Array)
                {
                    int index = 0;
                    foreach (var element in array.EnumerateArray())
                    {
                        rows.Add(ReadRow(element, kind, index++, limits));
                    }
                }
            }
        }

        refusal = null;
        return true;
    }

    static ImportRow ReadRow(JsonElement element, string kind, int index, NationalImportLimits limits)
    {
        string path = string.Create(CultureInfo.InvariantCulture, $"$.{kind}[{index}]");
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var sensitive = new List<string>();
        var warnings = new List<string>();
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new ImportRow(index, kind, path, values, sensitive, warnings, new InvalidRecordException("", $"must be an object, not {Kind(element)}"));
        }

        InvalidRecordException? error = null;
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            string raw = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (ImportColumns.MayBeResidentId(raw) || (property.Name == "residentId" && raw.Length > 0))
            {
                sensitive.Add(raw);
            }

            if (ImportColumns.MayBeResidentId(property.Name))
            {
                sensitive.Add(property.Name);
            }

            string? column = ImportColumns.Canonical(kind, property.Name, StringComparison.Ordinal);
            if (column is null)
            {
                string? near = ImportColumns.Canonical(kind, property.Name, StringComparison.OrdinalIgnoreCase);
                warnings.Add($"unknown property '{Printable(property.Name)}' ignored{(near is null ? "" : $" (did you mean '{near}'?)")}");
                continue;
            }

            if (values.ContainsKey(column))
            {
                error ??= new InvalidRecordException(column, "is given twice");
                continue;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    string text = raw.Trim();
                    if (text.Length > limits.MaxFieldLength)
                    {
                        error ??= new InvalidRecordException(column, string.Create(CultureInfo.InvariantCulture, $"is longer than {limits.MaxFieldLength} characters"));
                    }

                    values[column] = text.Length == 0 ? null : text;
                    break;
                case JsonValueKind.Null:
                    values[column] = null;
                    break;
                default:
                    values[column] = null;
                    error ??= new InvalidRecordException(column, $"must be a string or null, not {Kind(value)}{(value.ValueKind == JsonValueKind.Number ? " (codes as numbers lose their leading zeros)" : "")}");
                    break;
            }
        }

        return new ImportRow(index, kind, path, values, sensitive, warnings, error);
    }

    static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    static string Printable(string name) => IdentifierCheck.Printable(name.Length > 64 ? name[..64] + "…" : name);
}
