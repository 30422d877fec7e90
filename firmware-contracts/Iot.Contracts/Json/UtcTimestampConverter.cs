using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Iot.Contracts.Json;

/// <summary>
/// Timestamps on the wire: UTC with exactly three decimals, <c>2026-11-24T09:27:19.123Z</c>. Nothing else is accepted,
/// so a reading's time never depends on a parser's guess about offsets, precision or local time.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTime>
{
    /// <summary>The one accepted format.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <inheritdoc/>
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"a timestamp must be a string like 2026-11-24T09:27:19.123Z, got {Describe(reader.TokenType)}");
        }

        string? text = reader.GetString();
        if (text is null || text.Length != 24 ||
            !DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new JsonException("a timestamp must be UTC with milliseconds, exactly like 2026-11-24T09:27:19.123Z");
        }

        return DateTime.SpecifyKind(time, DateTimeKind.Utc);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Kind == DateTimeKind.Local)
        {
            value = value.ToUniversalTime();
        }

        // Formatted straight into UTF-8 on the stack: this runs once per reading on the gateway's hot path.
        Span<byte> utf8 = stackalloc byte[24];
        if (!value.TryFormat(utf8, out int written, Format, CultureInfo.InvariantCulture) || written != 24)
        {
            throw new JsonException($"timestamp {value:O} cannot be written as UTC with milliseconds");
        }

        writer.WriteStringValue(utf8);
    }

    static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.Null => "null",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };
}
