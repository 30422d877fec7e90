using System.Globalization;
using System.Net.Http.Json;
using Iot.Bench.History;
using Iot.Bench.Ingest;
using Iot.Testing;
using Iot.Testing.Browser;
using Iot.Testing.InfluxDb;
using Iot.Testing.Processes;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Iot.Bench.Web;

/// <summary>
/// <c>./iot bench web [--quick]</c>: how long the regulator's batch page takes, in Debian's Chromium, from navigation
/// to the charts drawn with data, for a batch with 90 days (<c>--quick</c>: 9) of 10 sensors reading once a minute
/// (the data of <c>./iot bench history</c>), served by the real <c>iot-cloud</c> process on loopback. The loads are
/// a regulator's browser opening the page in a new tab again and again: the first (cold) with nothing cached, the
/// warm ones with the scripts and styles cached as their immutable addresses allow; the record itself is read anew
/// every time (the server sends it uncacheable). The figure is what the page itself records
/// (<c>data-drawn-ms</c>: <c>performance.now()</c> after the last chart drew, counted from navigation start).
/// Last line: <c>web: first_paint_ms=N points=M</c> (N: median of the warm loads; M: the points the charts drew).
/// </summary>
internal static class WebBench
{
    const int WarmLoads = 7;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        bool quick = args.Contains("--quick");
        int days = quick ? 9 : 90;
        void Say(string line) => output.WriteLine("web: " + line);
        Say($"machine: {Environment.ProcessorCount} CPUs, load average {Figures.LoadAverage()}");

        await using var influx = await InfluxDbServer.StartNewAsync(new InfluxDbOptions { LogLevel = "warn" }, ct);
        const string database = "web";
        await influx.CreateDatabaseAsync(database, ct);
        var start = DateTime.UtcNow.Date.AddDays(-days - 1);
        var end = start.AddDays(days);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        long written = await HistoryBench.WriteAsync(http, influx, database, start, end, ct);

        string folder = Directory.CreateTempSubdirectory("iot-bench-web-").FullName;
        int webPort = FreePort.Next();
        var web = new Uri($"http://127.0.0.1:{webPort}/");
        string storage = Path.Combine(folder, "cloud.db");
        using var cloud = AppProcess.Start("iot-cloud", folder,
            $"--Urls={web}",
            $"--Broker:Port={FreePort.Next()}",
            $"--InfluxDb:Url={influx.BaseUri}",
            $"--InfluxDb:Database={database}",
            "--InfluxDb:Gzip=false",
            $"--Storage:Path={storage}",
            "--Rollup:Interval=00:00:01",
            "--Logging:LogLevel:Default=Warning");
        try
        {
            await IngestBench.WaitReadyAsync(http, web, cloud, ct);
            await SeedAsync(http, web, new DateTimeOffset(start), ct);

            // The readings went into InfluxDB before the cloud started, as years of history would have: the cloud's
            // rollup worker backfills its hourly rollups over them, back to its earliest hour. Wait for all of it, so
            // the loads meet the steady state a regulator meets (and no backfill competing for InfluxDB).
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long earliest = Iot.Cloud.History.Rollups.HourlyRollup.Earliest.ToUnixTimeSeconds();
            await Eventually.TrueAsync(() => CoveredFrom(storage) is { } covered && covered <= earliest, TimeSpan.FromMinutes(10), () => "the cloud's hourly rollups to cover the record");
            Say(string.Create(CultureInfo.InvariantCulture, $"cloud: pid {cloud.Id}; {written} readings ({days} days x {HistoryBench.Sensors} sensors x 1/min) rolled up (backfill to {Iot.Cloud.History.Rollups.HourlyRollup.Earliest:yyyy-MM-dd}) in {clock.Elapsed.TotalSeconds:F0} s"));

            // The record alone, without a browser competing for the CPU: what the server's part of a load costs.
            var alone = new List<double>();
            for (int i = 0; i < WarmLoads; i++)
            {
                long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(new Uri(web, $"api/batches/{HistoryBench.Code}/history?points={Iot.Cloud.Web.Regulator.BatchPage.OverviewPoints}"), ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                alone.Add(System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                Say(string.Create(CultureInfo.InvariantCulture, $"record alone {i + 1}: {alone[^1]:F0} ms (server {string.Join(", ", response.Headers.GetValues("Server-Timing"))})"));
            }

            var (playwright, browser) = await DebianChromium.LaunchAsync();
            using (playwright)
            await using (browser)
            await using (var regulator = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } }))
            {
                var timings = new List<double>();
                int points = 0;
                for (int load = 0; load <= WarmLoads; load++)
                {
                    var (drawn, drew, series, steps) = await LoadAsync(regulator, new Uri(web, $"regulator/batches/{HistoryBench.Code}"));
                    points = drew;
                    Say(string.Create(CultureInfo.InvariantCulture, $"{(load == 0 ? "cold" : $"warm {load}")}: charts drawn at {drawn:F0} ms ({series} series, {drew} points; {steps})"));
                    if (load > 0)
                    {
                        timings.Add(drawn);
                    }
                }

                double median = Figures.Median(timings);
                Say($"machine: load average {Figures.LoadAverage()} at the end");
                Say(string.Create(CultureInfo.InvariantCulture, $"target: < 1000 ms for 90 days of 10 sensors ({(quick ? "not measured: --quick" : median < 1000 ? "met" : "MISSED")})"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"web: first_paint_ms={median:F0} points={points}"));
                return points > 0 ? 0 : 1;
            }
        }
        finally
        {
            await cloud.StopAsync(TimeSpan.FromSeconds(20));
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// One page load in a new tab: when the charts drew, how many points and series, and where the time went
    /// (the browser's navigation and resource timings, in ms from navigation start).
    /// </summary>
    static async Task<(double Drawn, int Points, int Series, string Steps)> LoadAsync(IBrowserContext browser, Uri page)
    {
        var tab = await browser.NewPageAsync();
        await using var closing = new TabClosing(tab);
        await tab.GotoAsync(page.ToString());
        var charts = tab.Locator("#charts");
        await Assertions.Expect(charts).ToHaveAttributeAsync("data-drawn-ms", new System.Text.RegularExpressions.Regex(@"^\d+$"), new() { Timeout = 60_000 });
        double drawn = double.Parse((await charts.GetAttributeAsync("data-drawn-ms"))!, CultureInfo.InvariantCulture);
        int points = int.Parse((await charts.GetAttributeAsync("data-points"))!, CultureInfo.InvariantCulture);
        int series = int.Parse((await charts.GetAttributeAsync("data-series"))!, CultureInfo.InvariantCulture);
        string steps = await tab.EvaluateAsync<string>(
            """
            () => {
              const n = performance.getEntriesByType("navigation")[0];
              const r = (part) => performance.getEntriesByType("resource").find((e) => e.name.includes(part));
              const h = r("/history"), u = r("uplot.min.js");
              const f = performance.getEntriesByName("first-contentful-paint")[0];
              const ms = (v) => (v === undefined ? "?" : Math.round(v));
              const asked = performance.getEntriesByType("resource").filter((e) => e.name.includes("/history")).length;
              const timing = (name) => h?.serverTiming?.find((t) => t.name === name)?.duration;
              const read = `${ms(timing("window"))}+${ms(timing("read"))}`;
              return `page ${ms(n.responseStart)}-${ms(n.responseEnd)}, record ${ms(h?.startTime)}-${ms(h?.responseEnd)} (server window+read ${read}, first byte ${ms(h?.responseStart)}, ${ms(h?.transferSize / 1024)} kB, asked ${asked}x), uplot ${ms(u?.responseEnd)}, first contentful paint ${ms(f?.startTime)}`;
            }
            """);
        return (drawn, points, series, steps);
    }

    sealed class TabClosing(IPage tab) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(tab.CloseAsync());
    }

    /// <summary>The registry's records of the batch the readings are stamped with, and its stay in their zone.</summary>
    static async Task SeedAsync(HttpClient http, Uri web, DateTimeOffset start, CancellationToken ct)
    {
        async Task<System.Text.Json.Nodes.JsonNode> PostAsync(string path, object body)
        {
            using var response = await http.PostAsJsonAsync(new Uri(web, path), body, ct);
            string text = await response.Content.ReadAsStringAsync(ct);
            return response.IsSuccessStatusCode ? System.Text.Json.Nodes.JsonNode.Parse(text)! : throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        }

        long farm = (await PostAsync("api/parties", new { kind = "enterprise", role = "farm", name = "绿源蔬菜专业合作社", creditCode = "91350200776049653A", divisionCode = "350206" }))["party"]!["id"]!.GetValue<long>();
        long tomato = (await PostAsync("api/products", new { name = "番茄", category = "蔬菜" }))["id"]!.GetValue<long>();
        await PostAsync("api/batches", new { code = HistoryBench.Code, productId = tomato, producerId = farm });
        await PostAsync("api/zones", new { id = "z-gh1", partyId = farm, kind = "greenhouse", name = "1号大棚", gatewayId = HistoryBench.Gateway, gatewayZone = HistoryBench.Zone });
        await PostAsync("api/events", new { type = "batchEntered", time = start, zone = "z-gh1", details = new { batch = HistoryBench.Code } });
    }

    /// <summary>The first hour the cloud's rollups cover (its <c>rollup_state</c>), or null before the first round.</summary>
    static long? CoveredFrom(string storage)
    {
        using var connection = new SqliteConnection($"Data Source={storage};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM rollup_state WHERE key = 'covered_from'";
        return command.ExecuteScalar() is string value ? long.Parse(value, CultureInfo.InvariantCulture) : null;
    }
}
