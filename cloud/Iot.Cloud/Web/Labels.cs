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
/// Trace labels: <c>GET /labels/{code}.svg</c> (a QR code of the batch's address, with the trace code printed under it
/// in groups of four) and <c>GET /labels/{code}.png</c> (the QR code alone, for pasting into other layouts) and
/// <c>GET /labels/{code}.zpl</c> (for Zebra-compatible thermal printers: a 50 × 30 mm label at 203 dpi whose printer
/// draws the QR code itself); <c>GET /labels/{code}</c> is a printable A4 sheet of them (<see cref="LabelSheet"/>).
/// The address is a GS1 Digital Link on our own resolver, <c>{Web:PublicBaseUrl}01/{GTIN-14}/10/{lot}</c>, when the
/// batch's product has a GTIN (and so the batch a GS1 lot), with its human readable interpretation
/// <c>(01) … (10) …</c> printed too; else the public page, <c>{Web:PublicBaseUrl}t/{code}</c>. Error correction level
/// Q (25 %), so a scuffed label still scans; a quiet zone of four modules, as ISO/IEC 18004 asks.
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
                if (store.FindBatch(normalized) is not { } batch)
                {
                    return RecordsApi.NotFound("batch", normalized);
                }

                var (target, hri) = Content(PublicAddress.Of(request, configuration), batch, store.FindProduct(batch.ProductId));
                return format switch
                {
                    "svg" => Results.Text(Svg(target, normalized, hri), "image/svg+xml", Encoding.UTF8),
                    "png" => Results.File(Png(target), "image/png"),
                    "zpl" => Results.Text(Zpl(target, normalized, hri), "application/zpl", Encoding.UTF8),
                    _ => Results.Problem(statusCode: 404, title: "No such label format", detail: $"'{IdentifierCheck.Printable(format)}' is not a label format; use svg, png or zpl"),
                };
            })
            .WithTags("Labels")
            .WithSummary("A trace label: a QR code of the batch's GS1 Digital Link or public page (svg with the code printed under it, png, or zpl for thermal printers)");
        app.MapLabelSheet();
        return app;
    }

    /// <summary>
    /// What a batch's label carries: the address in its QR code (<see cref="DigitalLinkAddress"/> when the product has a
    /// GTIN and the batch a lot, else <see cref="PageAddress"/>) and the GS1 human readable interpretation lines to print
    /// (none for a public page address).
    /// </summary>
    public static (string Address, IReadOnlyList<string> Hri) Content(Uri publicBase, Batch batch, Product? product)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return product?.Gtin is { } gtin && batch.Lot is { } lot
            ? (DigitalLinkAddress(publicBase, gtin, lot), [$"(01) {gtin}", $"(10) {lot}"])
            : (PageAddress(publicBase, batch.Code), []);
    }

    /// <summary>The address of a batch's public page: <c>{base}t/{code}</c>.</summary>
    public static string PageAddress(Uri publicBase, string code)
    {
        ArgumentNullException.ThrowIfNull(publicBase);
        return new Uri(publicBase, $"t/{code}").ToString();
    }

    /// <summary>
    /// A GS1 Digital Link on our own resolver (<see cref="DigitalLinkResolver"/>): <c>{base}01/{GTIN-14}/10/{lot}</c>,
    /// the lot percent-encoded as the Digital Link URI syntax asks (<see cref="Gs1DigitalLink.EncodeValue"/>).
    /// </summary>
    public static string DigitalLinkAddress(Uri publicBase, string gtin14, string lot)
    {
        ArgumentNullException.ThrowIfNull(publicBase);

        // AbsoluteUri, not a relative Uri: Uri.ToString() would unescape %2F and friends again.
        return $"{publicBase.AbsoluteUri}01/{gtin14}/10/{Gs1DigitalLink.EncodeValue(lot)}";
    }

    /// <summary>The QR code of <paramref name="text"/> as a PNG, 10 pixels a module.</summary>
    public static byte[] Png(string text)
    {
        using var data = Encode(text);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(10);
    }

    /// <summary>
    /// A label: the QR code of <paramref name="text"/> and, under it, <paramref name="code"/> in groups of four, then the
    /// lines of <paramref name="hri"/> (a GS1 Digital Link's human readable interpretation) in a smaller type; the label
    /// widens, the QR code centred, when a line would not fit under it.
    /// </summary>
    public static string Svg(string text, string code, IReadOnlyList<string>? hri = null)
    {
        hri ??= [];
        using var data = Encode(text);
        var modules = data.ModuleMatrix;
        int size = modules.Count;
        int qrWidth = (size + (2 * QuietZone)) * SvgModule;
        const int CodeFont = SvgModule * 3;
        const int HriFont = (SvgModule * 5) / 2;
        string grouped = BatchTraceCode.GroupedOrAsIs(code);

        // DejaVu Sans Mono advances 0.6 em a character; a module's margin either side.
        int TextWidth(string line, int font) => (int)Math.Ceiling(line.Length * font * 0.61) + (2 * SvgModule);
        int width = Math.Max(qrWidth, hri.Select(l => TextWidth(l, HriFont)).Append(TextWidth(grouped, CodeFont)).Max());
        int offset = (width - qrWidth) / 2;
        int codeHeight = 4 * SvgModule;
        int hriLine = (HriFont * 6) / 5;
        int height = qrWidth + codeHeight + (hri.Count == 0 ? 0 : (hri.Count * hriLine) + SvgModule);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" shape-rendering=\"crispEdges\">")
            .Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                if (modules[y][x])
                {
                    svg.Append(CultureInfo.InvariantCulture, $"M{offset + ((x + QuietZone) * SvgModule)},{(y + QuietZone) * SvgModule}h{SvgModule}v{SvgModule}h-{SvgModule}z");
                }
            }
        }

        svg.Append("\"/>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"{qrWidth + (codeHeight / 2)}\" text-anchor=\"middle\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"{CodeFont}\">")
            .Append(WebUtility.HtmlEncode(grouped))
            .Append("</text>");
        for (int i = 0; i < hri.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"hri\" x=\"{width / 2}\" y=\"{qrWidth + codeHeight + ((i + 1) * hriLine)}\" text-anchor=\"middle\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"{HriFont}\">")
                .Append(WebUtility.HtmlEncode(hri[i]))
                .Append("</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// A ZPL II label (50 × 30 mm at 203 dpi, 400 × 240 dots): the printer's own QR code (<c>^BQN,2,M</c>, model 2,
    /// level Q, automatic input mode, magnification M up to 5 so the code stays left of the text) of
    /// <paramref name="text"/>, and beside it the code in groups of four and the lines of <paramref name="hri"/>.
    /// </summary>
    public static string Zpl(string text, string code, IReadOnlyList<string>? hri = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        hri ??= [];
        string grouped = BatchTraceCode.GroupedOrAsIs(code);
        int modules;
        using (var data = Encode(text))
        {
            modules = data.ModuleMatrix.Count - (2 * QuietZone);
        }

        // The text starts at x = 200; the code from x = 16 must end before it (a printer's QR code has the same version
        // as ours for the same text and level).
        int magnification = Math.Clamp(176 / modules, 1, 5);

        // ^FD data may not hold the command prefixes ^ and ~; an address, a trace code and a GS1 lot never do, but be sure.
        static string Field(string value) => value.Replace("^", "", StringComparison.Ordinal).Replace("~", "", StringComparison.Ordinal);
        var zpl = new StringBuilder()
            .Append("^XA\n^CI28\n^PW400\n^LL240\n")
            .Append(CultureInfo.InvariantCulture, $"^FO16,16^BQN,2,{magnification}^FDQA,").Append(Field(text)).Append("^FS\n")
            .Append(hri.Count == 0 ? "^FO200,70" : "^FO200,30").Append("^A0N,28,28^FB190,4,6,L^FD").Append(Field(grouped)).Append("^FS\n");
        if (hri.Count > 0)
        {
            // \& is a line break inside a ^FB field block; set 82 has no backslash, so a lot cannot make one.
            zpl.Append("^FO200,130^A0N,20,20^FB190,5,2,L^FD").Append(Field(string.Join("\\&", hri))).Append("^FS\n");
        }

        return zpl.Append("^XZ\n").ToString();
    }

    static QRCodeData Encode(string text)
    {
        using var generator = new QRCodeGenerator();

        // The QR data is a copy: disposing the generator leaves it intact.
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
    }

}
