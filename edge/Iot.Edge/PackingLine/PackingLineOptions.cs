namespace Iot.Edge.PackingLine;

/// <summary>Configuration section <c>PackingLine</c>: timing shared by every line.</summary>
public sealed class PackingLineOptions
{
    /// <summary>Section name in configuration.</summary>
    public const string Section = "PackingLine";

    /// <summary>How often the reader is polled for a tag.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long after a crate is read its weight may take to settle.</summary>
    public TimeSpan WeighTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The least net mass that counts as a crate on the scale, kg. A settled weight below it (the scale still empty,
    /// the crate not yet put down) is waited past, not recorded.
    /// </summary>
    public double MinimumNetKilograms { get; set; } = 0.1;
}
