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
/// pasting into other layouts) and <c>GET /labels/{code}.zpl</c> (for Zebra-compatible thermal printers: a 50 × 30 mm
/// label at 203 dpi whose printer draws the QR code itself). Error correction level Q (25 %), so a scuffed label still scans; a quiet zone of four
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
                    "zpl" => Results.Text(Zpl(target, normalized), "application/zpl", Encoding.UTF8),
                    _ => Results.Problem(statusCode: 404, title: "No such label format", detail: $"'{IdentifierCheck.Printable(format)}' is not a label format; use svg, png or zpl"),
                };
            })
            .WithTags("Labels")
            .WithSummary("A trace label: a QR code of the batch's public page (svg with the code printed under it, png, or zpl for thermal printers)");
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

    /// <summary>
    /// A ZPL II label (50 × 30 mm at 203 dpi, 400 × 240 dots): the printer's own QR code (<c>^BQN,2,5</c>, model 2,
    /// level Q, automatic input mode) of <paramref name="text"/>, and the code in groups of four beside it.
    /// </summary>
    public static string Zpl(string text, string code)
    {
        ArgumentNullException.ThrowIfNull(text);
        string grouped = BatchTraceCode.TryParse(code, out var parsed, out _) ? parsed.Grouped : code;

        // ^FD data may not hold the command prefixes ^ and ~; an address and a trace code never do, but be sure.
        static string Field(string value) => value.Replace("^", "", StringComparison.Ordinal).Replace("~", "", StringComparison.Ordinal);
        return new StringBuilder()
            .Append("^XA\n^CI28\n^PW400\n^LL240\n")
            .Append("^FO16,16^BQN,2,5^FDQA,").Append(Field(text)).Append("^FS\n")
            .Append("^FO200,70^A0N,28,28^FB190,4,6,L^FD").Append(Field(grouped)).Append("^FS\n")
            .Append("^XZ\n")
            .ToString();
    }

    static QRCodeData Encode(string text)
    {
        using var generator = new QRCodeGenerator();

        // The QR data is a copy: disposing the generator leaves it intact.
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
    }

}
