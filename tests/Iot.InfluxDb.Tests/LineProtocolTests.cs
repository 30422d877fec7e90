using System.Buffers;
using System.Globalization;
using System.Text;
using Iot.InfluxDb.LineProtocol;

namespace Iot.InfluxDb.Tests;

public sealed class LineProtocolTests
{
    [Fact]
    public void Exact_bytes_of_a_typical_line_with_tags_sorted()
    {
        var point = Point.Measurement("air_temperature")
            .Tag("zone", "A1").Tag("gateway", "gw-01").Tag("sensor", "t1")
            .Field("value", 21.5).Field("count", 3L).Field("ok", true).Field("note", "fine")
            .Timestamp(1_700_000_000_123L, WritePrecision.Milliseconds);

        Assert.Equal(
            "air_temperature,gateway=gw-01,sensor=t1,zone=A1 value=21.5,count=3i,ok=t,note=\"fine\" 1700000000123000000",
            point.ToLineProtocol());
        Assert.Equal(
            "air_temperature,gateway=gw-01,sensor=t1,zone=A1 value=21.5,count=3i,ok=t,note=\"fine\" 1700000000123",
            point.ToLineProtocol(WritePrecision.Milliseconds));
    }

    [Fact]
    public void Each_position_is_escaped_by_its_own_rules()
    {
        var point = Point.Measurement("my meas,ure=ment")
            .Tag("tag key,=", "a b,c=d\"e")
            .Field("field key,= ", "say \"hi\" \\ path, a=b")
            .Field("f", false);

        Assert.Equal(
            "my\\ meas\\,ure=ment,tag\\ key\\,\\==a\\ b\\,c\\=d\"e field\\ key\\,\\=\\ =\"say \\\"hi\\\" \\\\ path, a=b\",f=f",
            point.ToLineProtocol());
    }

    [Fact]
    public void Numbers_are_invariant_and_doubles_round_trip()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // Globalization-invariant mode has no "de-DE": make a culture with a decimal comma by hand.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NegativeSign = "~";
            CultureInfo.CurrentCulture = comma;
            Assert.Equal("~0,5", (-0.5).ToString(CultureInfo.CurrentCulture));
            var line = Point.Measurement("m").Field("a", 0.1 + 0.2).Field("b", -1.0).Field("c", 1e21).Field("d", long.MinValue).ToLineProtocol();
            Assert.Equal("m a=0.30000000000000004,b=-1,c=1E+21,d=-9223372036854775808i", line);
            Assert.Equal(0.1 + 0.2, double.Parse("0.30000000000000004", CultureInfo.InvariantCulture));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Timestamps_convert_to_the_request_precision_flooring()
    {
        var point = Point.Measurement("m").Field("v", 1L).Timestamp(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero).AddTicks(9));
        Assert.EndsWith(" 1704164645678000900", point.ToLineProtocol(WritePrecision.Nanoseconds), StringComparison.Ordinal);
        Assert.EndsWith(" 1704164645678000", point.ToLineProtocol(WritePrecision.Microseconds), StringComparison.Ordinal);
        Assert.EndsWith(" 1704164645678", point.ToLineProtocol(WritePrecision.Milliseconds), StringComparison.Ordinal);
        Assert.EndsWith(" 1704164645", point.ToLineProtocol(WritePrecision.Seconds), StringComparison.Ordinal);
        var before1970 = Point.Measurement("m").Field("v", 1L).Timestamp(-1, WritePrecision.Nanoseconds);
        Assert.EndsWith(" -1", before1970.ToLineProtocol(WritePrecision.Seconds), StringComparison.Ordinal);
    }

    [Fact]
    public void Several_lines_go_into_one_buffer_separated_by_newlines()
    {
        var buffer = new ArrayBufferWriter<byte>();
        LineProtocolWriter.WriteLines(buffer, [Point.Measurement("a").Field("v", 1L), Point.Measurement("b").Tag("t", "é").Field("v", "ü")], WritePrecision.Seconds);
        Assert.Equal("a v=1i\nb,t=é v=\"ü\"\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData("measurement", "newline")]
    [InlineData("tag key", "newline")]
    [InlineData("tag value", "carriage return")]
    [InlineData("field key", "newline")]
    [InlineData("string field value", "newline")]
    public void A_newline_or_carriage_return_is_rejected_in_every_position(string position, string what)
    {
        var bad = what == "newline" ? "x\ny" : "x\ry";
        Action build = position switch
        {
            "measurement" => () => Point.Measurement(bad),
            "tag key" => () => Point.Measurement("m").Tag(bad, "v"),
            "tag value" => () => Point.Measurement("m").Tag("k", bad),
            "field key" => () => Point.Measurement("m").Field(bad, 1L),
            _ => () => Point.Measurement("m").Field("f", bad),
        };

        var error = Assert.ThrowsAny<ArgumentException>(build);
        Assert.StartsWith(position + ": " + what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_names_and_tag_values_are_rejected()
    {
        Assert.StartsWith("measurement: must not be empty", Assert.Throws<ArgumentException>(() => Point.Measurement("")).Message, StringComparison.Ordinal);
        Assert.StartsWith("tag key: must not be empty", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Tag("", "v")).Message, StringComparison.Ordinal);
        Assert.StartsWith("tag value: must not be empty", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Tag("k", "")).Message, StringComparison.Ordinal);
        Assert.StartsWith("field key: must not be empty", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Field("", 1L)).Message, StringComparison.Ordinal);
        Assert.Equal("m f=\"\"", Point.Measurement("m").Field("f", "").ToLineProtocol());
    }

    [Fact]
    public void NaN_infinity_time_keys_duplicates_and_fieldless_points_are_rejected()
    {
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Field("v", double.NaN)).Message, StringComparison.Ordinal);
        Assert.Contains("Infinity", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Field("v", double.PositiveInfinity)).Message, StringComparison.Ordinal);
        Assert.Contains("-Infinity", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Field("v", double.NegativeInfinity)).Message, StringComparison.Ordinal);
        Assert.StartsWith("field key: \"time\"", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Field("time", 1L)).Message, StringComparison.Ordinal);
        Assert.StartsWith("tag key: \"time\"", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Tag("time", "x")).Message, StringComparison.Ordinal);
        Assert.StartsWith("tag key: 'k' is already set", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Tag("k", "a").Tag("k", "b")).Message, StringComparison.Ordinal);
        Assert.StartsWith("field key: 'f' is already set", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Field("f", 1L).Field("f", 2L)).Message, StringComparison.Ordinal);
        Assert.StartsWith("fields: measurement 'm' has no fields", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Tag("k", "v").ToLineProtocol()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ambiguous_backslashes_and_comment_measurements_are_rejected()
    {
        Assert.Contains("backslash at index 1", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Tag("k", "a\\")).Message, StringComparison.Ordinal);
        Assert.Contains("precedes ','", Assert.Throws<ArgumentException>(() => Point.Measurement("m").Tag("k", "a\\,b")).Message, StringComparison.Ordinal);
        Assert.StartsWith("measurement: '#'", Assert.Throws<ArgumentException>(() => Point.Measurement("#m")).Message, StringComparison.Ordinal);
        Assert.Equal("m,k=a\\b v=1i", Point.Measurement("m").Tag("k", "a\\b").Field("v", 1L).ToLineProtocol());
        Assert.Equal("m v=\"ends with \\\\\"", Point.Measurement("m").Field("v", "ends with \\").ToLineProtocol());
    }
}
