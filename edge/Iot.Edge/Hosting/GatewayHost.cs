using Iot.Edge.Clock;
using Iot.Edge.Outbox;
using Iot.Edge.PackingLine;
using Iot.Edge.Sampling;
using Iot.Edge.Stamping;
using Iot.Edge.Status;
using Iot.Edge.Uplink;
using Iot.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Hosting;

/// <summary>Wiring shared by every part of the gateway, and the run that turns configuration errors into plain words.</summary>
public static class GatewayHost
{
    /// <summary>Exit code for a configuration the gateway cannot run with.</summary>
    public const int ConfigurationError = ServiceRun.ConfigurationError;

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

    /// <summary>Builds and runs the host; a configuration the gateway cannot run with ends it with a clear message and exit code 2.</summary>
    public static Task<int> RunAsync(Func<HostApplicationBuilder, IHost> build, string[] args, TextWriter error) =>
        ServiceRun.RunAsync("iot-gateway", () => Host.CreateApplicationBuilder(args), build, error);
}
