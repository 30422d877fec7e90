namespace Iot.Edge.Drivers.Ads1115;

/// <summary>
/// The programmable gain amplifier setting PGA[2:0], as the full-scale range it gives (datasheet sections 9.3.3
/// and 9.6.3). The range is a scale, not a permission: an input must never exceed VDD + 0.3 V,
/// so with a 3.3 V supply the ±6.144 V range still only measures up to 3.6 V.
/// </summary>
public enum Ads1115Range : byte
{
    /// <summary>±6.144 V (000), 187.5 µV per code.</summary>
    PlusMinus6144mV = 0b000,

    /// <summary>±4.096 V (001), 125 µV per code.</summary>
    PlusMinus4096mV = 0b001,

    /// <summary>±2.048 V (010, the power-on default), 62.5 µV per code.</summary>
    PlusMinus2048mV = 0b010,

    /// <summary>±1.024 V (011), 31.25 µV per code.</summary>
    PlusMinus1024mV = 0b011,

    /// <summary>±0.512 V (100), 15.625 µV per code.</summary>
    PlusMinus512mV = 0b100,

    /// <summary>±0.256 V (101; 110 and 111 are the same), 7.8125 µV per code.</summary>
    PlusMinus256mV = 0b101,
}
