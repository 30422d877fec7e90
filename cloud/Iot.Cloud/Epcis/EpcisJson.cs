using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Iot.Cloud.Epcis;

/// <summary>
/// System.Text.Json source generation for the EPCIS model. Null properties are left out on writing; an event's
/// <c>type</c> may come anywhere in the object (GS1's examples put it after <c>eventID</c>).
/// </summary>
[JsonSourceGenerationOptions(
    AllowOutOfOrderMetadataProperties = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false,
    WriteIndented = true,
    Converters = [typeof(EpcisTimeConverter)])]
[JsonSerializable(typeof(EpcisDocument))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonValue))]
public sealed partial class EpcisJsonContext : JsonSerializerContext;

/// <summary>Reads and writes EPCIS documents.</summary>
public static class EpcisJson
{
    /// <summary>Reads a document.</summary>
    /// <exception cref="JsonException">Not an EPCIS document this model can hold.</exception>
    public static EpcisDocument Read(string json) =>
        JsonSerializer.Deserialize(json, EpcisJsonContext.Default.EpcisDocument) ?? throw new JsonException("null document");

    /// <summary>Writes a document, indented.</summary>
    /// <remarks>
    /// Characters are escaped only where JSON requires it (so an offset reads <c>+08:00</c>, not <c>\u002B08:00</c>,
    /// and Chinese text stays readable): the output is served as JSON, never pasted into HTML unencoded.
    /// </remarks>
    public static string Write(EpcisDocument document) => JsonSerializer.Serialize(document, Writing.EpcisDocument);

    /// <summary>A JSON value as an extension's value.</summary>
    public static JsonElement ToElement(JsonNode? value) => JsonSerializer.SerializeToElement(value, EpcisJsonContext.Default.JsonNode);

    static readonly EpcisJsonContext Writing = new(new JsonSerializerOptions(EpcisJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>
/// EPCIS times: RFC 3339 with an offset on reading; on writing milliseconds (more digits only when the time has them)
/// and <c>Z</c> for UTC, otherwise the offset kept, so <c>2019-04-02T15:00:00.000+01:00</c> is written back as read.
/// </summary>
public sealed class EpcisTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = reader.GetString() ?? throw new JsonException("a time must be a string");
        bool hasOffset = text.EndsWith('Z') || text.EndsWith('z') ||
            (text.Length > 6 && text[^3] == ':' && text[^6] is '+' or '-' && text.IndexOf('T', StringComparison.OrdinalIgnoreCase) > 0);
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
        {
            throw new JsonException($"not an RFC 3339 time with an offset: {text}");
        }

        return time;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }

    /// <summary>The text this converter writes for <paramref name="value"/>.</summary>
    public static string Format(DateTimeOffset value)
    {
        string seconds = value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
        long belowMillisecond = value.Ticks % TimeSpan.TicksPerMillisecond;
        if (belowMillisecond != 0)
        {
            seconds += belowMillisecond.ToString("D4", CultureInfo.InvariantCulture).TrimEnd('0');
        }

        return value.Offset == TimeSpan.Zero ? seconds + "Z" : seconds + value.ToString("zzz", CultureInfo.InvariantCulture);
    }
}
