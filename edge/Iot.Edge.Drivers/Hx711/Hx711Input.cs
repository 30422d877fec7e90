namespace Iot.Edge.Drivers.Hx711;

/// <summary>
/// The HX711's input and gain. The value is the number of PD_SCK pulses of a read that selects it for the NEXT
/// conversion (datasheet "Serial Interface", Table 3: 25 = channel A gain 128, 26 = channel B gain 32,
/// 27 = channel A gain 64).
/// </summary>
public enum Hx711Input
{
    /// <summary>Channel A, gain 128: full scale ±0.5·AVDD/128 (±20 mV at AVDD = 5 V); the load-cell input.</summary>
    ChannelAGain128 = 25,

    /// <summary>Channel B, gain 32: full scale ±0.5·AVDD/32 (±80 mV at AVDD = 5 V).</summary>
    ChannelBGain32 = 26,

    /// <summary>Channel A, gain 64: full scale ±0.5·AVDD/64 (±40 mV at AVDD = 5 V).</summary>
    ChannelAGain64 = 27,
}

/// <summary>
/// The HX711's output data rate, set in hardware by its RATE pin (datasheet "Clock Source Options" and "Key Electrical
/// Characteristics", internal oscillator): the driver cannot read it, so it is told.
/// </summary>
public enum Hx711DataRate
{
    /// <summary>RATE = 0 (low): 10 samples per second, settling time 400 ms. Most breakout boards.</summary>
    TenSamplesPerSecond,

    /// <summary>RATE = 1 (high): 80 samples per second, settling time 50 ms.</summary>
    EightySamplesPerSecond,
}

/// <summary>One HX711 conversion.</summary>
/// <param name="Counts">The signed 24-bit result, -8 388 607..8 388 606 (the two saturated codes are failures).</param>
/// <param name="Input">The input and gain the conversion was made with.</param>
public readonly record struct Hx711Reading(int Counts, Hx711Input Input);
