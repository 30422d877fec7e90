using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Iot.Cloud.Registry;

/// <summary>
/// The registry's records over REST: <c>/api/parties</c>, <c>/api/products</c>, <c>/api/batches</c>, <c>/api/zones</c>,
/// <c>/api/events</c>, and binding a gateway to its party. A refused record is an RFC 7807 validation problem naming
/// the field and the reason (<see cref="InvalidRecordFilter"/>).
/// </summary>
public static class RecordsApi
{
    /// <summary>The header a party sends its access key in to see its own record unmasked.</summary>
    public const string AccessKeyHeader = "X-Party-Key";

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Registry").AddEndpointFilter<InvalidRecordFilter>();

        api.MapGet("/parties", (RegistryStore store, string? search, string? division, int? limit) => store.ListParties(search, division, limit ?? 100))
            .WithSummary("Parties (主体) by name, credit code or national entity code, or by administrative division prefix");
        api.MapPost("/parties", (PartyDraft draft, RegistryStore store) =>
            {
                var (party, created, accessKey) = store.RegisterParty(draft);
                return created
                    ? Results.Created($"/api/parties/{party.Id}", new PartyCreated(party, accessKey!))
                    : Results.Ok(new PartyCreated(party, null));
            })
            .WithSummary("Registers a party; a new party's access key is shown once (send it as X-Party-Key to see the record unmasked)");
        api.MapGet("/parties/{id:long}", (long id, HttpRequest request, RegistryStore store) =>
                store.FindParty(id, request.Headers[AccessKeyHeader].FirstOrDefault()) is { } party ? Results.Ok(party) : NotFound("party", id.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .WithSummary("A party; the resident identity number of a household is masked unless X-Party-Key is its own key");

        api.MapGet("/products", (RegistryStore store) => store.ListProducts());
        api.MapPost("/products", (ProductDraft draft, RegistryStore store) =>
        {
            var (product, created) = store.RegisterProduct(draft);
            return created ? Results.Created($"/api/products/{product.Id}", product) : Results.Ok(product);
        });
        api.MapGet("/products/{id:long}", (long id, RegistryStore store) =>
            store.FindProduct(id) is { } product ? Results.Ok(product) : NotFound("product", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        api.MapGet("/batches", (RegistryStore store, long? producer, string? status, int? limit) =>
                store.ListBatches(producer, status is null ? null : RecordRules.Choice<BatchStatus>("status", status), limit ?? 100))
            .WithSummary("Batches, newest first");
        api.MapPost("/batches", (BatchDraft draft, RegistryStore store) =>
            {
                var (batch, created) = store.RegisterBatch(draft);
                return created ? Results.Created($"/api/batches/{batch.Code}", batch) : Results.Ok(batch);
            })
            .WithSummary("Registers a batch; its trace code is issued here unless given (a code printed before)");
        api.MapGet("/batches/{code}", (string code, RegistryStore store) =>
                BatchView.Of(store, code) is { } view ? Results.Ok(view) : NotFound("batch", code))
            .WithSummary("A batch with its product, producer (masked), zone stays and events");
        api.MapPut("/batches/{code}/national-code", (string code, NationalCodeLink link, RegistryStore store) =>
                store.FindBatch(code) is null ? NotFound("batch", code) : Results.Ok(store.LinkNationalCode(code, link.NationalCode)))
            .WithSummary("Links the batch to the national platform's trace code (追溯码)");
        api.MapGet("/batches/{code}/events", (string code, RegistryStore store) =>
            store.FindBatch(code) is null ? NotFound("batch", code) : Results.Ok(store.EventsOf(code)));

        api.MapGet("/zones", (RegistryStore store, long? party) => store.ListZones(party));
        api.MapPost("/zones", (ZoneDraft draft, RegistryStore store) =>
            {
                var (zone, created) = store.RegisterZone(draft);
                return created ? Results.Created($"/api/zones/{zone.Id}", zone) : Results.Ok(zone);
            })
            .WithSummary("Registers a zone or line, bound to a gateway's zone id when it has sensors");
        api.MapGet("/zones/{id}", (string id, RegistryStore store) => store.FindZone(id) is { } zone ? Results.Ok(zone) : NotFound("zone", id));

        api.MapPost("/events", (EventDraft draft, RegistryStore store) =>
            {
                var recorded = store.RecordEvent(draft);
                return Results.Created($"/api/events/{recorded.Id}", recorded);
            })
            .WithSummary("Records a trace event stated by a person (harvest, shipment, receipt, transformation, input, crate, weight, zone move)");
        api.MapGet("/events/{id:long}", (long id, RegistryStore store) =>
            store.FindEvent(id) is { } found ? Results.Ok(found) : NotFound("event", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        api.MapPut("/gateways/{id}/party", (string id, GatewayBinding binding, RegistryStore store) =>
            {
                store.BindGateway(id, binding.PartyId ?? throw new InvalidRecordException("partyId", "is required"));
                return Results.NoContent();
            })
            .WithSummary("Binds a gateway to the party that runs it");
        return app;
    }

    /// <summary>A 404 problem naming what was not found.</summary>
    public static IResult NotFound(string what, string id) =>
        Results.Problem(statusCode: 404, title: $"No such {what}", detail: $"{what} '{id}' is not registered");
}

/// <summary>A party just registered, with its access key (shown only this once).</summary>
public sealed record PartyCreated(Party Party, string? AccessKey);

/// <summary>The body of <c>PUT /api/gateways/{id}/party</c>.</summary>
public sealed record GatewayBinding(long? PartyId);

/// <summary>A batch with what a reader needs around it.</summary>
public sealed record BatchView(Batch Batch, Product? Product, Party? Producer, IReadOnlyList<ZoneStay> Stays, IReadOnlyList<Zone> Zones, IReadOnlyList<TraceEvent> Events)
{
    /// <summary>The view of batch <paramref name="code"/>, or null when it is not registered.</summary>
    public static BatchView? Of(RegistryStore store, string code)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.FindBatch(code) is not { } batch)
        {
            return null;
        }

        var stays = store.StaysOf(code);
        return new BatchView(
            batch,
            store.FindProduct(batch.ProductId),
            store.FindParty(batch.ProducerId),
            stays,
            stays.Select(s => s.ZoneId).Distinct().Select(store.FindZone).OfType<Zone>().ToList(),
            store.EventsOf(code));
    }
}

/// <summary>Turns a refused record into an RFC 7807 validation problem naming the field and the reason.</summary>
public sealed class InvalidRecordFilter : IEndpointFilter
{
    /// <inheritdoc/>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (InvalidRecordException e)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { [e.Field.Length == 0 ? "record" : e.Field] = [e.Reason] },
                title: "The record is refused",
                detail: e.Message);
        }
    }
}
