using Iot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.Broker;

/// <summary>Wires the broker side of ingestion.</summary>
public static class BrokerServices
{
    /// <summary>The embedded MQTTnet server, or the shared subscription on an external broker (<c>Broker:Mode</c>).</summary>
    public static IHostApplicationBuilder AddBroker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<BrokerOptions>(builder.Configuration, BrokerOptions.Section);
        builder.Services.AddSingleton<BrokerState>();
        builder.Services.AddSingleton<EmbeddedBroker>();
        builder.Services.AddSingleton<SharedSubscription>();
        builder.Services.AddHostedService<BrokerRunner>();
        return builder;
    }

    /// <summary>Starts and stops the one the options choose (read when the host starts, after all configuration is in).</summary>
    sealed class BrokerRunner(IOptions<BrokerOptions> options, IServiceProvider services) : IHostedService
    {
        IHostedService? _running;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _running = options.Value.Mode == BrokerMode.External
                ? services.GetRequiredService<SharedSubscription>()
                : services.GetRequiredService<EmbeddedBroker>();
            return _running.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => _running?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }
}
