using System.Collections.Concurrent;

namespace Iot.Edge.Hosting;

/// <summary>
/// Heartbeats of the gateway's loops (sampling, uplink). The systemd watchdog is fed only while every loop has beaten
/// recently, so a hung loop gets the service restarted instead of a gateway that looks alive and records nothing.
/// </summary>
public sealed class Liveness(TimeProvider time)
{
    readonly ConcurrentDictionary<string, DateTimeOffset> _beats = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="part"/> is making progress.</summary>
    public void Beat(string part) => _beats[part] = time.GetUtcNow();

    /// <summary>The parts that have not beaten within <paramref name="maxAge"/>; empty when all are alive.</summary>
    public IReadOnlyList<string> Stalled(TimeSpan maxAge)
    {
        var now = time.GetUtcNow();
        return _beats.Where(b => now - b.Value > maxAge).Select(b => b.Key).Order(StringComparer.Ordinal).ToList();
    }
}
