namespace Iot.Edge.Drivers.Tests.Hx711;

using Iot.Edge.Drivers.Hx711;
using Hx711Driver = Iot.Edge.Drivers.Hx711.Hx711;

public class Hx711ConversionTests
{
    // Datasheet "Output Data Rate and Format": 24-bit two's complement, 800000 (min) to 7FFFFF (max) hex.
    [Theory]
    [InlineData(0x7F_FFFFu, 8_388_607)]
    [InlineData(0x80_0000u, -8_388_608)]
    [InlineData(0x00_0001u, 1)]
    [InlineData(0xFF_FFFFu, -1)]
    [InlineData(0x00_0000u, 0)]
    [InlineData(0x80_0001u, -8_388_607)]
    [InlineData(0x7F_FFFEu, 8_388_606)]
    public void Two_s_complement_decoding_at_the_boundaries(uint code, int counts)
    {
        Assert.Equal(counts, Hx711Driver.ToCounts(code));
        Assert.Equal(code, Hx711Driver.ToCode(counts));
    }

    [Fact]
    public void A_code_wider_than_24_bits_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Hx711Driver.ToCounts(0x100_0000u));

    [Theory]
    [InlineData(8_388_607, true)]
    [InlineData(-8_388_608, true)]
    [InlineData(8_388_606, false)]
    [InlineData(-8_388_607, false)]
    [InlineData(0, false)]
    public void Only_the_two_extreme_codes_are_saturated(int counts, bool saturated) =>
        Assert.Equal(saturated, Hx711Driver.IsSaturated(counts));

    // Datasheet "Analog Inputs": with 5 V at AVDD, gain 128 / 64 / 32 give a full-scale differential input of
    // ±20 mV / ±40 mV / ±80 mV. Exactly: ±0.5·AVDD/GAIN ("Key Electrical Characteristics") = 19.53 / 39.06 / 78.13 mV.
    [Theory]
    [InlineData(Hx711Input.ChannelAGain128, 19.53125, 20.0)]
    [InlineData(Hx711Input.ChannelAGain64, 39.0625, 40.0)]
    [InlineData(Hx711Input.ChannelBGain32, 78.125, 80.0)]
    public void Full_scale_matches_the_datasheet(Hx711Input input, double exactMillivolts, double datasheetMillivolts)
    {
        double fullScale = Hx711Driver.ToDifferentialVoltage(Hx711Driver.MaximumCounts, input, 5.0) * 1000.0;
        Assert.Equal(exactMillivolts, fullScale, 0.001);
        Assert.Equal(datasheetMillivolts, fullScale, 0.0 + (datasheetMillivolts * 0.03)); // the datasheet rounds
        Assert.Equal(-exactMillivolts, Hx711Driver.ToDifferentialVoltage(Hx711Driver.MinimumCounts, input, 5.0) * 1000.0, 0.001);
    }

    // Table 2: 0.5(AVDD/GAIN)/2^23 converts to 000001: one count is 2.328 nV at AVDD = 5 V, gain 128.
    [Fact]
    public void One_count_is_half_AVDD_over_gain_over_2_to_the_23()
    {
        Assert.Equal(2.3283064e-9, Hx711Driver.VoltsPerCount(Hx711Input.ChannelAGain128, 5.0), 1e-15);
        Assert.Equal(1, Hx711Driver.FromDifferentialVoltage(2.3283064e-9, Hx711Input.ChannelAGain128, 5.0));
        Assert.Equal(-1, Hx711Driver.FromDifferentialVoltage(-2.3283064e-9, Hx711Input.ChannelAGain128, 5.0));
    }

    [Fact]
    public void Inputs_beyond_full_scale_saturate_like_the_chip()
    {
        Assert.Equal(Hx711Driver.MaximumCounts, Hx711Driver.FromDifferentialVoltage(0.025, Hx711Input.ChannelAGain128, 5.0));
        Assert.Equal(Hx711Driver.MinimumCounts, Hx711Driver.FromDifferentialVoltage(-0.025, Hx711Input.ChannelAGain128, 5.0));
    }

    // Table 3: 25 pulses = channel A gain 128, 26 = channel B gain 32, 27 = channel A gain 64.
    [Theory]
    [InlineData(Hx711Input.ChannelAGain128, 25, 128)]
    [InlineData(Hx711Input.ChannelBGain32, 26, 32)]
    [InlineData(Hx711Input.ChannelAGain64, 27, 64)]
    public void Pulses_and_gain_per_input(Hx711Input input, int pulses, int gain)
    {
        Assert.Equal(pulses, (int)input);
        Assert.Equal(gain, Hx711Driver.Gain(input));
    }
}
