namespace Iot.Edge.Drivers.Ads1115;

/// <summary>
/// The input multiplexer setting MUX[2:0] (datasheet section 9.6.3; section 9.3.1). The ADS111x cannot take
/// negative voltages on any input (absolute maximum GND - 0.3 V, section 7.1), even in differential mode.
/// </summary>
public enum Ads1115Input : byte
{
    /// <summary>AIN0 - AIN1 (000, the power-on default).</summary>
    Ain0MinusAin1 = 0b000,

    /// <summary>AIN0 - AIN3 (001).</summary>
    Ain0MinusAin3 = 0b001,

    /// <summary>AIN1 - AIN3 (010).</summary>
    Ain1MinusAin3 = 0b010,

    /// <summary>AIN2 - AIN3 (011).</summary>
    Ain2MinusAin3 = 0b011,

    /// <summary>AIN0 against GND, single-ended (100).</summary>
    Ain0 = 0b100,

    /// <summary>AIN1 against GND, single-ended (101).</summary>
    Ain1 = 0b101,

    /// <summary>AIN2 against GND, single-ended (110).</summary>
    Ain2 = 0b110,

    /// <summary>AIN3 against GND, single-ended (111).</summary>
    Ain3 = 0b111,
}
