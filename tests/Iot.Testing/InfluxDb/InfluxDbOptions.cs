namespace Iot.Testing.InfluxDb;

/// <summary>How an <see cref="InfluxDbServer"/> is started.</summary>
public sealed class InfluxDbOptions
{
    /// <summary>influxd to run; null searches PATH and /usr/bin (Debian package "influxdb").</summary>
    public string? ExecutablePath { get; init; }

    /// <summary>How long a start may take until GET /ping answers 204.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stop waits after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>[logging] level: error, warn, info or debug. HTTP request and query logs are always off.</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>The pid whose death stops the server; the test host unless a test of the watchdog says otherwise.</summary>
    internal int? WatchedProcessId { get; init; }
}
