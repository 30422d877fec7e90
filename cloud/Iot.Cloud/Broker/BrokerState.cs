namespace Iot.Cloud.Broker;

/// <summary>Whether ingestion is taking messages from the broker now, and if not, why (for readiness).</summary>
public sealed class BrokerState
{
    volatile string? _notReady = "the broker has not started yet";

    /// <summary>Null when ingestion is taking messages; otherwise why not.</summary>
    public string? NotReady => _notReady;

    /// <summary>Connected (external) or listening (embedded).</summary>
    public void Ready() => _notReady = null;

    /// <summary>Not taking messages, because of <paramref name="reason"/>.</summary>
    public void Down(string reason) => _notReady = reason;
}
