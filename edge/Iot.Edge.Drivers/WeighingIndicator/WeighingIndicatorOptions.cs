namespace Iot.Edge.Drivers.WeighingIndicator;

/// <summary>Settings of <see cref="WeighingIndicator"/>.</summary>
public sealed class WeighingIndicatorOptions
{
    /// <summary>Longest line kept, in bytes; longer lines are discarded and counted. A&amp;D frames are 18 characters.</summary>
    public int MaxLineLength { get; set; } = 64;

    /// <summary>
    /// No valid frame for this long means the indicator is silent. In stream mode it sends at every display update
    /// (several times a second), so 2 s is many missed frames.
    /// </summary>
    public TimeSpan SilenceTimeout { get; set; } = TimeSpan.FromSeconds(2);

    internal void Validate()
    {
        if (MaxLineLength is < 16 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLineLength), MaxLineLength, "between 16 and 4096 bytes");
        }

        if (SilenceTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SilenceTimeout), SilenceTimeout, "must be positive");
        }
    }
}
