using System.Net;
using Iot.Cloud.Tests.Browser;
using Iot.Cloud.Tests.Registry;
using Iot.Cloud.Web.Regulator;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Web;

/// <summary>The regulator pages over plain HTTP: what the search takes a query for, refusals, assets, personal data.</summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class RegulatorPageTests(InfluxDbFixture influx)
{
    [Fact]
    public async Task The_search_takes_each_kind_of_query_for_what_it_is_and_says_so()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, [RegulatorScenario.Gateway]);
        var scenario = await RegulatorScenario.SeedAsync(cloud);

        foreach (var (query, match) in new[]
        {
            (scenario.Batch.ToLowerInvariant(), "batch"),
            (Iot.Contracts.Identifiers.BatchTraceCode.GroupedOrAsIs(scenario.Batch), "batch"),
            (Iot.Contracts.Identifiers.BatchTraceCode.GroupedOrAsIs(scenario.Batch).Replace(' ', '-').ToLowerInvariant(), "batch"),
            ("350200-2026-000123", "nationalcode"),
            (scenario.Crate, "crate"),
            ("绿源", "producer"),
            ("91350200776049653A", "producer"),
            ("3502", "region"),
            ("福建", "region"),
            ("Fujian", "region"),
        })
        {
            string page = await Pages.GetAsync(cloud.Http, $"/regulator?q={Uri.EscapeDataString(query)}", HttpStatusCode.OK);
            Assert.Contains($"data-match=\"{match}\"", page, StringComparison.Ordinal);
            Assert.Contains($"href=\"/regulator/batches/{scenario.Batch}\"", page, StringComparison.Ordinal);
        }

        // A region with no producers, a name no one has, a mistyped code: no batches, and for the code, why.
        Assert.DoesNotContain("/regulator/batches/", await Pages.GetAsync(cloud.Http, "/regulator?q=44", HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Contains("data-match=\"none\"", await Pages.GetAsync(cloud.Http, "/regulator?q=nobody", HttpStatusCode.OK), StringComparison.Ordinal);
        string mistyped = await Pages.GetAsync(cloud.Http, "/regulator?q=7K3M9Q2TXW4A1B64", HttpStatusCode.OK);
        Assert.Contains("class=\"problem\"", mistyped, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"problem\"", await Pages.GetAsync(cloud.Http, "/regulator?q=350200-2026-000999", HttpStatusCode.OK), StringComparison.Ordinal);

        // No query: the latest batches, the sauce among them.
        Assert.Contains($"/regulator/batches/{scenario.Sauce}", await Pages.GetAsync(cloud.Http, "/regulator", HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Contains("data-match=\"none\"", await Pages.GetAsync(cloud.Http, "/regulator/batches/HN8RD4CFQ2LKM3P7", HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public void A_region_is_a_division_prefix_or_a_province_name()
    {
        Assert.Equal(("3502", "福建省 3502"), RegulatorSearch.RegionPrefix("3502"));
        Assert.Equal(("44", "广东省"), RegulatorSearch.RegionPrefix("广东"));
        Assert.Equal(("44", "广东省"), RegulatorSearch.RegionPrefix("guangdong"));
        Assert.Null(RegulatorSearch.RegionPrefix("99"));
        Assert.Null(RegulatorSearch.RegionPrefix("350"));
        Assert.Null(RegulatorSearch.RegionPrefix("番茄"));
    }

    [Fact]
    public async Task A_recall_without_the_page_s_token_recalls_nothing()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, [RegulatorScenario.Gateway]);
        var scenario = await RegulatorScenario.SeedAsync(cloud);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "test", ["confirm"] = scenario.Batch });
        using var response = await cloud.Http.PostAsync(new Uri($"/regulator/batches/{scenario.Batch}/recall", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("class=\"problem\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"recalled\"", await cloud.Http.GetStringAsync(new Uri($"/api/batches/{scenario.Batch}", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_household_s_resident_id_shows_only_masked_to_a_regulator()
    {
        const string HouseholdId = "11010519491231002X";
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        long household = (await RegistryApi.PostAsync(cloud.Http, "/api/parties", new { kind = "household", role = "farm", name = "张三家庭农场", residentId = HouseholdId, divisionCode = "350206" }))["party"]!["id"]!.GetValue<long>();
        await RegistryApi.RegisterBatchAsync(cloud.Http, Messages.Batch, household);
        foreach (string path in new[] { $"/regulator/batches/{Messages.Batch}", $"/regulator/batches/{Messages.Batch}/recall", "/regulator?q=张三", "/regulator?q=110105" })
        {
            string page = await Pages.GetAsync(cloud.Http, path, HttpStatusCode.OK);
            Assert.DoesNotContain(HouseholdId, page, StringComparison.Ordinal);
        }

        Assert.Contains("110105********002X", await Pages.GetAsync(cloud.Http, $"/regulator/batches/{Messages.Batch}", HttpStatusCode.OK), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_are_served_with_their_version_and_cached()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        string page = await Pages.GetAsync(cloud.Http, "/regulator", HttpStatusCode.OK);
        string css = System.Text.RegularExpressions.Regex.Match(page, "/assets/regulator\\.css\\?v=[0-9a-f]{12}").Value;
        Assert.NotEmpty(css);
        using var first = await cloud.Http.GetAsync(new Uri(css, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/css", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromDays(365), first.Headers.CacheControl?.MaxAge);
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(css, UriKind.Relative));
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await cloud.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        foreach (string asset in new[] { "uplot.min.js", "uplot.min.css", "batch-charts.js" })
        {
            using var response = await cloud.Http.GetAsync(new Uri($"/assets/{asset}", UriKind.Relative));
            Assert.True(response.IsSuccessStatusCode, asset);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000, asset);
        }

        using var missing = await cloud.Http.GetAsync(new Uri("/assets/nothing.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
