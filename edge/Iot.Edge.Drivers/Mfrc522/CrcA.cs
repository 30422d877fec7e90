namespace Iot.Edge.Drivers.Mfrc522;

/// <summary>
/// CRC_A of ISO/IEC 14443-3 (6.2.4 and Annex B): the CRC-16 of ITU-T V.41 (x^16 + x^12 + x^5 + 1) shifted LSB first,
/// that is the reflected polynomial 0x8408, with initial value 0x6363 and no final inversion. It is sent low byte first.
/// Annex B's examples: CRC_A of 0x00 0x00 is sent as 0xA0 0x1E, of 0x12 0x34 as 0x26 0xCF.
/// </summary>
public static class CrcA
{
    /// <summary>The CRC_A initial value, 0x6363.</summary>
    public const ushort InitialValue = 0x6363;

    /// <summary>Computes CRC_A; the low byte is transmitted first.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Compute(data, InitialValue);

    /// <summary>Writes CRC_A of <paramref name="data"/> into <paramref name="destination"/>, low byte first, as it goes on air.</summary>
    public static void Write(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < 2)
        {
            throw new ArgumentException("CRC_A needs two bytes", nameof(destination));
        }

        ushort crc = Compute(data);
        destination[0] = (byte)crc;
        destination[1] = (byte)(crc >> 8);
    }

    /// <summary>The same CRC with another preset, as the MFRC522 coprocessor offers (ModeReg CRCPreset, 9.3.2.2).</summary>
    internal static ushort Compute(ReadOnlySpan<byte> data, ushort preset)
    {
        // Bit-serial form of the generator: each data bit enters LSB first (ISO/IEC 14443-3 6.2.4).
        const ushort ReflectedPolynomial = 0x8408;
        ushort crc = preset;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ ReflectedPolynomial) : (ushort)(crc >> 1);
            }
        }

        return crc;
    }
}
