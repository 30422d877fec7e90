using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Iot.Edge.Hosting;

/// <summary>
/// Feeds systemd's watchdog (<c>WatchdogSec=</c> in the unit sets <c>WATCHDOG_USEC</c>) at half its period, while
/// <see cref="Liveness"/> says every loop is alive. Does nothing when not run by systemd with a watchdog.
/// </summary>
public sealed partial class SystemdWatchdog(ISystemdNotifier notifier, Liveness liveness, TimeProvider time, ILogger<SystemdWatchdog> log) : BackgroundService
{
    static readonly ServiceState Feed = new("WATCHDOG=1");

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        if (!notifier.IsEnabled || !long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out long micros) || micros <= 0)
        {
            return;
        }

        var period = TimeSpan.FromMicroseconds(micros);
        using var timer = new PeriodicTimer(period / 2, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var stalled = liveness.Stalled(period);
                if (stalled.Count == 0)
                {
                    notifier.Notify(Feed);
                }
                else
                {
                    LogStalled(string.Join(", ", stalled));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Not feeding the systemd watchdog: {Parts} stalled")]
    partial void LogStalled(string parts);
}

/// <summary>Wiring of the watchdog.</summary>
public static class WatchdogServices
{
    /// <summary>Liveness heartbeats and the systemd watchdog feeder.</summary>
    public static IHostApplicationBuilder AddWatchdog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.AddHostedService<SystemdWatchdog>();
        return builder;
    }
}
