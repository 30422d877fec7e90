namespace Iot.Edge.Drivers.Sht4x;

/// <summary>
/// SHT4x commands. The chip has no register map: each transaction is a one-byte command, and a read afterwards
/// returns its response (datasheet SHT4x v6.6, section 4 "Operation and Communication", command overview table).
/// </summary>
internal enum Command : byte
{
    /// <summary>Measure T and RH with high precision (high repeatability); 6-byte response.</summary>
    MeasureHighPrecision = 0xFD,

    /// <summary>Measure T and RH with medium precision (medium repeatability); 6-byte response.</summary>
    MeasureMediumPrecision = 0xF6,

    /// <summary>Measure T and RH with lowest precision (low repeatability); 6-byte response.</summary>
    MeasureLowPrecision = 0xE0,

    /// <summary>Read the 32-bit serial number: two 16-bit words, each followed by its CRC; 6-byte response.</summary>
    ReadSerialNumber = 0x89,

    /// <summary>Soft reset; no response.</summary>
    SoftReset = 0x94,
}
