using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Registry;

/// <summary>The printable A4 sheet of a batch's labels: one per crate, or N copies, and only labels when printed.</summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class LabelSheetTests(InfluxDbFixture influx)
{
    const string CrateEpc = "3074257BF7194E4000001A85";   // SGTIN-96
    const string CrateSscc = "3174257BF4499602D2000000";  // SSCC-96
    const string CrateUid = "04A224E2C45D80";             // HF tag UID

    [Fact]
    public async Task The_sheet_has_one_label_per_crate_or_count_copies_and_print_css()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        var http = cloud.Http;
        await RegistryApi.RegisterFarmBatchAsync(http, Messages.Batch);
        var t = DateTimeOffset.UtcNow.AddHours(-2);
        await EventAsync(http, "crateAssociated", t, new JsonObject { ["epc"] = CrateEpc });
        await EventAsync(http, "crateAssociated", t.AddMinutes(1), new JsonObject { ["epc"] = CrateSscc });
        await EventAsync(http, "crateAssociated", t.AddMinutes(2), new JsonObject { ["uid"] = CrateUid });
        await EventAsync(http, "crateRemoved", t.AddMinutes(3), new JsonObject { ["epc"] = CrateSscc });

        // One label per crate still holding the batch, each the batch's svg label with the crate's tag beside it.
        string sheet = await Pages.GetAsync(http, $"/labels/{Messages.Batch}", HttpStatusCode.OK);
        Assert.Equal(2, Labels(sheet));
        Assert.Contains(CrateEpc, sheet, StringComparison.Ordinal);
        Assert.Contains(CrateUid, sheet, StringComparison.Ordinal);
        Assert.DoesNotContain(CrateSscc, sheet, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(sheet, $"<img src=\"{Messages.Batch}.svg\""));
        Assert.Contains("lang=\"zh-CN\"", sheet, StringComparison.Ordinal);
        Assert.Contains("每箱一张，共 2 张，1 页", sheet, StringComparison.Ordinal);

        // Print CSS: A4 with mm units, a 3 × 8 grid, labels never split, the controls hidden on paper.
        foreach (string css in new[] { "@page { size: A4; margin: 8.5mm 0; }", "grid-template-columns: repeat(3, 70mm)", "grid-template-rows: repeat(8, 35mm)", "break-inside: avoid", "@media print { .controls { display: none; } }", "window.print()", "name=\"count\"" })
        {
            Assert.Contains(css, sheet, StringComparison.Ordinal);
        }

        // The labels the sheet shows are there, under the sheet's own address.
        using (var svg = await http.GetAsync(new Uri($"/labels/{Messages.Batch}.svg", UriKind.Relative)))
        {
            Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        }

        // Copies: 30 labels make two pages of 24; the count is bounded, and a wrong one says the limit.
        string copies = await Pages.GetAsync(http, $"/labels/{Messages.Batch}?count=30", HttpStatusCode.OK);
        Assert.Equal(30, Labels(copies));
        Assert.Equal(2, Regex.Count(copies, "<section class=\"page\">"));
        Assert.DoesNotContain(CrateEpc, copies, StringComparison.Ordinal);
        Assert.Equal(500, Labels(await Pages.GetAsync(http, $"/labels/{Messages.Batch}?count=500", HttpStatusCode.OK)));
        foreach (string wrong in new[] { "0", "501", "abc", "-3" })
        {
            Assert.Contains("1 到 500", await Pages.GetAsync(http, $"/labels/{Messages.Batch}?count={wrong}", HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        Assert.Contains("from 1 to 500", await Pages.GetAsync(http, $"/labels/{Messages.Batch}?count=501&lang=en", HttpStatusCode.BadRequest), StringComparison.Ordinal);

        // English on request or when the browser asks first.
        string english = await Pages.GetAsync(http, $"/labels/{Messages.Batch}?lang=en", HttpStatusCode.OK);
        Assert.Contains("lang=\"en\"", english, StringComparison.Ordinal);
        Assert.Contains("One label per crate: 2 labels, 1 page.", english, StringComparison.Ordinal);
        Assert.Contains("Print on A4 label stock", await Pages.GetAsync(http, $"/labels/{Messages.Batch}", HttpStatusCode.OK, language: "en-GB,en;q=0.9"), StringComparison.Ordinal);

        Assert.Contains("未找到", await Pages.GetAsync(http, "/labels/HN8RD4CFQ2LKM3P7", HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_without_crates_gets_an_empty_sheet_that_says_to_give_a_count()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        await RegistryApi.RegisterFarmBatchAsync(cloud.Http, Messages.Batch);
        string sheet = await Pages.GetAsync(cloud.Http, $"/labels/{Messages.Batch}?lang=en", HttpStatusCode.OK);
        Assert.Equal(0, Labels(sheet));
        Assert.Contains("No crate holds this batch yet", sheet, StringComparison.Ordinal);
    }

    static int Labels(string sheet) => Regex.Count(sheet, "<div class=\"label\">");

    static Task<JsonNode> EventAsync(HttpClient http, string type, DateTimeOffset time, JsonObject crate) =>
        RegistryApi.PostAsync(http, "/api/events", new { type, time, details = new JsonObject { ["batch"] = Messages.Batch, ["crate"] = crate } });
}
