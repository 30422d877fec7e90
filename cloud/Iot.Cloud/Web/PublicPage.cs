using System.Globalization;
using System.Net;
using System.Text;
using Iot.Cloud.History;
using Iot.Cloud.Registry;
using Iot.Contracts.Identifiers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Iot.Cloud.Web;

/// <summary>
/// <c>/t/{code}</c>: what a shopper sees after scanning a label. Product, producer name and region, key dates, a recall
/// warning when there is one, and a plain summary of the sensor record ("N days, no gaps" or the days with gaps). No
/// personal data (never a resident identity number, an operator's name or a credit code), no internal ids, no raw
/// series. Chinese first; English when the browser asks for it first or <c>?lang=en</c>.
/// </summary>
public static class PublicPage
{
    /// <summary>Maps the page.</summary>
    public static IEndpointRouteBuilder MapPublicPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/t/{code}", async (string code, HttpRequest request, RegistryStore store, BatchHistory history, TimeProvider time, CancellationToken ct) =>
        {
            bool english = PageLanguage.Of(request.HttpContext).English;
            string T(string zh, string en) => english ? en : zh;
            string normalized = code.Trim().ToUpperInvariant();
            if (store.FindBatch(normalized) is not { } batch)
            {
                return Results.Content(Page(english, T("未找到", "Not found"),
                    $"<p>{T("没有这个追溯码的批次。请核对标签上的 16 位追溯码。", "No batch has this trace code. Please check the 16-character code on the label.")}</p>"),
                    "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);
            }

            var product = store.FindProduct(batch.ProductId);
            var producer = store.FindParty(batch.ProducerId);
            var stays = store.StaysOf(batch.Code);
            var events = store.EventsOf(batch.Code);
            var (summaries, _) = await HistoryApi.DailySummariesAsync(store, history, batch, stays, time, ct).ConfigureAwait(false);

            var body = new StringBuilder();
            if (batch.Status == BatchStatus.Recalled)
            {
                body.Append("<p class=\"recall\"><strong>").Append(T("该批次已召回，请勿食用。", "This batch has been recalled. Do not eat it."))
                    .Append("</strong>");
                if (batch.RecalledAt is { } at)
                {
                    body.Append(' ').Append(T("召回日期：", "Recalled on ")).Append(Date(at));
                }

                body.Append("</p>");
            }

            body.Append("<dl>");
            Row(body, T("追溯码", "Trace code"), WebUtility.HtmlEncode(BatchTraceCode.GroupedOrAsIs(batch.Code)));
            if (batch.NationalCode is { } national)
            {
                Row(body, T("国家追溯码", "National trace code"), WebUtility.HtmlEncode(national));
            }

            if (producer is not null)
            {
                Row(body, T("生产者", "Producer"), WebUtility.HtmlEncode(producer.Name));
                if (Provinces.ByPrefix.TryGetValue(producer.DivisionCode[..2], out var province))
                {
                    Row(body, T("产地", "Region"), WebUtility.HtmlEncode(english ? province.English : province.Chinese));
                }
            }

            var firstStay = stays.Count > 0 ? stays[0].EnteredAt : (DateTimeOffset?)null;
            DateTimeOffset? First(string type) => events.FirstOrDefault(e => e.Type == type)?.Time;
            foreach (var (label, at) in new[]
            {
                (T("种植/入棚", "Planted"), firstStay),
                (T("采收", "Harvested"), First(TraceEventTypes.Harvested)),
                (T("包装", "Packed"), First(TraceEventTypes.CrateAssociated)),
                (T("发货", "Shipped"), First(TraceEventTypes.Shipped)),
            })
            {
                if (at is { } when)
                {
                    Row(body, label, Date(when));
                }
            }

            Row(body, T("传感器记录", "Sensor record"), SensorRecord(summaries, english));
            body.Append("</dl>");
            string title = WebUtility.HtmlEncode(product?.Name ?? batch.Code);
            return Results.Content(Page(english, title, body.ToString(), batch.Code), "text/html; charset=utf-8", Encoding.UTF8);
        });
        return app;
    }

    /// <summary>
    /// "N days, no gaps", or the days on which some sensor of the record has no reading, as date ranges; days are UTC.
    /// </summary>
    public static string SensorRecord(IReadOnlyList<SensorSummary>? summaries, bool english)
    {
        if (summaries is null)
        {
            return english ? "temporarily unavailable" : "暂时无法读取";
        }

        if (summaries.Count == 0)
        {
            return english ? "no sensor record" : "无传感器记录";
        }

        var days = summaries.GroupBy(s => DateOnly.FromDateTime(s.From.UtcDateTime))
            .Select(g => (Day: g.Key, Gap: g.Any(s => s.Count == 0)))
            .OrderBy(d => d.Day)
            .ToList();
        var gaps = new List<(DateOnly From, DateOnly To)>();
        foreach (var (day, gap) in days.Where(d => d.Gap))
        {
            if (gaps.Count > 0 && gaps[^1].To.AddDays(1) == day)
            {
                gaps[^1] = (gaps[^1].From, day);
            }
            else
            {
                gaps.Add((day, day));
            }
        }

        string count = english ? $"{days.Count} day{(days.Count == 1 ? "" : "s")}" : $"{days.Count} 天";
        if (gaps.Count == 0)
        {
            return english ? $"{count}, no gaps" : $"{count}，无缺口";
        }

        string ranges = string.Join(english ? ", " : "、", gaps.Select(g => g.From == g.To
            ? g.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : $"{g.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} – {g.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
        return english ? $"{count}, gaps on {ranges} (UTC)" : $"{count}，缺口：{ranges}（UTC）";
    }

    static void Row(StringBuilder body, string term, string html) =>
        body.Append("<dt>").Append(term).Append("</dt><dd>").Append(html).Append("</dd>");

    static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string Page(bool english, string title, string body, string? code = null)
    {
        string switchTo = code is null ? "" :
            $"<p class=\"lang\"><a href=\"/t/{code}?lang={(english ? "zh" : "en")}\">{(english ? "中文" : "English")}</a></p>";
        string language = english ? "en" : "zh-CN";
        return $$"""
            <!doctype html><html lang="{{language}}"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}}</title>
            <style>body{font:17px/1.6 system-ui,sans-serif;max-width:34rem;margin:1.5rem auto;padding:0 1rem}dt{color:#555;font-size:.9em}dd{margin:0 0 .7rem}.recall{background:#b00020;color:#fff;padding:.8rem}.lang{text-align:right}</style>
            </head><body>{{switchTo}}<h1>{{title}}</h1>{{body}}</body></html>
            """;
    }
}
