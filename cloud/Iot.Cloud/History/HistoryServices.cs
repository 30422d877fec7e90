using Iot.Cloud.History.Rollups;
using Iot.Cloud.Points;
using Iot.Hosting;
using Iot.InfluxDb.Querying;
using Iot.InfluxDb.Writing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.History;

/// <summary>Wires <see cref="BatchHistory"/> onto the InfluxDB query client and options that <see cref="PointServices.AddPoints"/> registers.</summary>
public static class HistoryServices
{
    /// <summary>
    /// <see cref="BatchHistory"/>, reading the database of <c>InfluxDb:*</c> (v1: <c>Database</c>; v2: <c>Bucket</c>, through
    /// the v1 compatibility API) with the shared <see cref="InfluxQueryClient"/>. Call after <see cref="PointServices.AddPoints"/>.
    /// </summary>
    /// <remarks>
    /// Also the hourly rollups (cloud/README.md, History, "Rollups"): <see cref="DirtyHours"/> in the cloud's SQLite file
    /// (<c>AddStorage</c>), which the <see cref="PointWriter"/> marks and <see cref="BatchHistory"/> consults, and the
    /// <see cref="HourlyRollup"/> worker, every <c>Rollup:Interval</c>; not with InfluxDB 2.x (<c>InfluxDb:ApiVersion=V2</c>),
    /// whose v1 compatibility API does not run <c>SELECT ... INTO</c>: there every read is raw.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><see cref="PointServices.AddPoints"/> has not been called.</exception>
    public static IHostApplicationBuilder AddHistory(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(InfluxQueryClient)))
        {
            throw new InvalidOperationException("AddHistory reads through the InfluxDB client of AddPoints: call AddPoints first");
        }

        // InfluxDB 2.x's v1 compatibility API does not run SELECT ... INTO: there, history reads raw series only.
        bool rollups = !string.Equals(builder.Configuration[$"{InfluxDbOptions.Section}:ApiVersion"], nameof(InfluxApiVersion.V2), StringComparison.OrdinalIgnoreCase);
        builder.Services.AddValidatedOptions<RollupOptions>(builder.Configuration, RollupOptions.Section);
        builder.Services.AddSingleton<DirtyHours>();
        builder.Services.AddSingleton(sp => new HourlyRollup(
            sp.GetRequiredService<InfluxQueryClient>(),
            DatabaseOf(sp),
            sp.GetRequiredService<DirtyHours>(),
            sp.GetRequiredService<IOptions<RollupOptions>>().Value.Interval,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HourlyRollup>>()));
        if (rollups)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<HourlyRollup>());
        }

        builder.Services.AddSingleton<FirstStamps>();
        builder.Services.AddSingleton(sp => new BatchHistory(
            sp.GetRequiredService<InfluxQueryClient>(),
            DatabaseOf(sp),
            sp.GetRequiredService<TimeProvider>(),
            rollups ? sp.GetRequiredService<DirtyHours>() : null,
            sp.GetRequiredService<FirstStamps>()));
        return builder;
    }

    static string DatabaseOf(IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<InfluxDbOptions>>().Value;
        return o.ApiVersion == InfluxApiVersion.V2 ? o.Bucket! : o.Database;
    }
}
