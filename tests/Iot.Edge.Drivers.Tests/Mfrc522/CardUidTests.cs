namespace Iot.Edge.Drivers.Tests.Mfrc522;

using Iot.Edge.Drivers.Mfrc522;

public class CardUidTests
{
    [Theory]
    [InlineData(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, "DEADBEEF")]
    [InlineData(new byte[] { 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 }, "04112233445566")]
    [InlineData(new byte[] { 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99 }, "04112233445566778899")]
    public void Hex_is_upper_case_with_two_digits_per_byte(byte[] bytes, string hex)
    {
        CardUid uid = CardUid.FromBytes(bytes);

        Assert.Equal(hex, uid.Hex);
        Assert.Equal(hex, uid.ToString());
        Assert.Equal(bytes.Length, uid.Length);
        Assert.Equal(bytes, uid.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(11)]
    public void Other_lengths_are_refused(int length)
    {
        Assert.Throws<ArgumentException>(() => CardUid.FromBytes(new byte[length]));
    }

    [Fact]
    public void Parse_accepts_lower_case_and_compares_by_bytes()
    {
        Assert.Equal(CardUid.Parse("DEADBEEF"), CardUid.Parse("deadbeef"));
        Assert.True(CardUid.Parse("deadbeef") == CardUid.FromBytes([0xDE, 0xAD, 0xBE, 0xEF]));
        Assert.NotEqual(CardUid.Parse("DEADBEEF"), CardUid.Parse("DEADBEEE"));
        Assert.Throws<FormatException>(() => CardUid.Parse("DEADBEE"));
        Assert.Throws<FormatException>(() => CardUid.Parse("DEADBEEG"));
    }

    [Fact]
    public void Default_is_empty()
    {
        Assert.Equal(string.Empty, default(CardUid).Hex);
        Assert.Equal(0, default(CardUid).Length);
    }
}
