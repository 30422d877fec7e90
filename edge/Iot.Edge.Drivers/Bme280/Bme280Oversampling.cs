namespace Iot.Edge.Drivers.Bme280;

/// <summary>
/// Oversampling of one measurement (osrs_t, osrs_p, osrs_h; datasheet sections 5.4.3 and 5.4.5). More oversampling
/// means less noise and a longer measurement (section 9.1). "Skipped" (000) is not offered: this driver always measures
/// all three quantities, and a skipped one reads 0x80000 / 0x8000, which it treats as a failure.
/// </summary>
public enum Bme280Oversampling : byte
{
    /// <summary>Oversampling ×1 (001); the recommended setting for weather monitoring (section 3.5.1).</summary>
    X1 = 0b001,

    /// <summary>Oversampling ×2 (010).</summary>
    X2 = 0b010,

    /// <summary>Oversampling ×4 (011).</summary>
    X4 = 0b011,

    /// <summary>Oversampling ×8 (100).</summary>
    X8 = 0b100,

    /// <summary>Oversampling ×16 (101).</summary>
    X16 = 0b101,
}
