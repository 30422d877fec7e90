namespace Iot.Edge.Drivers.Bme280;

/// <summary>
/// BME280 register addresses (datasheet BST-BME280-DS002 rev 1.6, section 5.3 "Memory map", Table 18).
/// </summary>
internal enum Register : byte
{
    /// <summary>calib00..calib25: dig_T1..dig_T3, dig_P1..dig_P9 (0x88..0x9F), reserved (0xA0), dig_H1 (0xA1); section 4.2.2, Table 16.</summary>
    CalibrationTemperaturePressure = 0x88,

    /// <summary>Chip identification number, 0x60 on a BME280 (section 5.4.1).</summary>
    ChipId = 0xD0,

    /// <summary>Soft reset: writing 0xB6 resets the chip like a power-on reset (section 5.4.2).</summary>
    Reset = 0xE0,

    /// <summary>calib26..calib32: dig_H2..dig_H6 (0xE1..0xE7); section 4.2.2, Table 16.</summary>
    CalibrationHumidity = 0xE1,

    /// <summary>ctrl_hum: humidity oversampling osrs_h[2:0]; takes effect only after a write to ctrl_meas (section 5.4.3).</summary>
    ControlHumidity = 0xF2,

    /// <summary>status: measuring[3], im_update[0] (section 5.4.4).</summary>
    Status = 0xF3,

    /// <summary>ctrl_meas: osrs_t[7:5], osrs_p[4:2], mode[1:0] (section 5.4.5).</summary>
    ControlMeasurement = 0xF4,

    /// <summary>config: t_sb[7:5], filter[4:2], spi3w_en[0] (section 5.4.6).</summary>
    Config = 0xF5,

    /// <summary>press_msb; the burst 0xF7..0xFE holds press (20 bit), temp (20 bit), hum (16 bit) (sections 5.4.7..5.4.9).</summary>
    PressureMsb = 0xF7,
}

/// <summary>Bits of the status register 0xF3 (section 5.4.4).</summary>
[Flags]
internal enum StatusBits : byte
{
    /// <summary>Idle, data registers up to date.</summary>
    None = 0,

    /// <summary>im_update: NVM data are being copied to the image registers (at power-on and after a reset).</summary>
    ImageUpdate = 0b0000_0001,

    /// <summary>measuring: a conversion is running; cleared when the results are in the data registers.</summary>
    Measuring = 0b0000_1000,
}

/// <summary>mode[1:0] of ctrl_meas 0xF4 (section 5.4.5, Table 25).</summary>
internal enum Mode : byte
{
    /// <summary>00: sleep, no measurements.</summary>
    Sleep = 0b00,

    /// <summary>01 (or 10): forced, one measurement then back to sleep.</summary>
    Forced = 0b01,

    /// <summary>11: normal, periodic measurements.</summary>
    Normal = 0b11,
}

/// <summary>Bit fields of ctrl_meas 0xF4 (section 5.4.5) and ctrl_hum 0xF2 (section 5.4.3).</summary>
internal static class ControlFields
{
    /// <summary>mode[1:0] of ctrl_meas.</summary>
    public const byte ModeMask = 0b0000_0011;

    /// <summary>osrs_p[2:0] of ctrl_meas, bits 4:2.</summary>
    public const byte PressureOversamplingMask = 0b0001_1100;

    /// <summary>osrs_t[2:0] of ctrl_meas, bits 7:5.</summary>
    public const byte TemperatureOversamplingMask = 0b1110_0000;

    /// <summary>osrs_h[2:0] of ctrl_hum, bits 2:0.</summary>
    public const byte HumidityOversamplingMask = 0b0000_0111;
}
