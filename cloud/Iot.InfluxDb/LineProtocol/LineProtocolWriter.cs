using System.Buffers;
using System.Globalization;
using System.Text;

namespace Iot.InfluxDb.LineProtocol;

/// <summary>
/// Writes points as UTF-8 line protocol straight into an <see cref="IBufferWriter{T}"/>: no string
/// per point. Each position is escaped on its own:
/// measurement: comma, space; tag keys, tag values, field keys: comma, equals sign, space;
/// string field values (in double quotes): double quote, backslash.
/// </summary>
public static class LineProtocolWriter
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes one line, without the trailing newline.</summary>
    /// <exception cref="ArgumentException">The point has no fields.</exception>
    public static void Write(IBufferWriter<byte> output, Point point, WritePrecision precision) =>
        Write(output, point, precision, defaultNanoseconds: null);

    /// <summary>Writes one line; a point without a timestamp gets <paramref name="defaultNanoseconds"/> (if not null).</summary>
    internal static void Write(IBufferWriter<byte> output, Point point, WritePrecision precision, long? defaultNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(point);
        point.EnsureHasFields();

        WriteEscaped(output, point.MeasurementName, LinePosition.Measurement);
        foreach (var tag in point.Tags)
        {
            WriteByte(output, (byte)',');
            WriteEscaped(output, tag.Key, LinePosition.TagKey);
            WriteByte(output, (byte)'=');
            WriteEscaped(output, tag.Value, LinePosition.TagValue);
        }

        var separator = (byte)' ';
        foreach (var field in point.Fields)
        {
            WriteByte(output, separator);
            separator = (byte)',';
            WriteEscaped(output, field.Key, LinePosition.FieldKey);
            WriteByte(output, (byte)'=');
            WriteFieldValue(output, field.Value);
        }

        if ((point.TimestampNanoseconds ?? defaultNanoseconds) is { } nanoseconds)
        {
            WriteByte(output, (byte)' ');
            WriteInteger(output, FloorDivide(nanoseconds, precision.NanosecondsPerUnit()));
        }
    }

    /// <summary>Writes each point followed by a newline.</summary>
    public static void WriteLines(IBufferWriter<byte> output, IEnumerable<Point> points, WritePrecision precision)
    {
        ArgumentNullException.ThrowIfNull(points);
        foreach (var point in points)
        {
            Write(output, point, precision);
            WriteByte(output, (byte)'\n');
        }
    }

    /// <summary>Whether <paramref name="c"/> takes a backslash in <paramref name="position"/>.</summary>
    internal static bool NeedsEscape(char c, LinePosition position) => position switch
    {
        LinePosition.Measurement => c is ',' or ' ',
        LinePosition.TagKey or LinePosition.TagValue or LinePosition.FieldKey => c is ',' or '=' or ' ',
        _ => c is '"' or '\\',
    };

    private static void WriteFieldValue(IBufferWriter<byte> output, FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldKind.Double:
                {
                    var span = output.GetSpan(32);
                    if (!value.AsDouble.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture))
                    {
                        throw new InvalidOperationException("a double did not fit 32 bytes");
                    }

                    output.Advance(written);
                    break;
                }

            case FieldKind.Integer:
                WriteInteger(output, value.AsInteger);
                WriteByte(output, (byte)'i');
                break;
            case FieldKind.Boolean:
                WriteByte(output, value.AsBoolean ? (byte)'t' : (byte)'f');
                break;
            default:
                WriteByte(output, (byte)'"');
                WriteEscaped(output, value.AsString, LinePosition.StringFieldValue);
                WriteByte(output, (byte)'"');
                break;
        }
    }

    private static void WriteEscaped(IBufferWriter<byte> output, string text, LinePosition position)
    {
        var chars = text.AsSpan();
        var start = 0;
        for (var i = 0; i < chars.Length; i++)
        {
            if (NeedsEscape(chars[i], position))
            {
                WriteUtf8(output, chars[start..i]);
                var span = output.GetSpan(2);
                span[0] = (byte)'\\';
                span[1] = (byte)chars[i];
                output.Advance(2);
                start = i + 1;
            }
        }

        WriteUtf8(output, chars[start..]);
    }

    private static void WriteUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return;
        }

        var span = output.GetSpan(Utf8.GetMaxByteCount(chars.Length));
        output.Advance(Utf8.GetBytes(chars, span));
    }

    private static void WriteInteger(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("a long did not fit 20 bytes");
        }

        output.Advance(written);
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static long FloorDivide(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }
}
