namespace Iot.Edge.Drivers.Ads1115;

/// <summary>
/// One ADS1115 conversion. The voltage is a plain double in volts because it is an intermediate value: the contract
/// has no volt unit (nothing publishes a bare voltage); what a voltage means is decided by the sensor on top of the ADC,
/// such as <see cref="SoilMoistureProbe"/>, which turns it into a <see cref="Iot.Contracts.Messages.Quantity"/>.
/// </summary>
/// <param name="Raw">The conversion register, two's complement.</param>
/// <param name="Volts">Raw × full scale / 32768, in volts (datasheet section 9.3.3).</param>
/// <param name="Input">The input that was converted.</param>
/// <param name="Range">The full-scale range it was converted with.</param>
public readonly record struct Ads1115Conversion(short Raw, double Volts, Ads1115Input Input, Ads1115Range Range);
