using Iot.Edge.Clock;
using Iot.Edge.Outbox;
using Iot.Edge.PackingLine;
using Iot.Edge.Sampling;
using Iot.Edge.Stamping;
using Iot.Edge.Status;
using Iot.Edge.Uplink;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Hosting;

/// <summary>Wiring shared by every part of the gateway, and the run that turns configuration errors into plain words.</summary>
public static class GatewayHost
{
    /// <summary>Exit code for a configuration the gateway cannot run with.</summary>
    public const int ConfigurationError = 2;

    /// <summary>The gateway's identity, clock, site (zones and batches) and hardware options.</summary>
    public static IHostApplicationBuilder AddGatewayCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddValidatedOptions<GatewayOptions>(builder.Configuration, GatewayOptions.Section);
        builder.Services.AddValidatedOptions<HardwareOptions>(builder.Configuration, HardwareOptions.Section);
        builder.Services.AddValidatedOptions<ClockOptions>(builder.Configuration, ClockOptions.Section);
        builder.Services.AddValidatedOptions<SamplingOptions>(builder.Configuration, SamplingOptions.Section);
        builder.Services.AddValidatedOptions<PackingLineOptions>(builder.Configuration, PackingLineOptions.Section);
        builder.Services.AddOptions<SiteOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SiteOptions>, SiteOptionsValidator>();
        builder.Services.AddSingleton<GatewayClock>();
        builder.Services.AddSingleton<Liveness>();
        builder.Services.AddSingleton<SensorHealthBoard>();
        builder.Services.AddSingleton(sp =>
        {
            var site = SiteFor(sp);
            string statePath = Path.Combine(
                Path.GetDirectoryName(Path.GetFullPath(sp.GetRequiredService<IOptions<OutboxOptions>>().Value.Path)) ?? ".",
                "stamps.json");
            return new BatchStamps(site.Zones.ToDictionary(z => z.Id, z => (IReadOnlyList<string>)z.Batches, StringComparer.Ordinal), statePath);
        });
        return builder;
    }

    /// <summary>The site as configured, or, for a simulated gateway with none configured, the demo farm.</summary>
    public static SiteOptions SiteFor(IServiceProvider services)
    {
        var site = services.GetRequiredService<IOptions<SiteOptions>>().Value;
        bool simulated = services.GetRequiredService<IOptions<HardwareOptions>>().Value.Simulated;
        return simulated && site.Zones.Count == 0 && site.Sensors.Count == 0 ? Simulation.DemoFarm.Site() : site;
    }

    /// <summary>Every options failure inside <paramref name="e"/> (one, or several gathered by the startup validator).</summary>
    static List<string> ValidationFailures(Exception e) => e switch
    {
        OptionsValidationException v => v.Failures.ToList(),
        AggregateException a => a.InnerExceptions.SelectMany(ValidationFailures).ToList(),
        _ => [],
    };

    /// <summary>Builds and runs the host; a configuration the gateway cannot run with ends it with a clear message and exit code 2.</summary>
    public static async Task<int> RunAsync(Func<HostApplicationBuilder, IHost> build, string[] args, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(error);
        IHost host;
        try
        {
            host = build(Host.CreateApplicationBuilder(args));
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync($"iot-gateway: cannot read the configuration: {e.Message} {e.InnerException?.Message}").ConfigureAwait(false);
            return ConfigurationError;
        }

        using (host)
        {
            try
            {
                // Validate every options class before the host starts, so a bad key is reported in plain words
                // rather than logged by the host as a failed start with a stack trace.
                host.Services.GetService<IStartupValidator>()?.Validate();
                await host.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (ValidationFailures(e) is { Count: > 0 } failures)
            {
                await error.WriteLineAsync("iot-gateway: the configuration is not valid:").ConfigureAwait(false);
                foreach (string failure in failures)
                {
                    await error.WriteLineAsync($"  {failure}").ConfigureAwait(false);
                }

                return ConfigurationError;
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException or FormatException)
            {
                await error.WriteLineAsync($"iot-gateway: cannot start: {e.Message}").ConfigureAwait(false);
                return ConfigurationError;
            }
        }
    }
}
