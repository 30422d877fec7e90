using Iot.Hosting;
using Iot.InfluxDb.Querying;
using Iot.InfluxDb.Writing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.Points;

/// <summary>Wires InfluxDB: the write client, the batching writer, the query client and the database setup.</summary>
public static class PointServices
{
    /// <summary>Everything that writes or reads points, from <c>InfluxDb:*</c>.</summary>
    public static IHostApplicationBuilder AddPoints(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<InfluxDbOptions>(builder.Configuration, InfluxDbOptions.Section);
        builder.Services.AddHttpClient(InfluxDbOptions.Section, http => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddSingleton(sp => new InfluxWriteClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(InfluxDbOptions.Section),
            sp.GetRequiredService<IOptions<InfluxDbOptions>>().Value.ToWriteOptions(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<InfluxDbOptions>>().Value;
            return new InfluxQueryClient(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(InfluxDbOptions.Section),
                new InfluxQueryOptions { BaseUri = o.Url!, Token = o.Token, Username = o.Username, Password = o.Password });
        });
        builder.Services.AddSingleton<PointWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PointWriter>());
        builder.Services.AddSingleton<InfluxDbSetup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InfluxDbSetup>());
        return builder;
    }
}
