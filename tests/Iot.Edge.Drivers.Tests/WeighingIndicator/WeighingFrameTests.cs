namespace Iot.Edge.Drivers.Tests.WeighingIndicator;

using Iot.Contracts.Messages;
using Iot.Edge.Drivers.WeighingIndicator;

public class WeighingFrameTests
{
    [Theory]
    [InlineData("ST,GS,+0012.48  kg", WeighingStatus.Stable, WeightKind.Gross, 12.48, Unit.Kilogram)]
    [InlineData("US,GS,+0012.40  kg", WeighingStatus.Unstable, WeightKind.Gross, 12.40, Unit.Kilogram)]
    [InlineData("ST,NT,+0012.48  kg", WeighingStatus.Stable, WeightKind.Net, 12.48, Unit.Kilogram)]
    [InlineData("US,NT,-0000.50  kg", WeighingStatus.Unstable, WeightKind.Net, -0.5, Unit.Kilogram)]
    [InlineData("ST,TR,+0000.35  kg", WeighingStatus.Stable, WeightKind.Tare, 0.35, Unit.Kilogram)]
    [InlineData("ST,NT,+0012480   g", WeighingStatus.Stable, WeightKind.Net, 12480, Unit.Gram)]
    [InlineData("US,GS,-00125.5   g", WeighingStatus.Unstable, WeightKind.Gross, -125.5, Unit.Gram)]
    [InlineData("ST,GS,+0000.00  kg", WeighingStatus.Stable, WeightKind.Gross, 0, Unit.Kilogram)]
    [InlineData("ST,NT,+0012.34kg", WeighingStatus.Stable, WeightKind.Net, 12.34, Unit.Kilogram)] // unit without padding
    [InlineData("ST,GS,+   12.48 kg", WeighingStatus.Stable, WeightKind.Gross, 12.48, Unit.Kilogram)] // spaces after the sign
    [InlineData("ST,GS, 0012.48 kg", WeighingStatus.Stable, WeightKind.Gross, 12.48, Unit.Kilogram)] // space for plus
    [InlineData("ST,GS,+0012,48  kg", WeighingStatus.Stable, WeightKind.Gross, 12.48, Unit.Kilogram)] // decimal comma (A&D option)
    [InlineData("ST,GS,+0012.48  KG", WeighingStatus.Stable, WeightKind.Gross, 12.48, Unit.Kilogram)]
    [InlineData("ST,G ,+0012.48  kg", WeighingStatus.Stable, WeightKind.Gross, 12.48, Unit.Kilogram)] // one-letter header 2
    [InlineData("ST,N ,+0012.48  kg", WeighingStatus.Stable, WeightKind.Net, 12.48, Unit.Kilogram)]
    [InlineData("ST,NT,+0001250  kg", WeighingStatus.Stable, WeightKind.Net, 1250, Unit.Kilogram)] // no decimal point
    public void Parses_headers_signs_and_units(string line, WeighingStatus status, WeightKind kind, double value, Unit unit)
    {
        DriverResult<WeighingFrame> result = WeighingFrame.Parse(line);

        Assert.True(result.Ok, result.Error);
        WeighingFrame frame = result.Value.Value;
        Assert.Equal(status, frame.Status);
        Assert.Equal(kind, frame.Kind);
        Assert.Equal(new Quantity(value, unit), frame.Weight);
        Assert.Equal(status == WeighingStatus.Stable, frame.IsStable);
        Assert.False(frame.IsOverload);
    }

    [Theory]
    [InlineData("OL,GS,+    .    kg")] // A&D: digits replaced by spaces, decimal point kept
    [InlineData("OL,NT,-    .    kg")]
    [InlineData("OL,GS,+            ")] // Kern: no unit
    [InlineData("OL,GS,+9999999  kg")]
    [InlineData("LO,GS,+    .    kg")] // AD-4402 manual's spelling
    public void Overload_has_no_weight(string line)
    {
        DriverResult<WeighingFrame> result = WeighingFrame.Parse(line);

        Assert.True(result.Ok, result.Error);
        Assert.True(result.Value.Value.IsOverload);
        Assert.Null(result.Value.Value.Weight);
    }

    [Theory]
    [InlineData("ST,GS,+0012.48  lb", "unsupported unit 'lb'")]
    [InlineData("ST,GS,+0012.48  oz", "unsupported unit 'oz'")]
    [InlineData("ST,GS,+00012.4   t", "unsupported unit 't'")]
    [InlineData("XX,GS,+0012.48  kg", "unknown status header 'XX'")]
    [InlineData("ST,QQ,+0012.48  kg", "unknown weight header 'QQ'")]
    [InlineData("ST,GS,+00a2.48  kg", "malformed weight '00a2.48'")]
    [InlineData("ST,GS,+0012.4.8 kg", "malformed weight '0012.4.8'")]
    [InlineData("ST,GS,++012.48  kg", "malformed weight '+012.48'")]
    [InlineData("ST,GS,+  kg", "missing weight value")]
    [InlineData("ST,GS,+0012.48", "missing unit")]
    [InlineData("GS,+0012.48  kg", "not a frame: expected 'H1,H2,' headers")] // the port opened mid-frame
    [InlineData("ST", "not a frame: expected 'H1,H2,' headers")]
    [InlineData("ST;GS;+0012.48  kg", "not a frame: expected 'H1,H2,' headers")]
    public void Bad_frames_fail_with_a_reason(string line, string reason)
    {
        DriverResult<WeighingFrame> result = WeighingFrame.Parse(line);

        Assert.False(result.Ok);
        Assert.StartsWith(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pound_is_refused_naming_the_contract_units()
    {
        DriverResult<WeighingFrame> result = WeighingFrame.Parse("ST,GS,+0027.51  lb");

        Assert.Contains("KGM", result.Error, StringComparison.Ordinal);
        Assert.Contains("GRM", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_writes_the_18_character_a_and_d_line()
    {
        Assert.Equal("ST,GS,+0012.48  kg", WeighingFrame.Format(WeighingStatus.Stable, WeightKind.Gross, 12.48, 2, "kg"));
        Assert.Equal("US,NT,-0000.50  kg", WeighingFrame.Format(WeighingStatus.Unstable, WeightKind.Net, -0.5, 2, "kg"));
        Assert.Equal("ST,NT,+0012480   g", WeighingFrame.Format(WeighingStatus.Stable, WeightKind.Net, 12480, 0, "g"));
        Assert.Equal("OL,GS,+    .    kg", WeighingFrame.Format(WeighingStatus.Overload, WeightKind.Gross, 0, 2, "kg"));
        Assert.Equal("ST,GS,+0000.00  kg", WeighingFrame.Format(WeighingStatus.Stable, WeightKind.Gross, -0.001, 2, "kg")); // zero is "+"
        Assert.Equal(18, WeighingFrame.Format(WeighingStatus.Stable, WeightKind.Tare, 0.35, 2, "kg").Length);
    }

    [Fact]
    public void Format_and_parse_round_trip_within_the_last_digit()
    {
        var random = new Random(4402);
        for (int i = 0; i < 500; i++)
        {
            double value = Math.Round((random.NextDouble() * 200) - 100, 3);
            int decimals = random.Next(0, 4);
            string line = WeighingFrame.Format(WeighingStatus.Stable, WeightKind.Net, value, decimals, "kg");

            DriverResult<WeighingFrame> parsed = WeighingFrame.Parse(line);

            Assert.True(parsed.Ok, line + ": " + parsed.Error);
            Assert.Equal(value, parsed.Value.Value.Weight!.Value.Value, 0.5 * Math.Pow(10, -decimals) + 1e-9);
        }
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(232);
        for (int i = 0; i < 2000; i++)
        {
            char[] chars = new char[random.Next(0, 40)];
            for (int c = 0; c < chars.Length; c++)
            {
                chars[c] = (char)random.Next(0, 128);
            }

            if (chars.Length > 6 && random.Next(2) == 0)
            {
                "ST,NT,".CopyTo(0, chars, 0, 6);
            }

            DriverResult<WeighingFrame> result = WeighingFrame.Parse(new string(chars));
            Assert.True(result.Ok || result.Error is not null);
        }
    }

    [Fact]
    public void Gross_minus_tare_converts_units_and_drops_binary_noise()
    {
        Assert.Equal(new Quantity(12.13, Unit.Kilogram), WeighingIndicator.Subtract(new Quantity(12.48, Unit.Kilogram), new Quantity(350, Unit.Gram)));
        Assert.Equal(new Quantity(12130, Unit.Gram), WeighingIndicator.Subtract(new Quantity(12480, Unit.Gram), new Quantity(0.35, Unit.Kilogram)));
        Assert.Equal(new Quantity(12.13, Unit.Kilogram), WeighingIndicator.Subtract(new Quantity(12.48, Unit.Kilogram), new Quantity(0.35, Unit.Kilogram)));
    }
}
