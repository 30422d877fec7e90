using Iot.Contracts.Messages;

namespace Iot.Edge.Drivers.Ads1115;

/// <summary>One soil moisture probe reading.</summary>
/// <param name="WaterContent">
/// Volumetric water content in <see cref="Unit.Percent"/> (reported as <see cref="MeasurementType.VolumeFraction"/>),
/// bounded to the calibration's end points.
/// </param>
/// <param name="Volts">The probe's output voltage the value came from.</param>
/// <param name="OutsideCalibration">
/// True when the voltage lay outside the calibrated span by more than the probe's tolerance: the value was clamped to
/// an end point and the gateway should mark the reading <see cref="ReadingQuality.Uncertain"/>.
/// </param>
public readonly record struct SoilMoistureReading(Quantity WaterContent, double Volts, bool OutsideCalibration);
