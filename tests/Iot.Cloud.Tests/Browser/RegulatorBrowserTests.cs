using System.Text.RegularExpressions;
using Iot.Testing.InfluxDb;
using Microsoft.Playwright;

namespace Iot.Cloud.Tests.Browser;

/// <summary>
/// The regulator pages in a real browser (Debian's Chromium through Playwright) against the cloud on a loopback port
/// with real InfluxDB: what a regulator sees and does. Screenshots land in <c>artifacts/screenshots/</c>.
/// </summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed partial class RegulatorBrowserTests(InfluxDbFixture influx, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    static readonly float Timeout = 30_000;

    [Fact]
    public async Task The_batch_page_draws_the_record_lists_the_events_flags_the_safety_interval_and_switches_language()
    {
        await using var session = await Session.StartAsync(influx, chromium);
        var (cloud, scenario, context, page) = session;
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync($"/regulator/batches/{scenario.Batch}");
        var charts = page.Locator("#charts");
        await Assertions.Expect(charts).ToHaveAttributeAsync("data-drawn-ms", new Regex(@"^\d+$"), new() { Timeout = Timeout });
        Assert.Empty(errors);

        // One chart per measurement: stamped air temperature (solid) and the zone's soil water (dashed), with data.
        Assert.Equal(2, await page.Locator("figure.chart").CountAsync());
        int points = int.Parse(await charts.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(points > 400, $"{points} points drawn"); // 3 days in 15-minute buckets: about 280 a series, less the gap
        string legends = await page.Locator(".u-legend").AllInnerTextsAsync().ContinueWith(t => string.Join("\n", t.Result), TaskScheduler.Default);
        Assert.Contains("gh1-air (标记)", legends, StringComparison.Ordinal);
        Assert.Contains("gh2-soil (区域)", legends, StringComparison.Ordinal);
        Assert.True(await InkedPixelsAsync(page, "figure.chart[data-measurement='Temperature'] canvas") > 1000, "the temperature chart drew lines");

        // Under the cursor the legend gives each interval's mean with its min and max.
        await page.Locator("figure.chart[data-measurement='Temperature'] .u-over").HoverAsync(new() { Position = new() { X = 40, Y = 40 } });
        Assert.Matches(@"gh1-air \(标记\)\s*:?\s*\d+\.\d\d \(\d+\.\d\d–\d+\.\d\d\)", await page.Locator("figure.chart[data-measurement='Temperature'] .u-legend").InnerTextAsync());

        // The six hours without air readings are a gap, listed with their bounds; the soil series has none.
        string temperatureGaps = await page.Locator("figure.chart[data-measurement='Temperature'] .gaps").InnerTextAsync();
        Assert.Contains("缺口: 1", temperatureGaps, StringComparison.Ordinal);
        await page.Locator("figure.chart[data-measurement='Temperature'] .gaps summary").ClickAsync();
        Assert.Contains(scenario.GapFrom.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), await page.Locator("figure.chart[data-measurement='Temperature'] .gaps").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("无缺口", await page.Locator("figure.chart[data-measurement='VolumeFraction'] .gaps").InnerTextAsync(), StringComparison.Ordinal);

        // The timeline lists the events; the harvest inside the pesticide's safety interval is an alert.
        foreach (string type in new[] { "commissioned", "batchEntered", "inputApplied", "harvested", "crateAssociated", "weighed", "transformed" })
        {
            Assert.True(await page.Locator($"tr.event[data-type='{type}']").CountAsync() >= 1, $"the timeline lists a {type} event");
        }

        string alerts = await page.Locator(".alerts").InnerTextAsync();
        Assert.Contains("安全间隔期", alerts, StringComparison.Ordinal);
        Assert.Contains("PD20080123", alerts, StringComparison.Ordinal);
        Assert.Equal(["harvested", "inputApplied"], (await page.Locator("tr.event.alerted").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.type)")).Order().ToArray());
        Assert.Contains("18.4 kg", await page.Locator(".crates").InnerTextAsync(), StringComparison.Ordinal);
        await ChromiumFixture.ScreenshotAsync(page, "regulator-batch-zh");

        // The switch: English, charts redrawn, and the choice kept for the next page.
        await page.Locator("a.lang").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(charts).ToHaveAttributeAsync("data-drawn-ms", new Regex(@"^\d+$"), new() { Timeout = Timeout });
        Assert.Contains("Trace events", await page.Locator(".timeline h2").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("gh1-air (stamped)", await page.Locator(".u-legend").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("safety interval", await page.Locator(".alerts").InnerTextAsync(), StringComparison.Ordinal);
        await ChromiumFixture.ScreenshotAsync(page, "regulator-batch-en");
        await page.GotoAsync("/regulator");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Selecting_a_range_loads_finer_data_and_a_double_click_returns_to_the_whole_record()
    {
        await using var session = await Session.StartAsync(influx, chromium);
        var (cloud, scenario, context, page) = session;
        await page.GotoAsync($"/regulator/batches/{scenario.Batch}");
        var status = page.Locator(".chart-status");
        await Assertions.Expect(page.Locator("#charts")).ToHaveAttributeAsync("data-drawn-ms", new Regex(@"^\d+$"), new() { Timeout = Timeout });
        string whole = await status.InnerTextAsync();
        Assert.Matches(IntervalPattern(), whole);

        // Drag across a narrow stretch of the temperature chart: the page asks for that range at a finer interval.
        var over = page.Locator("figure.chart[data-measurement='Temperature'] .u-over");
        var box = (await over.BoundingBoxAsync())!;
        var finer = page.WaitForResponseAsync(r => r.Url.Contains("/history?", StringComparison.Ordinal) && r.Url.Contains("from=", StringComparison.Ordinal), new() { Timeout = Timeout });
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.50f), box.Y + (box.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.52f), box.Y + (box.Height / 2), new() { Steps = 5 });
        await page.Mouse.UpAsync();
        Assert.True((await finer).Ok);
        await Assertions.Expect(status).Not.ToHaveTextAsync(whole, new() { Timeout = Timeout });
        await Assertions.Expect(status).ToContainTextAsync("间隔 1m", new() { Timeout = Timeout });

        // Both charts show the range zoomed into, though the air series starts later in it than the soil series.
        var ranges = await page.Locator("figure.chart").EvaluateAllAsync<string[]>("figures => figures.map(f => `${f.dataset.xMin}-${f.dataset.xMax}`)");
        Assert.Equal(2, ranges.Length);
        Assert.Equal(ranges[0], ranges[1]);
        await ChromiumFixture.ScreenshotAsync(page, "regulator-batch-zoomed");

        await over.DblClickAsync();
        await Assertions.Expect(status).ToContainTextAsync("全程", new() { Timeout = Timeout });
    }

    [Fact]
    public async Task A_crate_search_leads_to_its_batch_and_a_recall_marks_it_and_what_was_made_from_it()
    {
        await using var session = await Session.StartAsync(influx, chromium);
        var (cloud, scenario, context, page) = session;

        // Follow a crate to its batch from the search box.
        await page.GotoAsync("/regulator");
        await page.Locator("form.search input[name=q]").FillAsync(scenario.Crate);
        await page.Locator("form.search button").ClickAsync();
        Assert.Equal("crate", await page.Locator("p.matched").GetAttributeAsync("data-match"));
        await page.Locator($"a.code[href='/regulator/batches/{scenario.Batch}']").ClickAsync();
        await page.WaitForURLAsync($"**/regulator/batches/{scenario.Batch}");
        Assert.Contains("番茄", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);

        // The forward trace, then the recall: a wrong confirmation recalls nothing; the right one recalls both.
        await page.Locator("a.recall-link").ClickAsync();
        await page.WaitForURLAsync($"**/regulator/batches/{scenario.Batch}/recall");
        Assert.Equal(2, await page.Locator("tr.affected").CountAsync());
        Assert.Contains("海峡农产品批发市场", await page.Locator("ul.receivers").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("input[name=reason]").FillAsync("农药残留超标");
        await page.Locator("input[name=confirm]").FillAsync("0000000000000000");
        await page.Locator("button.danger").ClickAsync();
        Assert.Contains("不符", await page.Locator("p.problem").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("packed", await StatusAsync(cloud, scenario.Batch));

        await page.Locator("input[name=reason]").FillAsync("农药残留超标");
        await page.Locator("input[name=confirm]").FillAsync(scenario.Batch);
        await page.Locator("button.danger").ClickAsync();
        await Assertions.Expect(page.Locator(".recall-done")).ToBeVisibleAsync();
        Assert.Equal(2, await page.Locator("a.recalled-now").CountAsync());
        await ChromiumFixture.ScreenshotAsync(page, "regulator-recall");
        Assert.Equal("recalled", await StatusAsync(cloud, scenario.Batch));
        Assert.Equal("recalled", await StatusAsync(cloud, scenario.Sauce));

        // The batch page now leads with the recall.
        await page.GotoAsync($"/regulator/batches/{scenario.Sauce}");
        Assert.Contains("农药残留超标", await page.Locator(".alerts").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_label_sheet_in_the_browser_decodes_to_the_batch_s_Digital_Link_which_leads_to_its_public_page()
    {
        // Rendered at 3 device pixels a CSS pixel, about as finely as a laser printer prints the sheet (at 1, a module
        // of the QR code is under 2 pixels: no camera sees a printed label that coarsely).
        await using var session = await Session.StartAsync(influx, chromium, scale: 3);
        var (cloud, scenario, context, page) = session;
        await page.GotoAsync($"/regulator/batches/{scenario.Batch}");
        await page.GetByRole(AriaRole.Link, new() { Name = "标签打印页", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/labels/{scenario.Batch}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // One crate holds the batch: one label, which an independent decoder reads from the screen as the batch's
        // GS1 Digital Link (its product has a GTIN; the lot is the trace code).
        string decoded = await Zbar.DecodeAsync(await ChromiumFixture.ScreenshotAsync(page, "label-sheet"));
        Assert.Equal(new Uri(cloud.BaseAddress, $"01/09521234543213/10/{scenario.Batch}").ToString(), decoded);
        var phone = await context.NewPageAsync();
        await phone.GotoAsync(decoded);
        Assert.EndsWith($"/t/{scenario.Batch}", phone.Url, StringComparison.Ordinal);
        Assert.Contains(Grouped(scenario.Batch), await phone.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        await ChromiumFixture.ScreenshotAsync(phone, "public-page");
    }

    /// <summary>The cloud on a loopback port with the scenario's records, and a fresh browser context with a page.</summary>
    sealed record Session(CloudRig Cloud, RegulatorScenario Scenario, IBrowserContext Context, IPage Page) : IAsyncDisposable
    {
        public static async Task<Session> StartAsync(InfluxDbFixture influx, ChromiumFixture chromium, float scale = 1)
        {
            var cloud = await CloudRig.StartAsync(influx.Server, [RegulatorScenario.Gateway], listen: true);
            try
            {
                var scenario = await RegulatorScenario.SeedAsync(cloud);
                var context = await chromium.NewContextAsync(cloud.BaseAddress, scale: scale);
                return new Session(cloud, scenario, context, await context.NewPageAsync());
            }
            catch
            {
                await cloud.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Context.DisposeAsync();
            await Cloud.DisposeAsync();
        }
    }

    static string Grouped(string code) => Iot.Contracts.Identifiers.BatchTraceCode.GroupedOrAsIs(code);

    static async Task<string> StatusAsync(CloudRig cloud, string code)
    {
        var batch = System.Text.Json.Nodes.JsonNode.Parse(await cloud.Http.GetStringAsync(new Uri($"/api/batches/{code}", UriKind.Relative)))!;
        return batch["batch"]!["status"]!.GetValue<string>();
    }

    /// <summary>Pixels of a canvas that are not blank: a chart that drew nothing has only its axes' few.</summary>
    static Task<int> InkedPixelsAsync(IPage page, string canvas) =>
        page.Locator(canvas).First.EvaluateAsync<int>(
            """
            c => {
              const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
              let inked = 0;
              for (let i = 0; i < data.length; i += 4) {
                if (data[i + 3] > 0 && !(data[i] > 240 && data[i + 1] > 240 && data[i + 2] > 240)) inked++;
              }
              return inked;
            }
            """);

    [GeneratedRegex(@"(间隔|interval) \d+[mhd]")]
    private static partial Regex IntervalPattern();
}
