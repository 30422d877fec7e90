namespace Iot.Edge.Drivers.Ads1115;

/// <summary>
/// ADS1115 registers, selected by P[1:0] of the address pointer byte (datasheet SBAS444D, section 9.6.1).
/// Every register is 16 bits, most significant byte first.
/// </summary>
internal enum Register : byte
{
    /// <summary>The last conversion result, 16-bit two's complement (section 9.6.2).</summary>
    Conversion = 0b00,

    /// <summary>Operating mode, input, range, data rate, comparator (section 9.6.3).</summary>
    Config = 0b01,

    /// <summary>Comparator low threshold (section 9.6.4).</summary>
    LowThreshold = 0b10,

    /// <summary>Comparator high threshold (section 9.6.4).</summary>
    HighThreshold = 0b11,
}

/// <summary>Single-bit fields of the config register (section 9.6.3).</summary>
[Flags]
internal enum ConfigBits : ushort
{
    /// <summary>Nothing set.</summary>
    None = 0,

    /// <summary>
    /// OS, bit 15. Write 1 in power-down state: start a single conversion. Read: 0 while a conversion runs, 1 when not.
    /// </summary>
    OperationalStatus = 0b1000_0000_0000_0000,

    /// <summary>MODE, bit 8: 1 = single-shot (power-down between conversions), 0 = continuous.</summary>
    SingleShot = 0b0000_0001_0000_0000,

    /// <summary>COMP_QUE[1:0] = 11, bits 1:0: comparator disabled, ALERT/RDY high impedance.</summary>
    ComparatorDisabled = 0b0000_0000_0000_0011,
}

/// <summary>Positions of the multi-bit fields of the config register (section 9.6.3).</summary>
internal static class ConfigFields
{
    /// <summary>MUX[2:0] occupies bits 14:12.</summary>
    public const int MuxShift = 12;

    /// <summary>PGA[2:0] occupies bits 11:9.</summary>
    public const int PgaShift = 9;

    /// <summary>DR[2:0] occupies bits 7:5.</summary>
    public const int DataRateShift = 5;

    /// <summary>A three-bit field.</summary>
    public const int FieldMask = 0b111;

    /// <summary>Every bit but OS: what a read-back must repeat of what was written.</summary>
    public const ushort AllButOperationalStatus = 0b0111_1111_1111_1111;
}
