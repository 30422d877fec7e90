using Iot.Cloud.Points;
using Iot.InfluxDb.Querying;
using Iot.InfluxDb.Writing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.History;

/// <summary>Wires <see cref="BatchHistory"/> onto the InfluxDB query client and options that <see cref="PointServices.AddPoints"/> registers.</summary>
public static class HistoryServices
{
    /// <summary>
    /// <see cref="BatchHistory"/>, reading the database of <c>InfluxDb:*</c> (v1: <c>Database</c>; v2: <c>Bucket</c>, through
    /// the v1 compatibility API) with the shared <see cref="InfluxQueryClient"/>. Call after <see cref="PointServices.AddPoints"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="PointServices.AddPoints"/> has not been called.</exception>
    public static IHostApplicationBuilder AddHistory(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(InfluxQueryClient)))
        {
            throw new InvalidOperationException("AddHistory reads through the InfluxDB client of AddPoints: call AddPoints first");
        }

        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<InfluxDbOptions>>().Value;
            return new BatchHistory(
                sp.GetRequiredService<InfluxQueryClient>(),
                o.ApiVersion == InfluxApiVersion.V2 ? o.Bucket! : o.Database,
                sp.GetRequiredService<TimeProvider>());
        });
        return builder;
    }
}
