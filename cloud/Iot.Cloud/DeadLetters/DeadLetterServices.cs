using System.Globalization;
using System.Text;
using Iot.Cloud.Ingestion;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iot.Cloud.DeadLetters;

/// <summary>A dead letter as the API shows it: the payload as text when it is UTF-8, otherwise base64.</summary>
public sealed record DeadLetterView(
    long Id,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    long Times,
    string Topic,
    string ReasonCode,
    string Reason,
    string? ClientId,
    string? GatewayId,
    long? Seq,
    DateTimeOffset? ReplayedAt,
    string? ReplayOutcome,
    int PayloadBytes,
    string? PayloadText,
    string? PayloadBase64)
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The view of <paramref name="letter"/>.</summary>
    public static DeadLetterView Of(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        string? text;
        try
        {
            text = StrictUtf8.GetString(letter.Payload);
        }
        catch (DecoderFallbackException)
        {
            text = null;
        }

        return new DeadLetterView(
            letter.Id, letter.FirstAt, letter.LastAt, letter.Times, letter.Topic, letter.ReasonCode, letter.Reason, letter.ClientId,
            letter.GatewayId, letter.Seq, letter.ReplayedAt, letter.ReplayOutcome, letter.Payload.Length,
            text, text is null ? Convert.ToBase64String(letter.Payload) : null);
    }
}

/// <summary>What replaying a dead letter did.</summary>
public sealed record ReplayResult(long Id, string Outcome, int Points, string? Reason, long? NewDeadLetterId);

/// <summary>Wires the dead-letter store and its API.</summary>
public static class DeadLetterServices
{
    /// <summary>The store, in the cloud's database.</summary>
    public static IHostApplicationBuilder AddDeadLetters(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeadLetterStore>();
        return builder;
    }

    /// <summary>
    /// <c>GET /api/dead-letters?reason=&amp;gateway=&amp;before=&amp;limit=</c> (newest first),
    /// <c>GET /api/dead-letters/{id}</c>, <c>POST /api/dead-letters/{id}/replay</c>, and
    /// <c>POST /api/dead-letters/replay?reason=&amp;gateway=&amp;before=&amp;limit=</c> to replay the open ones (not
    /// replayed yet, or refused again) after a fix. A malformed argument is a 400 problem naming it; an unknown id a 404.
    /// </summary>
    public static IEndpointRouteBuilder MapDeadLetterApi(this IEndpointRouteBuilder app)
    {
        var letters = app.MapGroup("/api/dead-letters").WithTags("Dead letters");
        letters.MapGet("/", (DeadLetterStore store, string? reason, string? gateway, string? before, string? limit) =>
        {
            var q = Query.Parse(reason, before, limit);
            return q.Error ?? Results.Ok(store.List(q.Limit, reason, gateway, q.Before).Select(DeadLetterView.Of));
        });
        letters.MapGet("/{id}", (string id, DeadLetterStore store) =>
            ParseId(id, out long n) is { } invalid ? invalid
            : store.Get(n) is { } letter ? Results.Ok(DeadLetterView.Of(letter)) : NotFound(n));
        letters.MapPost("/{id}/replay", async (string id, DeadLetterStore store, IngestionPipeline pipeline, TimeProvider time, CancellationToken ct) =>
            ParseId(id, out long n) is { } invalid ? invalid
            : store.Get(n) is { } letter ? Results.Ok(await ReplayAsync(letter, store, pipeline, time, ct)) : NotFound(n));
        letters.MapPost("/replay", async (DeadLetterStore store, IngestionPipeline pipeline, TimeProvider time, string? reason, string? gateway, string? before, string? limit, CancellationToken ct) =>
        {
            var q = Query.Parse(reason, before, limit);
            if (q.Error is { } error)
            {
                return error;
            }

            var results = new List<ReplayResult>();
            foreach (var letter in store.List(q.Limit, reason, gateway, q.Before, openOnly: true).Reverse())
            {
                results.Add(await ReplayAsync(letter, store, pipeline, time, ct));
            }

            return Results.Ok(results);
        });
        return app;
    }

    /// <summary>The query arguments of the listing and of bulk replay, checked.</summary>
    readonly record struct Query(long? Before, int Limit, IResult? Error)
    {
        public static Query Parse(string? reason, string? before, string? limit)
        {
            if (reason is not null && !Refusal.TryParse(reason, out _))
            {
                return Invalid("reason", $"'{reason}' is not a reason code; use one of {string.Join(", ", Enum.GetValues<RefusalCode>().Select(Refusal.Name))}");
            }

            long? beforeId = null;
            if (before is not null)
            {
                if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out long b))
                {
                    return Invalid("before", $"'{before}' is not a dead letter id (a whole number)");
                }

                beforeId = b;
            }

            int count = 100;
            if (limit is not null && (!int.TryParse(limit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count) || count is < 1 or > 1000))
            {
                return Invalid("limit", $"'{limit}' is not a number between 1 and 1000");
            }

            return new Query(beforeId, count, null);
        }

        static Query Invalid(string field, string reason) =>
            new(null, 0, Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] }, title: $"The argument '{field}' is not valid"));
    }

    static IResult? ParseId(string id, out long n) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out n)
            ? null
            : Results.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"'{id}' is not a dead letter id (a whole number)"] }, title: "The argument 'id' is not valid");

    /// <summary>
    /// Sends the stored message through ingestion again, as if it had just arrived from the same client. Refused again
    /// for the same reason, the letter stays open (and is not counted as another arrival); otherwise it is replayed.
    /// </summary>
    static async Task<ReplayResult> ReplayAsync(DeadLetter letter, DeadLetterStore store, IngestionPipeline pipeline, TimeProvider time, CancellationToken ct)
    {
        var outcome = await pipeline.IngestAsync(new IncomingMessage(letter.Topic, letter.Payload, letter.ClientId, time.GetUtcNow(), ReplayOf: letter.Id), ct);
        string status = outcome.Status.ToString();
        bool refusedAgain = outcome.DeadLetterId == letter.Id;
        store.MarkReplayed(letter.Id, outcome.Reason is null ? status : $"{status}: {outcome.Reason}", done: !refusedAgain);
        return new ReplayResult(letter.Id, status, outcome.Points, outcome.Reason, refusedAgain ? null : outcome.DeadLetterId);
    }

    static IResult NotFound(long id) => Results.Problem(statusCode: 404, title: "No such dead letter", detail: $"there is no dead letter {id}");
}
