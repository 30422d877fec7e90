using Iot.Contracts.Messages;

namespace Iot.Edge.Sampling;

/// <summary>One quantity from one read: a value with its quality, or no value and why.</summary>
public readonly record struct Sample(MeasurementType Type, Unit Unit, double? Value, ReadingQuality Quality, string? Error)
{
    /// <summary>A valid value.</summary>
    public static Sample Good(MeasurementType type, Quantity quantity) => new(type, quantity.Unit, quantity.Value, ReadingQuality.Good, null);

    /// <summary>A doubtful value (outside calibration, not settled).</summary>
    public static Sample Uncertain(MeasurementType type, Quantity quantity) => new(type, quantity.Unit, quantity.Value, ReadingQuality.Uncertain, null);

    /// <summary>No valid value, and why.</summary>
    public static Sample Bad(MeasurementType type, Unit unit, string error) => new(type, unit, null, ReadingQuality.Bad, error);
}

/// <summary>
/// A sensor as the sampler sees it: an id, the zone it is in, how often to read it, what it measures, and a read
/// that turns the driver's answer into samples. Adapters over the drivers in Iot.Edge.Drivers derive from it.
/// </summary>
public abstract class Sensor(string id, string zone, TimeSpan interval) : IDisposable
{
    /// <summary>The sensor id, unique on the gateway.</summary>
    public string Id { get; } = id;

    /// <summary>The zone or line it is in.</summary>
    public string Zone { get; } = zone;

    /// <summary>How often it is read.</summary>
    public TimeSpan Interval { get; } = interval;

    /// <summary>What it measures, with units: a failed read reports each of these as bad.</summary>
    public abstract IReadOnlyList<(MeasurementType Type, Unit Unit)> Measures { get; }

    /// <summary>Reads the sensor once. Bus faults are samples of quality bad, not exceptions.</summary>
    public abstract Task<IReadOnlyList<Sample>> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Every measured quantity reported bad with the same reason.</summary>
    protected IReadOnlyList<Sample> AllBad(string error) => Measures.Select(m => Sample.Bad(m.Type, m.Unit, error)).ToList();

    /// <summary>Releases the driver and its bus.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the driver and its bus.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
