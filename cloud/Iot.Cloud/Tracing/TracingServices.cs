using Iot.Cloud.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iot.Cloud.Tracing;

/// <summary>Wires tracing and recall.</summary>
public static class TracingServices
{
    /// <summary>The <see cref="Tracer"/>.</summary>
    public static IHostApplicationBuilder AddTracing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Tracer>();
        return builder;
    }

    /// <summary>
    /// <c>GET /api/trace/{identifier}</c> (backward from a batch code, national code, crate EPC or HF UID),
    /// <c>GET /api/batches/{code}/forward</c>, <c>POST /api/batches/{code}/recall</c> <c>{"reason"}</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapTracingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Tracing").AddEndpointFilter<InvalidRecordFilter>();
        api.MapGet("/trace/{identifier}", (string identifier, Tracer tracer) =>
                tracer.Backward(identifier) is { } trace
                    ? Results.Ok(trace)
                    : Results.Problem(
                        statusCode: 404,
                        title: "Nothing known by that identifier",
                        detail: $"'{Iot.Contracts.Identifiers.IdentifierCheck.Printable(identifier)}' is not a registered batch code, a crate EPC or HF UID seen on a crate, or a linked national trace code"))
            .WithSummary("Backward trace: the batch (or batches, for a mixed crate), producer, product, zones, inputs, and what it was made from");
        api.MapGet("/batches/{code}/forward", (string code, Tracer tracer) =>
                tracer.Forward(code) is { } trace ? Results.Ok(trace) : RecordsApi.NotFound("batch", code))
            .WithSummary("Forward trace: every batch made from it, every crate, shipment and receiver (流向)");
        api.MapPost("/batches/{code}/recall", (string code, RecallRequest request, Tracer tracer) =>
            {
                string reason = RecordRules.Text("reason", request.Reason);
                return tracer.Recall(code, reason) is { } report ? Results.Ok(report) : RecordsApi.NotFound("batch", code);
            })
            .WithSummary("Recalls the batch and every batch made from it; returns everything affected");
        return app;
    }
}
