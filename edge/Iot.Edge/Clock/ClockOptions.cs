namespace Iot.Edge.Clock;

/// <summary>Where the gateway learns whether its clock is right.</summary>
public enum ClockSource
{
    /// <summary>Ask the Linux kernel (adjtimex): synchronised once NTP/chrony/systemd-timesyncd has disciplined the clock.</summary>
    Kernel,

    /// <summary>Always synchronised (a board with a GPS-disciplined or battery-backed RTC the installer vouches for).</summary>
    AssumeSynchronized,

    /// <summary>Never synchronised (tests; a board known to have no time source).</summary>
    AssumeUnsynchronized,
}

/// <summary>Configuration section <c>Clock</c>.</summary>
public sealed class ClockOptions
{
    /// <summary>Section name in configuration.</summary>
    public const string Section = "Clock";

    /// <summary>Where synchronisation state comes from.</summary>
    public ClockSource Source { get; set; } = ClockSource.Kernel;
}
