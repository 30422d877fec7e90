using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Iot.Cloud.Health;

/// <summary>
/// <c>/healthz/live</c>: the process answers (restart it if not). <c>/healthz/ready</c>: it can take traffic, or 503
/// naming what is not ready: <c>broker</c>, <c>influxdb</c>, <c>registry</c>.
/// </summary>
public static class HealthServices
{
    const string Ready = "ready";

    /// <summary>The readiness checks.</summary>
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<BrokerCheck>("broker", tags: [Ready])
            .AddCheck<InfluxDbCheck>("influxdb", tags: [Ready])
            .AddCheck<RegistryCheck>("registry", tags: [Ready]);
        return builder;
    }

    /// <summary>Maps the two endpoints.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        return app;
    }

    static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(
                e => e.Key,
                e => new Dictionary<string, string?> { ["status"] = e.Value.Status.ToString(), ["description"] = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
