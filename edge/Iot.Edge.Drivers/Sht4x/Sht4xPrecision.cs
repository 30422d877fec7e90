namespace Iot.Edge.Drivers.Sht4x;

/// <summary>
/// Measurement precision (repeatability). Higher precision averages longer: the datasheet (v6.6, section 3.1 "Timings")
/// gives maximum measurement durations of 8.3 ms (high), 4.5 ms (medium) and 1.7 ms (low).
/// </summary>
public enum Sht4xPrecision
{
    /// <summary>High precision, command 0xFD; at most 8.3 ms.</summary>
    High,

    /// <summary>Medium precision, command 0xF6; at most 4.5 ms.</summary>
    Medium,

    /// <summary>Lowest precision, command 0xE0; at most 1.7 ms.</summary>
    Low,
}
