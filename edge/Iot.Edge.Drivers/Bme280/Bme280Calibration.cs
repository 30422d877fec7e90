using System.Buffers.Binary;

namespace Iot.Edge.Drivers.Bme280;

/// <summary>
/// The trimming parameters each BME280 carries in its NVM (datasheet section 4.2.2, Table 16). The names follow the
/// datasheet's dig_T1..dig_H6.
/// </summary>
public readonly record struct Bme280Calibration
{
    /// <summary>Length of the block at 0x88..0xA1 (calib00..calib25).</summary>
    internal const int TemperaturePressureBlockLength = 26;

    /// <summary>Length of the block at 0xE1..0xE7 (calib26..calib32).</summary>
    internal const int HumidityBlockLength = 7;

    /// <summary>dig_T1, unsigned, 0x88/0x89.</summary>
    public ushort DigT1 { get; init; }

    /// <summary>dig_T2, signed, 0x8A/0x8B.</summary>
    public short DigT2 { get; init; }

    /// <summary>dig_T3, signed, 0x8C/0x8D.</summary>
    public short DigT3 { get; init; }

    /// <summary>dig_P1, unsigned, 0x8E/0x8F.</summary>
    public ushort DigP1 { get; init; }

    /// <summary>dig_P2, signed, 0x90/0x91.</summary>
    public short DigP2 { get; init; }

    /// <summary>dig_P3, signed, 0x92/0x93.</summary>
    public short DigP3 { get; init; }

    /// <summary>dig_P4, signed, 0x94/0x95.</summary>
    public short DigP4 { get; init; }

    /// <summary>dig_P5, signed, 0x96/0x97.</summary>
    public short DigP5 { get; init; }

    /// <summary>dig_P6, signed, 0x98/0x99.</summary>
    public short DigP6 { get; init; }

    /// <summary>dig_P7, signed, 0x9A/0x9B.</summary>
    public short DigP7 { get; init; }

    /// <summary>dig_P8, signed, 0x9C/0x9D.</summary>
    public short DigP8 { get; init; }

    /// <summary>dig_P9, signed, 0x9E/0x9F.</summary>
    public short DigP9 { get; init; }

    /// <summary>dig_H1, unsigned char, 0xA1.</summary>
    public byte DigH1 { get; init; }

    /// <summary>dig_H2, signed, 0xE1/0xE2.</summary>
    public short DigH2 { get; init; }

    /// <summary>dig_H3, unsigned char, 0xE3.</summary>
    public byte DigH3 { get; init; }

    /// <summary>dig_H4, signed 12 bit: 0xE4 holds bits 11:4, 0xE5[3:0] bits 3:0.</summary>
    public short DigH4 { get; init; }

    /// <summary>dig_H5, signed 12 bit: 0xE5[7:4] holds bits 3:0, 0xE6 bits 11:4.</summary>
    public short DigH5 { get; init; }

    /// <summary>dig_H6, signed char, 0xE7.</summary>
    public sbyte DigH6 { get; init; }

    /// <summary>
    /// Decodes the two NVM blocks as Table 16 lays them out: 16-bit words little-endian (LSB at the lower address), and
    /// dig_H4 / dig_H5 sharing the nibbles of 0xE5.
    /// </summary>
    /// <param name="block88">The 26 bytes read from 0x88..0xA1.</param>
    /// <param name="blockE1">The 7 bytes read from 0xE1..0xE7.</param>
    public static Bme280Calibration Parse(ReadOnlySpan<byte> block88, ReadOnlySpan<byte> blockE1)
    {
        if (block88.Length < TemperaturePressureBlockLength || blockE1.Length < HumidityBlockLength)
        {
            throw new ArgumentException("the calibration blocks are 26 bytes at 0x88 and 7 bytes at 0xE1");
        }

        return new Bme280Calibration
        {
            DigT1 = BinaryPrimitives.ReadUInt16LittleEndian(block88[0..]),
            DigT2 = BinaryPrimitives.ReadInt16LittleEndian(block88[2..]),
            DigT3 = BinaryPrimitives.ReadInt16LittleEndian(block88[4..]),
            DigP1 = BinaryPrimitives.ReadUInt16LittleEndian(block88[6..]),
            DigP2 = BinaryPrimitives.ReadInt16LittleEndian(block88[8..]),
            DigP3 = BinaryPrimitives.ReadInt16LittleEndian(block88[10..]),
            DigP4 = BinaryPrimitives.ReadInt16LittleEndian(block88[12..]),
            DigP5 = BinaryPrimitives.ReadInt16LittleEndian(block88[14..]),
            DigP6 = BinaryPrimitives.ReadInt16LittleEndian(block88[16..]),
            DigP7 = BinaryPrimitives.ReadInt16LittleEndian(block88[18..]),
            DigP8 = BinaryPrimitives.ReadInt16LittleEndian(block88[20..]),
            DigP9 = BinaryPrimitives.ReadInt16LittleEndian(block88[22..]),

            // block88[24] is 0xA0, reserved.
            DigH1 = block88[25],
            DigH2 = BinaryPrimitives.ReadInt16LittleEndian(blockE1[0..]),
            DigH3 = blockE1[2],

            // 0xE4 is the signed top byte of dig_H4, 0xE5[3:0] its low nibble; 0xE5[7:4] the low nibble of dig_H5, 0xE6 its top byte.
            DigH4 = (short)(((sbyte)blockE1[3] * 16) | (blockE1[4] & 0x0F)),
            DigH5 = (short)(((sbyte)blockE1[5] * 16) | (blockE1[4] >> 4)),
            DigH6 = (sbyte)blockE1[6],
        };
    }

    /// <summary>The inverse of <see cref="Parse"/>: the two NVM blocks holding these parameters (for the simulator).</summary>
    /// <param name="block88">26 bytes for 0x88..0xA1.</param>
    /// <param name="blockE1">7 bytes for 0xE1..0xE7.</param>
    public void Encode(Span<byte> block88, Span<byte> blockE1)
    {
        if (block88.Length < TemperaturePressureBlockLength || blockE1.Length < HumidityBlockLength)
        {
            throw new ArgumentException("the calibration blocks are 26 bytes at 0x88 and 7 bytes at 0xE1");
        }

        if (DigH4 is < -2048 or > 2047 || DigH5 is < -2048 or > 2047)
        {
            throw new InvalidOperationException("dig_H4 and dig_H5 are 12-bit values (-2048..2047)");
        }

        BinaryPrimitives.WriteUInt16LittleEndian(block88[0..], DigT1);
        BinaryPrimitives.WriteInt16LittleEndian(block88[2..], DigT2);
        BinaryPrimitives.WriteInt16LittleEndian(block88[4..], DigT3);
        BinaryPrimitives.WriteUInt16LittleEndian(block88[6..], DigP1);
        BinaryPrimitives.WriteInt16LittleEndian(block88[8..], DigP2);
        BinaryPrimitives.WriteInt16LittleEndian(block88[10..], DigP3);
        BinaryPrimitives.WriteInt16LittleEndian(block88[12..], DigP4);
        BinaryPrimitives.WriteInt16LittleEndian(block88[14..], DigP5);
        BinaryPrimitives.WriteInt16LittleEndian(block88[16..], DigP6);
        BinaryPrimitives.WriteInt16LittleEndian(block88[18..], DigP7);
        BinaryPrimitives.WriteInt16LittleEndian(block88[20..], DigP8);
        BinaryPrimitives.WriteInt16LittleEndian(block88[22..], DigP9);
        block88[24] = 0;
        block88[25] = DigH1;
        BinaryPrimitives.WriteInt16LittleEndian(blockE1[0..], DigH2);
        blockE1[2] = DigH3;
        blockE1[3] = (byte)(DigH4 >> 4);
        blockE1[4] = (byte)((DigH4 & 0x0F) | ((DigH5 & 0x0F) << 4));
        blockE1[5] = (byte)(DigH5 >> 4);
        blockE1[6] = (byte)DigH6;
    }
}
