using Iot.Contracts.Messages;

namespace Iot.Edge.Drivers.Bme280;

/// <summary>One BME280 reading.</summary>
/// <param name="Temperature">Air temperature in <see cref="Unit.DegreeCelsius"/>, resolution 0.01 °C.</param>
/// <param name="Pressure">Barometric pressure in <see cref="Unit.Kilopascal"/>.</param>
/// <param name="RelativeHumidity">Relative humidity in <see cref="Unit.Percent"/>, 0..100 (the datasheet's formula bounds it).</param>
public readonly record struct Bme280Measurement(Quantity Temperature, Quantity Pressure, Quantity RelativeHumidity);
