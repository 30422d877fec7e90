using System.Net;
using System.Xml.Linq;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Registry;

/// <summary>
/// A product with a GTIN gets GS1 Digital Link labels (<c>{base}01/{GTIN-14}/10/{lot}</c>), decoded by zbarimg, and our
/// resolver takes the link to the batch's public page.
/// </summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class DigitalLinkLabelTests(InfluxDbFixture influx)
{
    const string Gtin14 = "09521234543213";
    const string SlashLotBatch = "HN8RD4CFQ2LKM3P7";

    [Fact]
    public async Task A_GTIN_product_label_carries_its_Digital_Link_and_the_resolver_redirects_to_the_public_page()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, [], new Dictionary<string, string> { ["Web:PublicBaseUrl"] = "https://trace.example.cn/" });
        var http = cloud.Http;
        long farm = (await RegistryApi.PostAsync(http, "/api/parties", new { kind = "enterprise", role = "farm", name = "绿源合作社", creditCode = "91350200776049653A" }))["party"]!["id"]!.GetValue<long>();

        // Given as a GTIN-13, stored as the GTIN-14; the first batch's lot is its code (the default), the second's has a '/'.
        long tomato = (await RegistryApi.PostAsync(http, "/api/products", new { name = "番茄", gtin = "9521234543213" }))["id"]!.GetValue<long>();
        await RegistryApi.PostAsync(http, "/api/batches", new { code = Messages.Batch, productId = tomato, producerId = farm });
        await RegistryApi.PostAsync(http, "/api/batches", new { code = SlashLotBatch, productId = tomato, producerId = farm, lot = "26/03-A" });
        string expected = $"https://trace.example.cn/01/{Gtin14}/10/{Messages.Batch}";

        using (var png = await http.GetAsync(new Uri($"/labels/{Messages.Batch}.png", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, png.StatusCode);
            string file = Path.Combine(cloud.Folder, "dl.png");
            await File.WriteAllBytesAsync(file, await png.Content.ReadAsByteArrayAsync());
            Assert.Equal(expected, await Zbar.DecodeAsync(file));
        }

        // The svg prints the trace code, then GS1's human readable interpretation; its QR code decodes the same.
        string svg = await http.GetStringAsync(new Uri($"/labels/{Messages.Batch}.svg", UriKind.Relative));
        var document = XDocument.Parse(svg);
        Assert.Equal(
            ["7K3M 9Q2T XW4A 1B63", $"(01) {Gtin14}", $"(10) {Messages.Batch}"],
            document.Root!.Elements().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToArray());
        string bitmap = Path.Combine(cloud.Folder, "dl-svg.pgm");
        await File.WriteAllBytesAsync(bitmap, LabelTests.Rasterize(document));
        Assert.Equal(expected, await Zbar.DecodeAsync(bitmap));

        string zpl = await http.GetStringAsync(new Uri($"/labels/{Messages.Batch}.zpl", UriKind.Relative));
        Assert.Contains($"^FDQA,{expected}^FS", zpl, StringComparison.Ordinal);
        Assert.Contains($"^FD(01) {Gtin14}\\&(10) {Messages.Batch}^FS", zpl, StringComparison.Ordinal);

        // A lot with a '/' is percent-encoded in the link, as the Digital Link syntax asks.
        using (var png = await http.GetAsync(new Uri($"/labels/{SlashLotBatch}.png", UriKind.Relative)))
        {
            string file = Path.Combine(cloud.Folder, "dl-slash.png");
            await File.WriteAllBytesAsync(file, await png.Content.ReadAsByteArrayAsync());
            Assert.Equal($"https://trace.example.cn/01/{Gtin14}/10/26%2F03-A", await Zbar.DecodeAsync(file));
        }

        // The resolver: a temporary redirect (307) to the public page, keeping ?lang=; a GTIN-13 works as its GTIN-14.
        using var noRedirects = cloud.CreateClientWithoutRedirects();
        await AssertRedirectAsync(noRedirects, $"/01/{Gtin14}/10/{Messages.Batch}?lang=en", $"/t/{Messages.Batch}?lang=en");
        await AssertRedirectAsync(noRedirects, $"/01/{Gtin14}/10/{Messages.Batch}", $"/t/{Messages.Batch}");
        await AssertRedirectAsync(noRedirects, $"/01/9521234543213/10/{Messages.Batch}", $"/t/{Messages.Batch}");
        await AssertRedirectAsync(noRedirects, $"/01/{Gtin14}/10/26%2F03-A", $"/t/{SlashLotBatch}");

        // Followed, it ends on the public page, in the language asked for.
        using (var followed = await http.GetAsync(new Uri($"/01/{Gtin14}/10/{Messages.Batch}?lang=en", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
            Assert.EndsWith($"/t/{Messages.Batch}?lang=en", followed.RequestMessage!.RequestUri!.ToString(), StringComparison.Ordinal);
            string page = await followed.Content.ReadAsStringAsync();
            Assert.Contains("<h1>番茄</h1>", page, StringComparison.Ordinal);
            Assert.Contains("lang=\"en\"", page, StringComparison.Ordinal);
        }

        // What is wrong is said: a bad check digit (400), an unknown lot or GTIN (404); a lot is case-sensitive.
        Assert.Contains("check digit", await Pages.GetAsync(http, $"/01/09521234543214/10/{Messages.Batch}?lang=en", HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("GTIN", await Pages.GetAsync(http, "/01/12345/10/X", HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("has no batch with lot “NOPE”", await Pages.GetAsync(http, $"/01/{Gtin14}/10/NOPE?lang=en", HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("没有批号为 “7k3m9q2txw4a1b63” 的批次", await Pages.GetAsync(http, $"/01/{Gtin14}/10/7k3m9q2txw4a1b63", HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("4006381333931", await Pages.GetAsync(http, "/01/4006381333931/10/A1?lang=en", HttpStatusCode.NotFound), StringComparison.Ordinal);

        // A GTIN alone names the product: a plain page of it, no batches listed.
        string product = await Pages.GetAsync(http, "/01/9521234543213", HttpStatusCode.OK);
        Assert.Contains("<h1>番茄</h1>", product, StringComparison.Ordinal);
        Assert.Contains(Gtin14, product, StringComparison.Ordinal);
        Assert.DoesNotContain(Messages.Batch, product, StringComparison.Ordinal);
        Assert.DoesNotContain("绿源合作社", product, StringComparison.Ordinal);
        await Pages.GetAsync(http, "/01/4006381333931", HttpStatusCode.NotFound);
    }

    static async Task AssertRedirectAsync(HttpClient http, string path, string location)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.TemporaryRedirect, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }
}
