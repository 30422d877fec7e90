using System.Globalization;
using Iot.Cloud.Registry;
using Iot.InfluxDb.Querying;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Iot.Cloud.History;

/// <summary>
/// A batch's sensor record over HTTP: <c>GET /api/batches/{code}/history?from=&amp;to=&amp;points=</c> (downsampled series
/// with their gaps) and <c>GET /api/batches/{code}/series.csv?measurement=&amp;unit=&amp;gateway=&amp;zone=&amp;sensor=&amp;from=&amp;to=</c>
/// (one series' raw readings, what an export's <c>rawData</c> points at).
/// </summary>
public static class HistoryApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/batches/{code}").WithTags("History").AddEndpointFilter<InvalidRecordFilter>();
        api.MapGet("/history", async (string code, DateTimeOffset? from, DateTimeOffset? to, int? points, RegistryStore store, BatchHistory history, TimeProvider time, HttpResponse response, CancellationToken ct) =>
            {
                long started = time.GetTimestamp();
                if (store.FindBatch(code) is not { } batch)
                {
                    return RecordsApi.NotFound("batch", code);
                }

                var stays = store.StaysOf(code);
                int wanted = points is { } p ? (p is >= 10 and <= 10_000 ? p : throw new InvalidRecordException("points", "must be between 10 and 10000")) : BatchHistory.DefaultPointsPerSeries;
                return await Answer(async () =>
                {
                    var (start, end) = await WindowAsync(store, history, batch, stays, from, to, time, ct).ConfigureAwait(false);
                    long windowed = time.GetTimestamp();
                    var record = await history.ReadAsync(code, stays, start, end, wanted, ct).ConfigureAwait(false);

                    // How long finding the window and reading the record took, for browsers' timing panels and the web bench.
                    response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture,
                        $"window;dur={time.GetElapsedTime(started, windowed).TotalMilliseconds:F1}, read;dur={time.GetElapsedTime(windowed).TotalMilliseconds:F1}");

                    // A record grows while readings arrive: never served from a cache.
                    response.Headers.CacheControl = "no-store";
                    return record;
                }).ConfigureAwait(false);
            })
            .WithSummary("The batch's sensor record: every series stamped with its code and every series of the zones it occupied during its stays, downsampled (min, max, mean, count per interval); gaps listed, never interpolated");
        api.MapGet("/series.csv", async (string code, string? measurement, string? unit, string? gateway, string? zone, string? sensor, DateTimeOffset? from, DateTimeOffset? to, RegistryStore store, BatchHistory history, TimeProvider time, HttpResponse response, CancellationToken ct) =>
            {
                if (store.FindBatch(code) is not { } batch)
                {
                    return RecordsApi.NotFound("batch", code);
                }

                var key = new SeriesKey(
                    RecordRules.Text("measurement", measurement),
                    RecordRules.Text("unit", unit),
                    RecordRules.LocalIdentifier("gateway", gateway, "gateway id"),
                    RecordRules.LocalIdentifier("zone", zone, "zone id"),
                    RecordRules.LocalIdentifier("sensor", sensor, "sensor id"));
                var text = new StringWriter(CultureInfo.InvariantCulture);
                try
                {
                    var (start, end) = await WindowAsync(store, history, batch, store.StaysOf(code), from, to, time, ct).ConfigureAwait(false);
                    await history.WriteRawCsvAsync(key, new TimeRange(start, end), text, ct).ConfigureAwait(false);
                }
                catch (ArgumentException e)
                {
                    throw new InvalidRecordException("measurement", e.Message);
                }
                catch (InfluxQueryException e)
                {
                    return Unavailable(e);
                }

                response.Headers.ContentDisposition = $"attachment; filename=\"{code}-{key.GatewayId}-{key.SensorId}-{key.Measurement}.csv\"";
                return Results.Text(text.ToString(), "text/csv; charset=utf-8");
            })
            .WithSummary("One series' raw readings in the window, as CSV (time,value,unit,quality,batch)");
        return app;
    }

    /// <summary>
    /// The window asked for, or by default the batch's life: from its registration, first stay, first event or first
    /// stamped reading (a batch is often registered after its gateway started stamping it), whichever is earliest,
    /// until now.
    /// </summary>
    /// <exception cref="InfluxQueryException">InfluxDB did not answer (when the first stamped reading is needed).</exception>
    public static async Task<(DateTimeOffset From, DateTimeOffset To)> WindowAsync(
        RegistryStore store, BatchHistory history, Batch batch, IReadOnlyList<ZoneStay> stays, DateTimeOffset? from, DateTimeOffset? to, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(stays);
        ArgumentNullException.ThrowIfNull(time);
        var end = to ?? time.GetUtcNow();
        var start = from ?? new[] { batch.CreatedAt }
            .Concat(stays.Select(s => s.EnteredAt))
            .Concat(store.FirstEventTimeOf(batch.Code) is { } firstEvent ? [firstEvent] : [])
            .Concat(await history.FirstStampedAsync(batch.Code, ct).ConfigureAwait(false) is { } stamped ? [stamped] : [])
            .Min();
        if (start >= end)
        {
            throw new InvalidRecordException(from is null ? "to" : "from", $"the window must start before it ends ({Times.Text(start)} is not before {Times.Text(end)})");
        }

        return (start, end);
    }

    /// <summary>
    /// The batch's sensor record for exports: per series, one summary a day over the batch's life (gaps included); or,
    /// when InfluxDB does not answer, the 503 problem to return instead.
    /// </summary>
    public static async Task<(IReadOnlyList<SensorSummary>? Summaries, IResult? Problem)> DailySummariesAsync(
        RegistryStore store, BatchHistory history, Batch batch, IReadOnlyList<ZoneStay> stays, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            var (from, to) = await WindowAsync(store, history, batch, stays, null, null, time, ct).ConfigureAwait(false);
            return (await history.SummariseAsync(batch.Code, stays, from, to, cancellationToken: ct).ConfigureAwait(false), null);
        }
        catch (InfluxQueryException e)
        {
            return (null, Unavailable(e));
        }
    }

    static async Task<IResult> Answer<T>(Func<Task<T>> read)
    {
        try
        {
            return Results.Ok(await read().ConfigureAwait(false));
        }
        catch (InfluxQueryException e)
        {
            return Unavailable(e);
        }
    }

    static IResult Unavailable(InfluxQueryException e) =>
        Results.Problem(statusCode: 503, title: "The time series are not available", detail: $"InfluxDB did not answer: {e.Message}");
}
