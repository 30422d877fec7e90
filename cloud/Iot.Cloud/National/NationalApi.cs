using Iot.Cloud.History;
using Iot.Cloud.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Iot.Cloud.National;

/// <summary>
/// The national platform's records over HTTP: <c>POST /api/national/import?kind=</c> (a CSV file of one kind, or the
/// JSON document of all three) and <c>GET /api/batches/{code}/exchange</c> (the per-batch exchange document).
/// </summary>
public static class NationalApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapNationalApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("National records").AddEndpointFilter<InvalidRecordFilter>();
        api.MapPost("/national/import", async (HttpRequest request, string? kind, NationalImport import, NationalImportLimits limits, CancellationToken ct) =>
            {
                // Read the body (up to one byte past the limit, so the import can say it is too big) without blocking a thread.
                using var body = new MemoryStream();
                var buffer = new byte[81920];
                int read;
                while (body.Length <= limits.MaxBytes && (read = await request.Body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    body.Write(buffer, 0, (int)Math.Min(read, limits.MaxBytes + 1 - body.Length));
                }

                body.Position = 0;
                bool json = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
                var report = json ? import.ImportJson(body) : import.ImportCsv(kind ?? "", body);
                return report.Refusal is null ? Results.Ok(report) : Results.BadRequest(report);
            })
            .Accepts<string>("text/csv", "application/json")
            .WithSummary("Imports the national platform's parties, products or trace codes (CSV with ?kind=parties|products|traceCodes, or one JSON document); returns what was accepted, unchanged, warned and rejected, row by row");
        api.MapGet("/batches/{code}/exchange", async (string code, RegistryStore store, BatchHistory history, TimeProvider time, CancellationToken ct) =>
            {
                if (store.FindBatch(code) is not { } batch)
                {
                    return RecordsApi.NotFound("batch", code);
                }

                var stays = store.StaysOf(code);
                var (sensors, problem) = await HistoryApi.DailySummariesAsync(store, history, batch, stays, time, ct).ConfigureAwait(false);
                if (sensors is null)
                {
                    return problem!;
                }

                var document = NationalExchange.Build(
                    batch, store.FindProduct(batch.ProductId)!, store.FindParty(batch.ProducerId)!, store.EventsOf(code), sensors, time.GetUtcNow());
                return Results.Json(document, NationalJson.Options);
            })
            .WithSummary("The batch's exchange document for the national platform: national codes, events, and a daily sensor summary per measurement type (gaps as gaps)");
        return app;
    }
}
