namespace Iot.Edge.Drivers.Tests.WeighingIndicator;

using System.Text;
using Iot.Edge.Drivers.WeighingIndicator;

public class LineFramerTests
{
    readonly List<string> _lines = [];
    readonly List<string> _bad = [];
    readonly LineFramer _framer = new(32);

    void Feed(string text) => _framer.Feed(Encoding.Latin1.GetBytes(text), _lines.Add, _bad.Add);

    [Fact]
    public void Cr_lf_cr_and_lf_all_end_a_line_and_empty_lines_are_skipped()
    {
        Feed("one\r\ntwo\rthree\n\r\n\n");

        Assert.Equal(["one", "two", "three"], _lines);
        Assert.Empty(_bad);
    }

    [Fact]
    public void A_line_split_over_reads_is_joined()
    {
        Feed("ST,GS,+00");
        Feed("12.48  kg\r");
        Feed("\n");

        Assert.Equal(["ST,GS,+0012.48  kg"], _lines);
    }

    [Fact]
    public void An_overlong_line_is_discarded_once_and_the_next_line_survives()
    {
        Feed(new string('9', 100) + "\r\nST,GS,+0012.48  kg\r\n");

        Assert.Equal(["line longer than 32 bytes discarded"], _bad);
        Assert.Equal(["ST,GS,+0012.48  kg"], _lines);
    }

    [Fact]
    public void A_line_with_a_control_or_high_byte_is_discarded()
    {
        Feed("ST,GS,\u0000+0012.48  kg\r\nST,GS,+0012.48 \u00FFkg\r\nok\r\n");

        Assert.Equal(["line with non-printable byte 0x00 discarded", "line with non-printable byte 0xFF discarded"], _bad);
        Assert.Equal(["ok"], _lines);
    }
}
