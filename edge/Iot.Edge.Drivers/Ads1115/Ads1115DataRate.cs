namespace Iot.Edge.Drivers.Ads1115;

/// <summary>
/// Data rate DR[2:0] in samples per second (datasheet section 9.6.3). A single-shot conversion takes 1/DR
/// (section 9.3.6); slower rates average more and are less noisy. The internal oscillator allows ±10 % (section 7.5).
/// </summary>
public enum Ads1115DataRate : byte
{
    /// <summary>8 SPS (000): 125 ms per conversion.</summary>
    Sps8 = 0b000,

    /// <summary>16 SPS (001).</summary>
    Sps16 = 0b001,

    /// <summary>32 SPS (010).</summary>
    Sps32 = 0b010,

    /// <summary>64 SPS (011).</summary>
    Sps64 = 0b011,

    /// <summary>128 SPS (100, the power-on default): 7.8 ms per conversion.</summary>
    Sps128 = 0b100,

    /// <summary>250 SPS (101).</summary>
    Sps250 = 0b101,

    /// <summary>475 SPS (110).</summary>
    Sps475 = 0b110,

    /// <summary>860 SPS (111): 1.16 ms per conversion.</summary>
    Sps860 = 0b111,
}
