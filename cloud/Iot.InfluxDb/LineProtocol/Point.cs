using System.Globalization;

namespace Iot.InfluxDb.LineProtocol;

/// <summary>
/// One line of line protocol: a measurement, tags (kept sorted by key, InfluxDB's recommended
/// order), at least one field, and an optional timestamp. Built fluently; every method validates
/// its input at once and throws <see cref="ArgumentException"/> naming the position and the
/// character, so a point that exists can always be written.
/// </summary>
/// <example><c>Point.Measurement("air_temperature").Tag("zone", "A1").Field("value", 21.5).Timestamp(at)</c></example>
public sealed class Point
{
    private readonly List<KeyValuePair<string, string>> tags = [];
    private readonly List<KeyValuePair<string, FieldValue>> fields = [];

    private Point(string measurement)
    {
        Validate(measurement, LinePosition.Measurement);
        MeasurementName = measurement;
    }

    /// <summary>The measurement name.</summary>
    public string MeasurementName { get; }

    /// <summary>Tags, sorted by key (ordinal).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags => tags;

    /// <summary>Fields in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, FieldValue>> Fields => fields;

    /// <summary>The timestamp in nanoseconds since the Unix epoch, or null to let the server stamp it (see the README: prefer a timestamp, so that retries overwrite instead of duplicating).</summary>
    public long? TimestampNanoseconds { get; private set; }

    /// <summary>Starts a point.</summary>
    /// <exception cref="ArgumentException">The name is empty, has a newline or carriage return, starts with '#', or has an ambiguous backslash.</exception>
    public static Point Measurement(string name) => new(name);

    /// <summary>Adds a tag; tags are kept sorted by key.</summary>
    /// <exception cref="ArgumentException">An empty key or value, the key "time", a duplicate key, a newline or carriage return, or an ambiguous backslash.</exception>
    public Point Tag(string key, string value)
    {
        Validate(key, LinePosition.TagKey);
        Validate(value, LinePosition.TagValue);
        if (key == "time")
        {
            throw new ArgumentException($"tag key: \"time\" is reserved (measurement '{MeasurementName}')", nameof(key));
        }

        var index = tags.BinarySearch(new(key, value), TagKeyComparer.Instance);
        if (index >= 0)
        {
            throw new ArgumentException($"tag key: '{key}' is already set on measurement '{MeasurementName}'", nameof(key));
        }

        tags.Insert(~index, new(key, value));
        return this;
    }

    /// <summary>Adds a float field.</summary>
    /// <exception cref="ArgumentException">NaN or an infinity (line protocol has no way to write them), or a bad key.</exception>
    public Point Field(string key, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"field value: '{key}' is {value.ToString(CultureInfo.InvariantCulture)}; line protocol cannot carry NaN or infinity", nameof(value));
        }

        return AddField(key, FieldValue.FromDouble(value));
    }

    /// <summary>Adds an integer field (written with the suffix <c>i</c>).</summary>
    public Point Field(string key, long value) => AddField(key, FieldValue.FromInteger(value));

    /// <summary>Adds a boolean field (written <c>t</c> or <c>f</c>).</summary>
    public Point Field(string key, bool value) => AddField(key, FieldValue.FromBoolean(value));

    /// <summary>Adds a string field.</summary>
    /// <exception cref="ArgumentException">The value has a newline or carriage return, or a bad key.</exception>
    public Point Field(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Validate(value, LinePosition.StringFieldValue);
        return AddField(key, FieldValue.FromString(value));
    }

    /// <summary>Adds a field of any kind.</summary>
    public Point Field(string key, FieldValue value) => value.Kind switch
    {
        FieldKind.Double => Field(key, value.AsDouble),
        FieldKind.String => Field(key, value.AsString),
        _ => AddField(key, value),
    };

    /// <summary>Sets the timestamp.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside what nanoseconds since 1970 in a long can hold (years 1677 to 2262).</exception>
    public Point Timestamp(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        TimestampNanoseconds = checked(ticks * 100);
        return this;
    }

    /// <summary>Sets the timestamp from a count of <paramref name="precision"/> units since the Unix epoch.</summary>
    public Point Timestamp(long sinceEpoch, WritePrecision precision)
    {
        try
        {
            TimestampNanoseconds = checked(sinceEpoch * precision.NanosecondsPerUnit());
        }
        catch (OverflowException e)
        {
            throw new ArgumentOutOfRangeException(nameof(sinceEpoch), sinceEpoch, "timestamp: outside the range of nanoseconds since 1970 in a long: " + e.Message);
        }

        return this;
    }

    /// <summary>The point as one line of line protocol, without the newline (for logs and tests; writing uses <see cref="LineProtocolWriter"/>).</summary>
    public string ToLineProtocol(WritePrecision precision = WritePrecision.Nanoseconds)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        LineProtocolWriter.Write(buffer, this, precision);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <inheritdoc/>
    public override string ToString() => ToLineProtocol();

    internal void EnsureHasFields()
    {
        if (fields.Count == 0)
        {
            throw new ArgumentException($"fields: measurement '{MeasurementName}' has no fields; a point needs at least one");
        }
    }

    private Point AddField(string key, FieldValue value)
    {
        Validate(key, LinePosition.FieldKey);
        if (key == "time")
        {
            throw new ArgumentException($"field key: \"time\" is reserved (measurement '{MeasurementName}')", nameof(key));
        }

        foreach (var field in fields)
        {
            if (field.Key == key)
            {
                throw new ArgumentException($"field key: '{key}' is already set on measurement '{MeasurementName}'", nameof(key));
            }
        }

        fields.Add(new(key, value));
        return this;
    }

    private static void Validate(string text, LinePosition position)
    {
        ArgumentNullException.ThrowIfNull(text, position.Describe());
        if (text.Length == 0 && position != LinePosition.StringFieldValue)
        {
            throw new ArgumentException($"{position.Describe()}: must not be empty", position.ParameterName());
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                throw new ArgumentException(
                    $"{position.Describe()}: {(c == '\n' ? "newline (\\n)" : "carriage return (\\r)")} at index {i} in \"{Printable(text)}\"; line protocol cannot carry it",
                    position.ParameterName());
            }

            // InfluxDB 1.x does not unescape "\\" in names and tag values, so a backslash right
            // before a character this position escapes (or at the very end, before the delimiter)
            // would turn our escape into a different value. Refuse it instead of storing garbage.
            if (c == '\\' && position != LinePosition.StringFieldValue &&
                (i == text.Length - 1 || LineProtocolWriter.NeedsEscape(text[i + 1], position) || text[i + 1] == '\\'))
            {
                throw new ArgumentException(
                    $"{position.Describe()}: backslash at index {i} in \"{Printable(text)}\" {(i == text.Length - 1 ? "ends the text" : $"precedes '{text[i + 1]}'")}, which InfluxDB would read as an escape",
                    position.ParameterName());
            }
        }

        if (position == LinePosition.Measurement && text[0] == '#')
        {
            throw new ArgumentException($"measurement: '#' at index 0 in \"{Printable(text)}\" would make the line a comment", position.ParameterName());
        }
    }

    private static string Printable(string text) =>
        text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);

    private sealed class TagKeyComparer : IComparer<KeyValuePair<string, string>>
    {
        public static readonly TagKeyComparer Instance = new();

        public int Compare(KeyValuePair<string, string> x, KeyValuePair<string, string> y) => string.CompareOrdinal(x.Key, y.Key);
    }
}

/// <summary>The positions of a line, each with its own escaping rules.</summary>
internal enum LinePosition
{
    Measurement,
    TagKey,
    TagValue,
    FieldKey,
    StringFieldValue,
}

internal static class LinePositionExtensions
{
    public static string Describe(this LinePosition position) => position switch
    {
        LinePosition.Measurement => "measurement",
        LinePosition.TagKey => "tag key",
        LinePosition.TagValue => "tag value",
        LinePosition.FieldKey => "field key",
        _ => "string field value",
    };

    public static string ParameterName(this LinePosition position) => position switch
    {
        LinePosition.Measurement => "name",
        LinePosition.TagKey or LinePosition.FieldKey => "key",
        _ => "value",
    };
}
