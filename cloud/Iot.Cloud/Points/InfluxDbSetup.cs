using Iot.Hosting;
using Iot.InfluxDb.Querying;
using Iot.InfluxDb.Writing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.Points;

/// <summary>
/// Creates the v1 database at start when <c>InfluxDb:CreateDatabase</c> is on (the default), retrying with backoff
/// while InfluxDB is not up yet. Writes that arrive earlier wait in the <see cref="PointWriter"/>, which retries them.
/// </summary>
public sealed partial class InfluxDbSetup(
    InfluxQueryClient query,
    IOptions<InfluxDbOptions> options,
    TimeProvider time,
    ILogger<InfluxDbSetup> logger) : BackgroundService
{
    /// <summary>Null once the database exists (or when there is nothing to create); otherwise why not yet.</summary>
    public string? NotDone { get; private set; } = "not tried yet";

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.ApiVersion != InfluxApiVersion.V1 || !o.CreateDatabase)
        {
            NotDone = null;
            return;
        }

        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The name is checked as a local id (letters, digits, . _ -) at start, so quoting it is enough.
                await query.ExecuteAsync(null, $"CREATE DATABASE \"{o.Database}\"", null, stoppingToken).ConfigureAwait(false);
                NotDone = null;
                LogCreated(logger, o.Database, o.Url!);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InfluxQueryException or HttpRequestException or OperationCanceledException)
            {
                NotDone = $"cannot create database '{o.Database}' at {o.Url}: {e.Message}";
                LogNotYet(logger, NotDone);
            }

            try
            {
                await Task.Delay(backoff.NextDelay(), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB database '{Database}' ready at {Url}")]
    static partial void LogCreated(ILogger logger, string database, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}; retrying")]
    static partial void LogNotYet(ILogger logger, string reason);
}
