using System.Net;
using System.Text;
using Iot.Cloud.Registry;
using Iot.Contracts.Identifiers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Iot.Cloud.Web;

/// <summary>
/// Our own GS1 Digital Link resolver, for the links our labels carry (<see cref="Labels.DigitalLinkAddress"/>).
/// <c>GET /01/{gtin}/10/{lot}</c> finds the batch of the product with that GTIN and that lot and redirects (307
/// Temporary Redirect, as GS1-conformant resolvers do: the link names the batch, the page it leads to may change, so
/// nothing may cache the redirect as permanent) to its public page <c>/t/{code}</c>, keeping <c>?lang=</c>. The GTIN
/// may come as 8, 12, 13 or 14 digits (a shorter one is the GTIN-14 without its leading zeros); a bad check digit is a
/// 400 naming it; an unknown GTIN or lot a 404. <c>GET /01/{gtin}</c> (a product without a lot) is a plain page of the
/// product (name, category, GTIN) that says the trace record is per batch; it lists no batches and nothing personal.
/// Every answer is an HTML page (what a phone that scanned a label shows), Chinese first, English on request.
/// </summary>
public static class DigitalLinkResolver
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapDigitalLinkResolver(this IEndpointRouteBuilder app)
    {
        app.MapGet("/01/{gtin}", (string gtin, HttpRequest request, RegistryStore store) =>
            {
                bool english = PageLanguage.Of(request.HttpContext).English;
                string T(string zh, string en) => english ? en : zh;
                if (ProductOf(gtin, english, store, out string gtin14) is not { } product)
                {
                    return Refusal(gtin, english);
                }

                var body = new StringBuilder("<dl>");
                Row(body, T("产品", "Product"), WebUtility.HtmlEncode(product.Name));
                if (product.Category.Length > 0)
                {
                    Row(body, T("类别", "Category"), WebUtility.HtmlEncode(product.Category));
                }

                Row(body, "GTIN", gtin14);
                body.Append("</dl><p>")
                    .Append(T("这是产品的编码。追溯记录按批次保存：请扫描包装上的二维码，或查看标签上的 16 位追溯码。",
                        "This code names a product. Trace records are kept per batch: please scan the QR code on the package, or look for the 16-character trace code on its label."))
                    .Append("</p>");
                return Html(PublicPage.Page(english, WebUtility.HtmlEncode(product.Name), body.ToString()), StatusCodes.Status200OK);
            })
            .WithTags("Labels")
            .WithSummary("GS1 Digital Link of a product (AI 01): a plain page of the product");

        app.MapGet("/01/{gtin}/10/{lot}", (string gtin, string lot, string? lang, HttpContext context, RegistryStore store) =>
            {
                var request = context.Request;
                bool english = PageLanguage.Of(request.HttpContext).English;
                string T(string zh, string en) => english ? en : zh;
                if (ProductOf(gtin, english, store, out string gtin14) is not { } product)
                {
                    return Refusal(gtin, english);
                }

                string decoded = LotOf(context, lot);
                string shown = WebUtility.HtmlEncode(decoded);
                string query = lang is null ? "" : $"?lang={Uri.EscapeDataString(lang)}";
                var batches = store.FindBatchesByLot(product.Id, decoded);
                switch (batches.Count)
                {
                    case 0:
                        return Html(PublicPage.Page(english, T("未找到", "Not found"),
                            $"<p>{T($"{WebUtility.HtmlEncode(product.Name)}（GTIN {gtin14}）没有批号为 “{shown}” 的批次。请核对标签。", $"{WebUtility.HtmlEncode(product.Name)} (GTIN {gtin14}) has no batch with lot “{shown}”. Please check the label.")}</p>"),
                            StatusCodes.Status404NotFound);
                    case 1:
                        context.Response.Headers.CacheControl = "no-store";
                        return Results.Redirect($"{request.PathBase}/t/{batches[0].Code}{query}", permanent: false, preserveMethod: true);
                    default:
                        // One lot given to two batches of a product: let the reader choose rather than guess.
                        var list = new StringBuilder("<ul>");
                        foreach (var batch in batches)
                        {
                            string grouped = BatchTraceCode.GroupedOrAsIs(batch.Code);
                            list.Append(System.Globalization.CultureInfo.InvariantCulture, $"<li><a href=\"{request.PathBase}/t/{batch.Code}{query}\">{WebUtility.HtmlEncode(grouped)}</a></li>");
                        }

                        list.Append("</ul>");
                        return Html(PublicPage.Page(english, WebUtility.HtmlEncode(product.Name),
                            $"<p>{T($"批号 “{shown}” 有 {batches.Count} 个批次，请按标签上的追溯码选择：", $"Lot “{shown}” has {batches.Count} batches; choose the trace code printed on the label:")}</p>{list}"),
                            StatusCodes.Status300MultipleChoices);
                }
            })
            .WithTags("Labels")
            .WithSummary("GS1 Digital Link of a batch (AI 01 + AI 10): redirects (307) to the batch's public page");
        return app;
    }

    /// <summary>The product with <paramref name="gtin"/> (8, 12, 13 or 14 digits) and its GTIN-14; null when it is not a valid GTIN or no product has it.</summary>
    static Product? ProductOf(string gtin, bool english, RegistryStore store, out string gtin14)
    {
        gtin14 = Gtin.TryParse(gtin, out var parsed, out _) ? parsed.ToGtin14().Value : "";
        return gtin14.Length > 0 ? store.FindProductByGtin(gtin14) : null;
    }

    /// <summary>Why <see cref="ProductOf"/> found nothing: a 400 page naming what is wrong with the GTIN, or a 404 page.</summary>
    static IResult Refusal(string gtin, bool english)
    {
        if (!Gtin.TryParse(gtin, out var parsed, out string? error))
        {
            return Html(PublicPage.Page(english, english ? "Not a GTIN" : "编码有误",
                $"<p>{(english ? "The product code in this address is not a valid GTIN:" : "地址中的商品条码（GTIN）无效：")} {WebUtility.HtmlEncode(error)}</p>"),
                StatusCodes.Status400BadRequest);
        }

        string gtin14 = parsed.ToGtin14().Value;
        return Html(PublicPage.Page(english, english ? "Not found" : "未找到",
            $"<p>{(english ? $"No product here has GTIN {gtin14}." : $"本平台没有 GTIN 为 {gtin14} 的产品。")}</p>"),
            StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// The lot as the label encoded it. Servers decode the path before routing but leave <c>%2F</c> (a '/' inside the
    /// lot) encoded, so the route value is not quite the lot; the raw request target is exact: its last path segment is
    /// the lot, percent-encoded.
    /// </summary>
    static string LotOf(HttpContext context, string routeValue)
    {
        string? raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is { Length: > 0 } && raw[0] == '/')
        {
            int question = raw.IndexOf('?', StringComparison.Ordinal);
            string path = question < 0 ? raw : raw[..question];
            return Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        }

        return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }

    static void Row(StringBuilder body, string term, string html) =>
        body.Append("<dt>").Append(term).Append("</dt><dd>").Append(html).Append("</dd>");

    static IResult Html(string page, int status) => Results.Content(page, "text/html; charset=utf-8", Encoding.UTF8, status);
}
