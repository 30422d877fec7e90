using Iot.Cloud.Broker;
using Iot.Cloud.Points;
using Iot.Cloud.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.Health;

/// <summary>Ready when ingestion takes messages from the broker (embedded: listening; external: subscribed).</summary>
internal sealed class BrokerCheck(BrokerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.NotReady is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy("taking messages"));
}

/// <summary>Ready when InfluxDB answers its ping, the database exists and the last write went through.</summary>
internal sealed class InfluxDbCheck(IHttpClientFactory http, IOptions<InfluxDbOptions> options, PointWriter writer, InfluxDbSetup setup) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var ping = new Uri(options.Value.Url!, "ping");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var response = await http.CreateClient(InfluxDbOptions.Section).GetAsync(ping, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return HealthCheckResult.Unhealthy($"{ping} answered {(int)response.StatusCode}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{ping} does not answer: {e.Message}");
        }

        if (setup.NotDone is { } notCreated)
        {
            return HealthCheckResult.Unhealthy(notCreated);
        }

        return writer.Unavailable is { } failing
            ? HealthCheckResult.Unhealthy($"writes fail: {failing}")
            : HealthCheckResult.Healthy($"{options.Value.Url} answers");
    }
}

/// <summary>Ready when the registry's database answers.</summary>
internal sealed class RegistryCheck(CloudDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.IsAvailable(out string? error) ? HealthCheckResult.Healthy(database.Path) : HealthCheckResult.Unhealthy(error));
}
