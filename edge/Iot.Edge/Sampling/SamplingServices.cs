using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iot.Edge.Sampling;

/// <summary>Wiring of sampling.</summary>
public static class SamplingServices
{
    /// <summary>
    /// The announcement of configured batches, the collector and the sampler (sensors come from the hardware wiring).
    /// </summary>
    public static IHostApplicationBuilder AddSampling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<Stamping.ConfiguredBatchesAnnouncement>();
        builder.Services.AddSingleton<ReadingCollector>();
        builder.Services.AddHostedService<Sampler>();
        return builder;
    }
}
