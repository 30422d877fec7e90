using Iot.Contracts.Messages;
using Iot.Edge.Drivers;
using Iot.Edge.Drivers.Ads1115;
using Iot.Edge.Drivers.Bme280;
using Iot.Edge.Drivers.Sht4x;
using Iot.Edge.Sampling;

namespace Iot.Edge.Hardware;

/// <summary>Air temperature and humidity from a Sensirion SHT4x. A clamped humidity (condensation, fault) is uncertain.</summary>
public sealed class Sht4xSensor(string id, string zone, TimeSpan interval, Sht4x chip) : Sensor(id, zone, interval)
{
    /// <inheritdoc/>
    public override IReadOnlyList<(MeasurementType Type, Unit Unit)> Measures { get; } =
        [(MeasurementType.Temperature, Unit.DegreeCelsius), (MeasurementType.RelativeHumidity, Unit.Percent)];

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<Sample>> ReadAsync(CancellationToken cancellationToken)
    {
        var result = await chip.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!result.Ok)
        {
            return AllBad(result.Error);
        }

        var m = result.Value.Value;
        return
        [
            Sample.Good(MeasurementType.Temperature, m.Temperature),
            m.RelativeHumidityClamped
                ? Sample.Uncertain(MeasurementType.RelativeHumidity, m.RelativeHumidity)
                : Sample.Good(MeasurementType.RelativeHumidity, m.RelativeHumidity),
        ];
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        chip.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Temperature, pressure and humidity from a Bosch BME280.</summary>
public sealed class Bme280Sensor(string id, string zone, TimeSpan interval, Bme280 chip) : Sensor(id, zone, interval)
{
    /// <inheritdoc/>
    public override IReadOnlyList<(MeasurementType Type, Unit Unit)> Measures { get; } =
        [(MeasurementType.Temperature, Unit.DegreeCelsius), (MeasurementType.Pressure, Unit.Kilopascal), (MeasurementType.RelativeHumidity, Unit.Percent)];

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<Sample>> ReadAsync(CancellationToken cancellationToken)
    {
        var result = await chip.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!result.Ok)
        {
            return AllBad(result.Error);
        }

        var m = result.Value.Value;
        return
        [
            Sample.Good(MeasurementType.Temperature, m.Temperature),
            Sample.Good(MeasurementType.Pressure, m.Pressure),
            Sample.Good(MeasurementType.RelativeHumidity, m.RelativeHumidity),
        ];
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        chip.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// Volumetric soil water content from a capacitive probe on an ADS1115 channel. Several probes share one ADC, so
/// reads of one chip take turns (<paramref name="chipLock"/>). Outside the probe's calibrated span is uncertain.
/// </summary>
public sealed class SoilMoistureSensor(string id, string zone, TimeSpan interval, SoilMoistureProbe probe, SemaphoreSlim chipLock) : Sensor(id, zone, interval)
{
    /// <inheritdoc/>
    public override IReadOnlyList<(MeasurementType Type, Unit Unit)> Measures { get; } = [(MeasurementType.VolumeFraction, Unit.Percent)];

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<Sample>> ReadAsync(CancellationToken cancellationToken)
    {
        DriverResult<SoilMoistureReading> result;
        await chipLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            result = await probe.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            chipLock.Release();
        }

        if (!result.Ok)
        {
            return AllBad(result.Error);
        }

        var r = result.Value.Value;
        return [r.OutsideCalibration
            ? Sample.Uncertain(MeasurementType.VolumeFraction, r.WaterContent)
            : Sample.Good(MeasurementType.VolumeFraction, r.WaterContent)];
    }
}

/// <summary>Irrigation or fertigation from a pulse-output flow meter: the volume since the last read and the mean flow rate.</summary>
public sealed class FlowMeterSensor(string id, string zone, TimeSpan interval, Drivers.PulseCounter.PulseCounter counter) : Sensor(id, zone, interval)
{
    /// <inheritdoc/>
    public override IReadOnlyList<(MeasurementType Type, Unit Unit)> Measures { get; } =
        [(MeasurementType.Volume, Unit.Litre), (MeasurementType.VolumeFlowRate, Unit.LitrePerMinute)];

    /// <inheritdoc/>
    public override Task<IReadOnlyList<Sample>> ReadAsync(CancellationToken cancellationToken)
    {
        var result = counter.Read();
        if (!result.Ok)
        {
            return Task.FromResult(AllBad(result.Error));
        }

        var m = result.Value.Value;
        return Task.FromResult<IReadOnlyList<Sample>>(
            [Sample.Good(MeasurementType.Volume, m.Volume), Sample.Good(MeasurementType.VolumeFlowRate, m.FlowRate)]);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        counter.Dispose();
        base.Dispose(disposing);
    }
}
