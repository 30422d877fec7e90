using Iot.Contracts.Messages;

namespace Iot.Edge.Drivers.Sht4x;

/// <summary>One SHT4x reading of air temperature and relative humidity.</summary>
/// <param name="Temperature">Air temperature in <see cref="Unit.DegreeCelsius"/>.</param>
/// <param name="RelativeHumidity">Relative humidity in <see cref="Unit.Percent"/>, cropped to 0..100.</param>
/// <param name="RelativeHumidityClamped">
/// True when the chip's humidity fell outside 0..100 %RH and was cropped. The SHT4x's transfer function spans
/// -6..119 %RH; the datasheet (section 4, "Conversion of Signal Output") tells the reader to crop, because values outside
/// 0..100 are not physical. A cropped value is usually condensation on the sensor (above 100) or a fault; the gateway
/// should mark such a reading <see cref="ReadingQuality.Uncertain"/>.
/// </param>
public readonly record struct Sht4xMeasurement(Quantity Temperature, Quantity RelativeHumidity, bool RelativeHumidityClamped);
