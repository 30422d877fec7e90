using System.Globalization;
using System.Net;
using System.Text;
using Iot.Cloud.Registry;
using Iot.Contracts.Identifiers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Iot.Cloud.Web;

/// <summary>
/// <c>GET /labels/{code}</c>: a printable sheet of a batch's labels, one per crate that holds the batch (the crate's EPC
/// or HF UID printed beside the label), or <c>?count=N</c> copies (1 to <see cref="MaxCount"/>). A4 label stock of
/// 3 × 8 labels of 70 × 35 mm, a page per 24; each label is the batch's svg label (<c>/labels/{code}.svg</c>, fetched
/// once by the browser) with the product's name. On screen a print button and the count form; in print only the
/// labels. Chinese first; English when the browser asks for it first or <c>?lang=en</c>.
/// </summary>
public static class LabelSheet
{
    /// <summary>The most copies one sheet request makes (about 21 pages).</summary>
    public const int MaxCount = 500;

    const int Columns = 3;
    const int Rows = 8;

    /// <summary>Maps the page (from <see cref="Labels.MapLabels"/>).</summary>
    internal static IEndpointRouteBuilder MapLabelSheet(this IEndpointRouteBuilder app)
    {
        app.MapGet("/labels/{code}", (string code, string? count, string? lang, HttpRequest request, IConfiguration configuration, RegistryStore store) =>
            {
                bool english = PageLanguage.Of(request.HttpContext).English;
                string T(string zh, string en) => english ? en : zh;
                string normalized = code.Trim().ToUpperInvariant();
                if (store.FindBatch(normalized) is not { } batch)
                {
                    return Html(PublicPage.Page(english, T("未找到", "Not found"),
                        $"<p>{T("没有这个追溯码的批次。", "No batch has this trace code.")}</p>"), StatusCodes.Status404NotFound);
                }

                int? copies = null;
                if (count is not null)
                {
                    if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n is < 1 or > MaxCount)
                    {
                        string given = WebUtility.HtmlEncode(count.Length <= 12 ? count : count[..12] + "...");
                        return Html(PublicPage.Page(english, T("份数有误", "Wrong count"),
                            $"<p>{T($"份数（count）须为 1 到 {MaxCount} 的整数，收到的是 “{given}”。", $"count must be a whole number from 1 to {MaxCount}; got “{given}”.")}</p>"),
                            StatusCodes.Status400BadRequest);
                    }

                    copies = n;
                }

                var product = store.FindProduct(batch.ProductId);
                var (target, _) = Labels.Content(PublicAddress.Of(request, configuration), batch, product);
                IReadOnlyList<EventLink?> labels = copies is { } c
                    ? Enumerable.Repeat<EventLink?>(null, c).ToList()
                    : [.. CratesOf(store.EventsOf(batch.Code))];
                return Html(Sheet(english, lang, batch, product, target, labels, copies), StatusCodes.Status200OK);
            })
            .WithTags("Labels")
            .WithSummary("A printable A4 sheet of a batch's labels: one per crate, or ?count=N copies");
        return app;
    }

    /// <summary>
    /// The crates that hold the batch, in the order they were first filled: those its <c>crateAssociated</c>,
    /// <c>weighed</c> and <c>shipped</c> events name, less those a later <c>crateRemoved</c> took out.
    /// </summary>
    public static IReadOnlyList<EventLink> CratesOf(IReadOnlyList<TraceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var crates = new List<EventLink>();
        foreach (var e in events)
        {
            foreach (var link in e.Links.Where(l => l.Role == LinkRoles.Crate))
            {
                int index = crates.FindIndex(c => c.Kind == link.Kind && c.Identifier == link.Identifier);
                if (e.Type == TraceEventTypes.CrateRemoved)
                {
                    if (index >= 0)
                    {
                        crates.RemoveAt(index);
                    }
                }
                else if (index < 0 && e.Type is TraceEventTypes.CrateAssociated or TraceEventTypes.Weighed or TraceEventTypes.Shipped)
                {
                    crates.Add(link);
                }
            }
        }

        return crates;
    }

    static string Sheet(bool english, string? lang, Batch batch, Product? product, string target, IReadOnlyList<EventLink?> labels, int? copies)
    {
        string T(string zh, string en) => english ? en : zh;
        string code = batch.Code;
        string grouped = BatchTraceCode.GroupedOrAsIs(code);
        string name = WebUtility.HtmlEncode(product?.Name ?? "");
        string keepLang = lang is null ? "" : $"lang={Uri.EscapeDataString(lang)}";
        string switchTo = $"?{(copies is { } n ? $"count={n}&amp;" : "")}lang={(english ? "zh" : "en")}";
        int perPage = Columns * Rows;
        int pages = (labels.Count + perPage - 1) / perPage;

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html><html lang="{{(english ? "en" : "zh-CN")}}"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{T("标签", "Labels")}} {{grouped}}</title>
            <style>
            @page { size: A4; margin: 8.5mm 0; }
            body { margin: 0; font: 15px/1.5 system-ui, sans-serif; }
            .controls { max-width: 210mm; margin: 1rem auto; padding: 0 1rem; }
            .controls .lang { text-align: right; }
            .controls code { word-break: break-all; }
            .page { width: 210mm; height: 280mm; display: grid; grid-template-columns: repeat({{Columns}}, 70mm); grid-template-rows: repeat({{Rows}}, 35mm); break-after: page; }
            .page:last-child { break-after: auto; }
            .label { box-sizing: border-box; height: 35mm; padding: 2mm; display: flex; gap: 2mm; align-items: center; overflow: hidden; break-inside: avoid; page-break-inside: avoid; }
            .label img { height: 31mm; width: auto; flex: none; }
            .label .text { font-size: 8pt; line-height: 1.3; min-width: 0; }
            .label .crate { display: block; margin-top: 1mm; font: 7pt/1.3 "DejaVu Sans Mono", monospace; word-break: break-all; }
            @media screen { body { background: #eee; } .page { background: #fff; margin: 0 auto 1rem; padding: 8.5mm 0; } .label { outline: 1px dashed #bbb; outline-offset: -1px; } }
            @media print { .controls { display: none; } }
            </style></head><body>
            <header class="controls">
            <p class="lang"><a href="{{switchTo}}">{{(english ? "中文" : "English")}}</a></p>
            <h1>{{T("标签：", "Labels: ")}}{{name}} {{grouped}}</h1>
            <p>{{T("二维码内容：", "QR code: ")}}<code>{{WebUtility.HtmlEncode(target)}}</code></p>
            """);
        html.Append("<p>")
            .Append(copies is null
                ? T($"每箱一张，共 {labels.Count} 张，{pages} 页。", $"One label per crate: {labels.Count} labels, {pages} page{(pages == 1 ? "" : "s")}.")
                : T($"{labels.Count} 张相同的标签，{pages} 页。", $"{labels.Count} copies, {pages} page{(pages == 1 ? "" : "s")}."))
            .Append("</p>");
        if (copies is null && labels.Count == 0)
        {
            html.Append("<p>").Append(T("这个批次还没有装箱记录。要打印若干张相同的标签，请填写份数。", "No crate holds this batch yet. To print copies of its label, give a count.")).Append("</p>");
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            <form method="get"><label>{T("份数", "Copies")} <input type="number" name="count" min="1" max="{MaxCount}" value="{copies ?? perPage}"></label>
            """);
        if (lang is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"lang\" value=\"{WebUtility.HtmlEncode(lang)}\">");
        }

        html.Append(CultureInfo.InvariantCulture, $"""
             <button type="submit">{T("生成", "Make")}</button> <a href="?{keepLang}">{T("每箱一张", "One per crate")}</a></form>
            <p><button type="button" onclick="window.print()">{T("打印", "Print")}</button>
            {T("请用 A4 标签纸（3 × 8，每张 70 × 35 毫米），按 100% 比例打印。", "Print on A4 label stock (3 × 8 labels of 70 × 35 mm) at 100 % scale.")}</p>
            </header>
            <main>
            """);
        string image = $"<img src=\"{code}.svg\" alt=\"{grouped}\">";
        for (int i = 0; i < labels.Count; i++)
        {
            if (i % perPage == 0)
            {
                html.Append(i == 0 ? "" : "</section>").Append("<section class=\"page\">");
            }

            html.Append("<div class=\"label\">").Append(image).Append("<div class=\"text\"><strong>").Append(name).Append("</strong>");
            if (labels[i] is { } crate)
            {
                string kind = crate.Kind == LinkKinds.Epc ? "EPC" : "UID";
                html.Append("<span class=\"crate\">").Append(T("箱 ", "Crate ")).Append(kind).Append("<br>")
                    .Append(WebUtility.HtmlEncode(crate.Identifier)).Append("</span>");
            }

            html.Append("</div></div>");
        }

        html.Append(labels.Count > 0 ? "</section>" : "").Append("</main></body></html>");
        return html.ToString();
    }

    static IResult Html(string page, int status) => Results.Content(page, "text/html; charset=utf-8", Encoding.UTF8, status);
}
