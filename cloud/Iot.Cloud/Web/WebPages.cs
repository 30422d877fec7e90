using System.Net;
using System.Text;
using Iot.Cloud.DeadLetters;
using Iot.Cloud.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Iot.Cloud.Web;

/// <summary>
/// The status page, <c>/</c>: what this service is doing (gateways, dead letters, where the API, health and metrics
/// are). The public page is <see cref="PublicPage"/>, the regulator's pages <see cref="Regulator.RegulatorPages"/>, labels
/// <see cref="Labels"/>.
/// </summary>
public static class WebPages
{
    /// <summary>Maps the pages.</summary>
    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (GatewayRegistry registry, GatewayStatusBoard statuses, DeadLetterStore deadLetters) =>
        {
            var html = new StringBuilder();
            html.Append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>农产品追溯 · Farm trace telemetry</title>")
                .Append("<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}td,th{padding:.2rem .8rem;text-align:left}</style></head><body>")
                .Append("<h1>农产品追溯 · Farm trace telemetry</h1><p><a href=\"/regulator\">监管 · Regulator pages</a></p><h2>网关 · Gateways</h2><table><tr><th>id</th><th>name</th><th>registered</th><th>状态 · state</th><th>last status</th><th>outbox</th><th>dropped</th></tr>");
            foreach (var gateway in registry.List())
            {
                html.Append("<tr><td>").Append(WebUtility.HtmlEncode(gateway.Id)).Append("</td><td>").Append(WebUtility.HtmlEncode(gateway.Name))
                    .Append("</td><td>").Append(gateway.RegisteredAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)).Append("</td>");
                if (statuses.Find(gateway.Id) is { } status)
                {
                    html.Append("<td>").Append(status.State == "online" ? "在线 online" : "离线 offline").Append("</td><td>")
                        .Append(status.ReceivedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)).Append("</td><td>")
                        .Append(status.Outbox?.Depth.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "").Append("</td><td>")
                        .Append(status.Outbox?.DroppedReadings.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "").Append("</td></tr>");
                }
                else
                {
                    html.Append("<td colspan=\"4\">no status since the cloud started</td></tr>");
                }
            }

            var (rows, times) = deadLetters.Count();
            html.Append("</table><h2>拒收消息 · Dead letters</h2><p>")
                .Append(rows).Append(" stored (").Append(times).Append(" refusals): <a href=\"/api/dead-letters\">/api/dead-letters</a></p>")
                .Append("<h2>运行 · Operations</h2><ul><li><a href=\"/healthz/ready\">/healthz/ready</a></li><li><a href=\"/metrics\">/metrics</a></li>")
                .Append("<li><a href=\"/api/gateways\">/api/gateways</a></li></ul></body></html>");
            return Results.Content(html.ToString(), "text/html; charset=utf-8");
        });
        return app;
    }
}
