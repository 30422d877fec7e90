using System.Net;
using System.Text;
using System.Xml.Linq;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Registry;

/// <summary>Labels decode, with an independent decoder (Debian's zbarimg), to the batch's public page.</summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class LabelTests(InfluxDbFixture influx)
{
    [Fact]
    public async Task A_label_QR_code_decodes_to_the_public_page_of_its_batch_and_the_svg_prints_the_code()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, [], new Dictionary<string, string> { ["Web:PublicBaseUrl"] = "https://trace.example.cn/" });
        await RegistryApi.RegisterFarmBatchAsync(cloud.Http, Messages.Batch);
        string expected = $"https://trace.example.cn/t/{Messages.Batch}";

        using (var png = await cloud.Http.GetAsync(new Uri($"/labels/{Messages.Batch}.png", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, png.StatusCode);
            Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
            string file = Path.Combine(cloud.Folder, "label.png");
            await File.WriteAllBytesAsync(file, await png.Content.ReadAsByteArrayAsync());
            Assert.Equal(expected, await Zbar.DecodeAsync(file));
        }

        // The svg's QR code, drawn as a bitmap from its own module squares, decodes the same; the code is printed under it.
        string svg = await cloud.Http.GetStringAsync(new Uri($"/labels/{Messages.Batch}.svg", UriKind.Relative));
        var document = XDocument.Parse(svg);
        Assert.Equal("7K3M 9Q2T XW4A 1B63", document.Root!.Elements().Single(e => e.Name.LocalName == "text").Value);
        string bitmap = Path.Combine(cloud.Folder, "label-svg.pgm");
        await File.WriteAllBytesAsync(bitmap, Rasterize(document));
        Assert.Equal(expected, await Zbar.DecodeAsync(bitmap));

        // ZPL: the printer draws the QR code of the same address (model 2, level Q), the code printed beside it.
        string zpl = await cloud.Http.GetStringAsync(new Uri($"/labels/{Messages.Batch}.zpl", UriKind.Relative));
        Assert.StartsWith("^XA", zpl, StringComparison.Ordinal);
        Assert.EndsWith("^XZ\n", zpl, StringComparison.Ordinal);
        Assert.Contains($"^BQN,2,5^FDQA,{expected}^FS", zpl, StringComparison.Ordinal);
        Assert.Contains("^FD7K3M 9Q2T XW4A 1B63^FS", zpl, StringComparison.Ordinal);

        using var unknown = await cloud.Http.GetAsync(new Uri("/labels/HN8RD4CFQ2LKM3P7.png", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var format = await cloud.Http.GetAsync(new Uri($"/labels/{Messages.Batch}.gif", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, format.StatusCode);
    }

    /// <summary>The svg's black squares (path commands <c>Mx,yh8v8h-8z</c>) as a binary PGM image.</summary>
    internal static byte[] Rasterize(XDocument svg)
    {
        var root = svg.Root!;
        int width = int.Parse(root.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        int height = int.Parse(root.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var pixels = Enumerable.Repeat((byte)255, width * height).ToArray();
        string path = root.Elements().Single(e => e.Name.LocalName == "path").Attribute("d")!.Value;
        foreach (string square in path.Split('M', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] corner = square[..square.IndexOf('h', StringComparison.Ordinal)].Split(',');
            int x0 = int.Parse(corner[0], System.Globalization.CultureInfo.InvariantCulture);
            int y0 = int.Parse(corner[1], System.Globalization.CultureInfo.InvariantCulture);
            int side = int.Parse(square[(square.IndexOf('h', StringComparison.Ordinal) + 1)..square.IndexOf('v', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            for (int y = y0; y < y0 + side; y++)
            {
                Array.Fill(pixels, (byte)0, (y * width) + x0, side);
            }
        }

        var header = Encoding.ASCII.GetBytes($"P5\n{width} {height}\n255\n");
        return [.. header, .. pixels];
    }
}
