using System.Globalization;
using System.Net;
using System.Text;
using Iot.Cloud.Registry;
using Iot.Contracts.Identifiers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using QRCoder;

namespace Iot.Cloud.Web;

/// <summary>
/// Trace labels: <c>GET /labels/{code}.svg</c> (a QR code of the batch's public page, <c>{Web:PublicBaseUrl}t/{code}</c>,
/// with the trace code printed under it in groups of four) and <c>GET /labels/{code}.png</c> (the QR code alone, for
/// pasting into other layouts). Error correction level Q (25 %), so a scuffed label still scans; a quiet zone of four
/// modules, as ISO/IEC 18004 asks.
/// </summary>
public static class Labels
{
    const int QuietZone = 4;
    const int SvgModule = 8;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapLabels(this IEndpointRouteBuilder app)
    {
        app.MapGet("/labels/{code}.{format}", (string code, string format, HttpRequest request, IConfiguration configuration, RegistryStore store) =>
            {
                string normalized = code.Trim().ToUpperInvariant();
                if (store.FindBatch(normalized) is null)
                {
                    return RecordsApi.NotFound("batch", normalized);
                }

                string target = PageAddress(PublicAddress.Of(request, configuration), normalized);
                return format switch
                {
                    "svg" => Results.Text(Svg(target, normalized), "image/svg+xml", Encoding.UTF8),
                    "png" => Results.File(Png(target), "image/png"),
                    _ => Results.Problem(statusCode: 404, title: "No such label format", detail: $"'{IdentifierCheck.Printable(format)}' is not a label format; use svg or png"),
                };
            })
            .WithTags("Labels")
            .WithSummary("A trace label: a QR code of the batch's public page (svg with the code printed under it, or png)");
        return app;
    }

    /// <summary>The address a label's QR code carries: the batch's public page.</summary>
    public static string PageAddress(Uri publicBase, string code)
    {
        ArgumentNullException.ThrowIfNull(publicBase);
        return new Uri(publicBase, $"t/{code}").ToString();
    }

    /// <summary>The QR code of <paramref name="text"/> as a PNG, 10 pixels a module.</summary>
    public static byte[] Png(string text)
    {
        using var data = Encode(text);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(10);
    }

    /// <summary>A label: the QR code of <paramref name="text"/> and, under it, <paramref name="code"/> in groups of four.</summary>
    public static string Svg(string text, string code)
    {
        using var data = Encode(text);
        var modules = data.ModuleMatrix;
        int size = modules.Count;
        int width = (size + (2 * QuietZone)) * SvgModule;
        int textHeight = 4 * SvgModule;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{width + textHeight}\" viewBox=\"0 0 {width} {width + textHeight}\" shape-rendering=\"crispEdges\">")
            .Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{width + textHeight}\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                if (modules[y][x])
                {
                    svg.Append(CultureInfo.InvariantCulture, $"M{(x + QuietZone) * SvgModule},{(y + QuietZone) * SvgModule}h{SvgModule}v{SvgModule}h-{SvgModule}z");
                }
            }
        }

        string grouped = BatchTraceCode.TryParse(code, out var parsed, out _) ? parsed.Grouped : code;
        svg.Append("\"/>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"{width + (textHeight / 2)}\" text-anchor=\"middle\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"{SvgModule * 3}\">")
            .Append(WebUtility.HtmlEncode(grouped))
            .Append("</text></svg>");
        return svg.ToString();
    }

    static QRCodeData Encode(string text)
    {
        using var generator = new QRCodeGenerator();

        // The QR data is a copy: disposing the generator leaves it intact.
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
    }

}
