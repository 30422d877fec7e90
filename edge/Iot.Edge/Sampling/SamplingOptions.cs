namespace Iot.Edge.Sampling;

/// <summary>Configuration section <c>Sampling</c>.</summary>
public sealed class SamplingOptions
{
    /// <summary>Section name in configuration.</summary>
    public const string Section = "Sampling";

    /// <summary>
    /// How often gathered readings are stored in the outbox (one transaction each time). The longest a reading waits
    /// in memory, so the most a power cut can cost.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);
}
