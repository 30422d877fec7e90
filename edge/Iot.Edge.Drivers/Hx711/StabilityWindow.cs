namespace Iot.Edge.Drivers.Hx711;

/// <summary>
/// The last few readings of a scale and whether they agree: stable when the window is full and its highest and lowest
/// readings are within the tolerance. A packing line records a weight only when it is stable.
/// </summary>
public sealed class StabilityWindow
{
    readonly Queue<double> _values;

    /// <summary>Creates an empty window.</summary>
    /// <param name="size">How many consecutive readings must agree (at least 2).</param>
    /// <param name="tolerance">The largest spread (highest minus lowest) that still counts as stable.</param>
    public StabilityWindow(int size, double tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        if (!double.IsFinite(tolerance) || tolerance < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be zero or positive");
        }

        Size = size;
        Tolerance = tolerance;
        _values = new Queue<double>(size);
    }

    /// <summary>How many readings the window holds when full.</summary>
    public int Size { get; }

    /// <summary>The largest spread that counts as stable.</summary>
    public double Tolerance { get; }

    /// <summary>How many readings it holds now.</summary>
    public int Count => _values.Count;

    /// <summary>Highest minus lowest reading in the window; 0 when empty.</summary>
    public double Spread => _values.Count == 0 ? 0 : _values.Max() - _values.Min();

    /// <summary>The mean of the readings in the window; NaN when empty.</summary>
    public double Mean => _values.Count == 0 ? double.NaN : _values.Average();

    /// <summary>Whether the window is full and its spread within the tolerance.</summary>
    public bool IsStable => _values.Count == Size && Spread <= Tolerance;

    /// <summary>Adds a reading, dropping the oldest when full.</summary>
    /// <param name="value">The reading.</param>
    /// <returns>Whether the window is now stable.</returns>
    public bool Add(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a reading must be finite");
        }

        if (_values.Count == Size)
        {
            _values.Dequeue();
        }

        _values.Enqueue(value);
        return IsStable;
    }

    /// <summary>Empties the window (after a failed read, so stability needs consecutive good readings).</summary>
    public void Clear() => _values.Clear();
}
