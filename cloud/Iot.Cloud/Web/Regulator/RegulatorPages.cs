using Iot.Cloud.Registry;
using Iot.Cloud.Tracing;
using Iot.Contracts.Identifiers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iot.Cloud.Web.Regulator;

/// <summary>
/// The regulator's pages (监管): search, a batch's page, and its forward trace with the recall action. Server-rendered
/// Razor components; the batch page's charts are drawn in the browser from <c>/api/batches/{code}/history</c>.
/// </summary>
public static class RegulatorPages
{
    /// <summary>The services the pages need: Razor component rendering (with antiforgery) and the search.</summary>
    public static IHostApplicationBuilder AddRegulatorPages(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton<RegulatorSearch>();
        return builder;
    }

    /// <summary>Maps the pages.</summary>
    public static IEndpointRouteBuilder MapRegulatorPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/regulator").ExcludeFromDescription();
        pages.MapGet("/", (string? q, HttpContext context, RegulatorSearch search) =>
        {
            var l = PageLanguage.Of(context, remember: true);
            return new RazorComponentResult<SearchPage>(new { L = l, SwitchUrl = l.SwitchUrl(context.Request), Result = search.Find(q) });
        });
        pages.MapGet("/batches/{code}", IResult (string code, HttpContext context, RegistryStore store, Tracer tracer) =>
        {
            var l = PageLanguage.Of(context, remember: true);
            if (BatchDossier.Of(Normalized(code), store, tracer) is not { } dossier)
            {
                return NotFound(context, l, code);
            }

            return new RazorComponentResult<BatchPage>(new
            {
                L = l,
                SwitchUrl = l.SwitchUrl(context.Request),
                Dossier = dossier,
                PartyName = PartyNames(store),
            });
        });
        pages.MapGet("/batches/{code}/recall", (string code, HttpContext context, RegistryStore store, Tracer tracer, IAntiforgery antiforgery) =>
            RecallPage(context, Normalized(code), store, tracer, antiforgery, report: null, error: null));
        pages.MapPost("/batches/{code}/recall", async (string code, HttpContext context, RegistryStore store, Tracer tracer, IAntiforgery antiforgery) =>
        {
            var l = PageLanguage.Of(context);
            string normalized = Normalized(code);
            if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
            {
                return RecallPage(context, normalized, store, tracer, antiforgery, null,
                    l.T("表单已过期或不是从本页提交的，请重新提交。", "The form expired or did not come from this page; please submit it again."), StatusCodes.Status400BadRequest);
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            string reason = form["reason"].ToString().Trim();
            string confirm = form["confirm"].ToString().Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
            string? error = reason.Length == 0 ? l.T("请填写召回原因。", "Please give the reason for the recall.")
                : reason.Length > 500 ? l.T("召回原因最多 500 字。", "The reason may have at most 500 characters.")
                : confirm != normalized ? l.T("确认的追溯码与本批次不符，未召回。", "The trace code typed to confirm is not this batch's; nothing was recalled.")
                : null;
            if (error is not null)
            {
                return RecallPage(context, normalized, store, tracer, antiforgery, null, error, StatusCodes.Status400BadRequest);
            }

            var report = tracer.Recall(normalized, reason);
            return RecallPage(context, normalized, store, tracer, antiforgery, report, null);
        });
        return app;
    }

    static IResult RecallPage(HttpContext context, string code, RegistryStore store, Tracer tracer, IAntiforgery antiforgery, RecallReport? report, string? error, int status = StatusCodes.Status200OK)
    {
        var l = PageLanguage.Of(context, remember: true);
        if (store.FindBatch(code) is not { } batch || tracer.Forward(code) is not { } forward)
        {
            return NotFound(context, l, code);
        }

        return new RazorComponentResult<RecallPage>(new
        {
            L = l,
            SwitchUrl = l.SwitchUrl(context.Request),
            Batch = batch,
            Forward = forward,
            Report = report,
            Error = error,
            Antiforgery = antiforgery.GetAndStoreTokens(context),
            BatchOf = (Func<string, Batch?>)store.FindBatch,
            ProductName = (Func<long, string?>)(id => store.FindProduct(id)?.Name),
            PartyName = PartyNames(store),
        })
        { StatusCode = status };
    }

    static RazorComponentResult<SearchPage> NotFound(HttpContext context, PageLanguage l, string code) =>
        new RazorComponentResult<SearchPage>(new
        {
            L = l,
            SwitchUrl = l.SwitchUrl(context.Request),
            Result = new SearchResult(code, SearchMatch.None, null, [], null),
        })
        { StatusCode = StatusCodes.Status404NotFound };

    static Func<long, string?> PartyNames(RegistryStore store)
    {
        var names = new Dictionary<long, string?>();
        return id => names.TryGetValue(id, out string? name) ? name : names[id] = store.FindParty(id)?.Name;
    }

    static string Normalized(string code) => BatchTraceCode.TryParseTyped(code, out var parsed, out _) ? parsed.Value : code.Trim().ToUpperInvariant();
}
