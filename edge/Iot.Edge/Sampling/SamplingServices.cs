using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iot.Edge.Sampling;

/// <summary>Wiring of sampling.</summary>
public static class SamplingServices
{
    /// <summary>The collector and the sampler (sensors come from the hardware wiring).</summary>
    public static IHostApplicationBuilder AddSampling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReadingCollector>();
        builder.Services.AddHostedService<Sampler>();
        return builder;
    }
}
