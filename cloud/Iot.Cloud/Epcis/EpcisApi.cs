using System.Globalization;
using Iot.Cloud.History;
using Iot.Cloud.Registry;
using Iot.Cloud.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Iot.Cloud.Epcis;

/// <summary><c>GET /api/batches/{code}/epcis</c>: the batch's EPCIS 2.0 document (JSON-LD).</summary>
public static class EpcisApi
{
    /// <summary>The media type of an EPCIS 2.0 JSON-LD document.</summary>
    public const string MediaType = "application/ld+json";

    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapEpcisApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/batches/{code}/epcis", async (string code, HttpRequest request, IConfiguration configuration, RegistryStore store, BatchHistory history, TimeProvider time, CancellationToken ct) =>
            {
                if (store.FindBatch(code) is not { } batch)
                {
                    return RecordsApi.NotFound("batch", code);
                }

                var stays = store.StaysOf(code);
                var events = store.EventsOf(code);
                var (sensors, problem) = await HistoryApi.DailySummariesAsync(store, history, batch, stays, time, ct).ConfigureAwait(false);
                if (sensors is null)
                {
                    return problem!;
                }

                var partyIds = events.SelectMany(e => e.Links).Where(l => l.Kind == LinkKinds.Party)
                    .Select(l => long.Parse(l.Identifier, CultureInfo.InvariantCulture)).Distinct();
                var zoneIds = stays.Select(s => s.ZoneId).Concat(events.Select(e => e.ZoneId).OfType<string>())
                    .Concat(sensors.Select(s => s.ZoneId).OfType<string>()).Distinct(StringComparer.Ordinal);
                var record = new BatchRecord(
                    batch,
                    store.FindProduct(batch.ProductId)!,
                    store.FindParty(batch.ProducerId)!,
                    partyIds.Select(id => store.FindParty(id)).OfType<Party>().ToList(),
                    zoneIds.Select(store.FindZone).OfType<Zone>().ToList(),
                    stays,
                    events,
                    sensors,
                    PublicAddress.Of(request, configuration),
                    time.GetUtcNow());
                return Results.Text(EpcisJson.Write(new EpcisExport().Build(record)), MediaType);
            })
            .WithTags("Exports")
            .WithSummary("The batch's EPCIS 2.0 document (JSON-LD): its trace events, and its sensor record as daily interval aggregates (sensorElementList) with rawData links; national codes as agri: extensions")
            .AddEndpointFilter<InvalidRecordFilter>();
        return app;
    }
}
