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
    /// <c>POST /api/dead-letters/replay?reason=&amp;gateway=&amp;limit=</c> to replay many after a fix.
    /// </summary>
    public static IEndpointRouteBuilder MapDeadLetterApi(this IEndpointRouteBuilder app)
    {
        var letters = app.MapGroup("/api/dead-letters").WithTags("Dead letters");
        letters.MapGet("/", (DeadLetterStore store, string? reason, string? gateway, long? before, int? limit) =>
        {
            if (reason is not null && !Refusal.TryParse(reason, out _))
            {
                return Results.ValidationProblem(
                    new Dictionary<string, string[]> { ["reason"] = [$"'{reason}' is not a reason code; use one of {string.Join(", ", Enum.GetValues<RefusalCode>().Select(Refusal.Name))}"] });
            }

            if (limit is < 1 or > 1000)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["must be between 1 and 1000"] });
            }

            return Results.Ok(store.List(limit ?? 100, reason, gateway, before).Select(DeadLetterView.Of));
        });
        letters.MapGet("/{id:long}", (long id, DeadLetterStore store) =>
            store.Get(id) is { } letter ? Results.Ok(DeadLetterView.Of(letter)) : NotFound(id));
        letters.MapPost("/{id:long}/replay", async (long id, DeadLetterStore store, IngestionPipeline pipeline, TimeProvider time, CancellationToken ct) =>
            store.Get(id) is { } letter ? Results.Ok(await ReplayAsync(letter, store, pipeline, time, ct)) : NotFound(id));
        letters.MapPost("/replay", async (DeadLetterStore store, IngestionPipeline pipeline, TimeProvider time, string? reason, string? gateway, int? limit, CancellationToken ct) =>
        {
            if (reason is not null && !Refusal.TryParse(reason, out _))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"'{reason}' is not a reason code"] });
            }

            var results = new List<ReplayResult>();
            foreach (var letter in store.List(Math.Clamp(limit ?? 100, 1, 1000), reason, gateway).Where(l => l.ReplayedAt is null).Reverse())
            {
                results.Add(await ReplayAsync(letter, store, pipeline, time, ct));
            }

            return Results.Ok(results);
        });
        return app;
    }

    /// <summary>Sends the stored message through ingestion again, as if it had just arrived from the same client.</summary>
    static async Task<ReplayResult> ReplayAsync(DeadLetter letter, DeadLetterStore store, IngestionPipeline pipeline, TimeProvider time, CancellationToken ct)
    {
        var outcome = await pipeline.IngestAsync(new IncomingMessage(letter.Topic, letter.Payload, letter.ClientId, time.GetUtcNow()), ct);
        string status = outcome.Status.ToString();
        store.MarkReplayed(letter.Id, outcome.Reason is null ? status : $"{status}: {outcome.Reason}");
        return new ReplayResult(letter.Id, status, outcome.Points, outcome.Reason, outcome.DeadLetterId == letter.Id ? null : outcome.DeadLetterId);
    }

    static IResult NotFound(long id) => Results.Problem(statusCode: 404, title: "No such dead letter", detail: $"there is no dead letter {id}");
}
