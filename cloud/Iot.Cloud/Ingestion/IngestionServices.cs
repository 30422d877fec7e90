using Iot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iot.Cloud.Ingestion;

/// <summary>Wires ingestion.</summary>
public static class IngestionServices
{
    /// <summary>The pipeline every message goes through, with <c>Ingestion:*</c>.</summary>
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<IngestionOptions>(builder.Configuration, IngestionOptions.Section);
        builder.Services.AddSingleton<IngestionPipeline>();
        return builder;
    }
}
