using Iot.Edge.Clock;
using Iot.Edge.Outbox;
using Microsoft.Extensions.Hosting;

namespace Iot.Edge.Stamping;

/// <summary>
/// At start, puts the <c>batchEntered</c> events of batches the configuration placed in zones (first start, or a zone
/// added since) into the outbox, so the cloud learns of every stay from the gateway and not only of later changes.
/// </summary>
public sealed class ConfiguredBatchesAnnouncement(BatchStamps stamps, OutboxWriter writer, GatewayClock clock) : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer.AppendEvents(stamps.AnnounceConfigured(clock.UtcNow));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
