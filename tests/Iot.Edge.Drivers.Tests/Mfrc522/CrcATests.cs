namespace Iot.Edge.Drivers.Tests.Mfrc522;

using Iot.Edge.Drivers.Mfrc522;

public class CrcATests
{
    /// <summary>
    /// ISO/IEC 14443-3 Annex B's CRC_A examples: 0x00 0x00 is sent as 0x00 0x00 0xA0 0x1E and 0x12 0x34 as 0x12 0x34 0x26 0xCF.
    /// </summary>
    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 }, 0xA0, 0x1E)]
    [InlineData(new byte[] { 0x12, 0x34 }, 0x26, 0xCF)]
    public void Annex_b_examples(byte[] data, byte first, byte second)
    {
        Span<byte> crc = stackalloc byte[2];
        CrcA.Write(data, crc);

        Assert.Equal(first, crc[0]);
        Assert.Equal(second, crc[1]);
        Assert.Equal((ushort)(first | (second << 8)), CrcA.Compute(data));
        Assert.Equal((ushort)(first | (second << 8)), ByteWiseCrcA(data));
    }

    [Fact]
    public void Hlta_frame_is_50_00_57_cd()
    {
        // Computed both ways below; 50 00 57 CD is the HLTA frame as MIFARE data sheets print it.
        Span<byte> crc = stackalloc byte[2];
        CrcA.Write([0x50, 0x00], crc);
        Assert.Equal(new byte[] { 0x57, 0xCD }, crc.ToArray());
    }

    [Fact]
    public void Bit_serial_and_byte_wise_forms_agree_on_random_data()
    {
        var random = new Random(14443);
        for (int i = 0; i < 500; i++)
        {
            var data = new byte[random.Next(0, 40)];
            random.NextBytes(data);
            Assert.Equal(ByteWiseCrcA(data), CrcA.Compute(data));
        }
    }

    [Fact]
    public void Empty_data_gives_the_initial_value()
    {
        Assert.Equal(CrcA.InitialValue, CrcA.Compute([]));
    }

    /// <summary>
    /// The second way: the byte-at-a-time update of the V.41 CRC with LSB-first bits
    /// (b ^= low byte; b ^= b &lt;&lt; 4; crc = crc &gt;&gt; 8 ^ b &lt;&lt; 8 ^ b &lt;&lt; 3 ^ b &gt;&gt; 4), written here independently.
    /// </summary>
    static ushort ByteWiseCrcA(ReadOnlySpan<byte> data)
    {
        int crc = 0x6363;
        foreach (byte value in data)
        {
            int b = (value ^ crc) & 0xFF;
            b = (b ^ (b << 4)) & 0xFF;
            crc = (crc >> 8) ^ (b << 8) ^ (b << 3) ^ (b >> 4);
        }

        return (ushort)crc;
    }
}
