using System.Net;
using Iot.Cloud.History;
using Iot.Cloud.Web;
using Iot.Contracts.Topics;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Registry;

/// <summary>The page a shopper sees after scanning a label: plain, honest, and without personal data.</summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class PublicPageTests(InfluxDbFixture influx)
{
    const string HouseholdId = "11010519491231002X";

    [Fact]
    public async Task A_household_batch_shows_product_producer_region_and_sensor_record_but_never_the_resident_id()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        var http = cloud.Http;
        long household = (await RegistryApi.PostAsync(http, "/api/parties", new { kind = "household", role = "farm", name = "张三家庭农场", residentId = HouseholdId, divisionCode = "350206" }))["party"]!["id"]!.GetValue<long>();
        await RegistryApi.RegisterBatchAsync(http, Messages.Batch, household);
        using var gateway = await cloud.ConnectAsync("gw-1");

        // Readings just after today's midnight (UTC): the record is one whole day, whenever the test runs.
        Assert.True((await CloudRig.PublishAsync(gateway, Topic.Readings("gw-1").ToString(), Messages.Bytes(Messages.Readings("gw-1", 1, 20, start: DateTime.UtcNow.Date.AddSeconds(1))))).IsSuccess);

        string chinese = await Pages.GetAsync(http, $"/t/{Messages.Batch}", HttpStatusCode.OK);
        foreach (string shown in new[] { "<h1>番茄</h1>", "张三家庭农场", "福建省", "7K3M 9Q2T XW4A 1B63", "1 天，无缺口", "lang=\"zh-CN\"" })
        {
            Assert.Contains(shown, chinese, StringComparison.Ordinal);
        }

        string english = await Pages.GetAsync(http, $"/t/{Messages.Batch}?lang=en", HttpStatusCode.OK);
        Assert.Contains("Fujian", english, StringComparison.Ordinal);
        Assert.Contains("1 day, no gaps", english, StringComparison.Ordinal);
        Assert.Contains("lang=\"en\"", await Pages.GetAsync(http, $"/t/{Messages.Batch}", HttpStatusCode.OK, language: "en-GB,en;q=0.9"), StringComparison.Ordinal);

        // No personal data, masked or not, and no internal ids or raw series.
        foreach (string page in new[] { chinese, english })
        {
            Assert.DoesNotContain(HouseholdId, page, StringComparison.Ordinal);
            Assert.DoesNotContain("110105", page, StringComparison.Ordinal);
            Assert.DoesNotContain("****", page, StringComparison.Ordinal);
            Assert.DoesNotContain("/api/", page, StringComparison.Ordinal);
            Assert.DoesNotContain("gh1-air", page, StringComparison.Ordinal);
        }

        await RegistryApi.PostAsync(http, $"/api/batches/{Messages.Batch}/recall", new { reason = "农残超标" });
        Assert.Contains("该批次已召回", await Pages.GetAsync(http, $"/t/{Messages.Batch}", HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Contains("未找到", await Pages.GetAsync(http, "/t/HN8RD4CFQ2LKM3P7", HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sensor_record_names_the_days_with_gaps_as_ranges()
    {
        static SensorSummary Day(int day, long count) => new(
            "Temperature", "CEL", "gw-1", "gh1", null, "gh1-air", SeriesLink.Stamped,
            new DateTimeOffset(2026, 11, day, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, day + 1, 0, 0, 0, TimeSpan.Zero),
            count == 0 ? null : 20, count == 0 ? null : 25, count == 0 ? null : 22, count);

        SensorSummary[] record = [Day(1, 1440), Day(2, 0), Day(3, 0), Day(4, 1440), Day(5, 0)];
        Assert.Equal("5 天，缺口：2026-11-02 – 2026-11-03、2026-11-05（UTC）", PublicPage.SensorRecord(record, english: false));
        Assert.Equal("5 days, gaps on 2026-11-02 – 2026-11-03, 2026-11-05 (UTC)", PublicPage.SensorRecord(record, english: true));
        Assert.Equal("no sensor record", PublicPage.SensorRecord([], english: true));
        Assert.Equal("暂时无法读取", PublicPage.SensorRecord(null, english: false));
    }
}
