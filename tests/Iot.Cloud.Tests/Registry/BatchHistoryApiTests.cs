using System.Net;
using System.Text.Json.Nodes;
using Iot.Contracts.Topics;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Registry;

/// <summary>The sensor record of a registered batch through the API: what the gateway sent, stamped with its code.</summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class BatchHistoryApiTests(InfluxDbFixture influx)
{
    [Fact]
    public async Task A_batch_history_and_its_raw_series_hold_exactly_the_readings_stamped_with_it()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        var http = cloud.Http;
        await RegistryApi.RegisterFarmBatchAsync(http, Messages.Batch);

        var start = DateTime.UtcNow.AddMinutes(-30);
        using var gateway = await cloud.ConnectAsync("gw-1");
        Assert.True((await CloudRig.PublishAsync(gateway, Topic.Readings("gw-1").ToString(), Messages.Bytes(Messages.Readings("gw-1", 1, 40, start)))).IsSuccess);

        string window = $"from={Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTime.UtcNow.ToString("O"))}";
        var history = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/batches/{Messages.Batch}/history?{window}", UriKind.Relative)))!;
        var series = Assert.Single(history["series"]!.AsArray())!;
        Assert.Equal(("Temperature", "CEL", "gh1-air", "stamped"), (series["measurement"]!.GetValue<string>(), series["unit"]!.GetValue<string>(), series["sensorId"]!.GetValue<string>(), series["link"]!.GetValue<string>()));
        Assert.Equal(40, series["points"]!.AsArray().Sum(p => p!["count"]!.GetValue<long>()));
        Assert.Equal(20.0, series["points"]!.AsArray().Min(p => p!["min"]!.GetValue<double>()));
        Assert.Equal(23.9, series["points"]!.AsArray().Max(p => p!["max"]!.GetValue<double>()), 6);

        string csv = await http.GetStringAsync(new Uri($"/api/batches/{Messages.Batch}/series.csv?measurement=Temperature&unit=CEL&gateway=gw-1&zone=gh1&sensor=gh1-air&{window}", UriKind.Relative));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time,value,unit,quality,batch", lines[0]);
        Assert.Equal(41, lines.Length);
        Assert.EndsWith($",20,CEL,good,{Messages.Batch}", lines[1], StringComparison.Ordinal);

        using var unknown = await http.GetAsync(new Uri("/api/batches/HN8RD4CFQ2LKM3P7/history", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badMeasurement = await http.GetAsync(new Uri($"/api/batches/{Messages.Batch}/series.csv?measurement=Weather&unit=CEL&gateway=gw-1&zone=gh1&sensor=gh1-air", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badMeasurement.StatusCode);
        Assert.Contains("measurement", await badMeasurement.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_window_starts_at_the_first_stamped_reading_even_one_that_arrives_late()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        var http = cloud.Http;
        await RegistryApi.RegisterFarmBatchAsync(http, Messages.Batch);
        using var gateway = await cloud.ConnectAsync("gw-1");
        async Task<DateTimeOffset> FromAsync() =>
            DateTimeOffset.Parse(JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/batches/{Messages.Batch}/history", UriKind.Relative)))!["from"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        // Stamped two days before the batch was registered: the record starts there (asked of InfluxDB, then kept).
        var twoDaysAgo = DateTime.UtcNow.Date.AddDays(-2).AddHours(3);
        Assert.True((await CloudRig.PublishAsync(gateway, Topic.Readings("gw-1").ToString(), Messages.Bytes(Messages.Readings("gw-1", 1, 10, twoDaysAgo)))).IsSuccess);
        Assert.Equal(new DateTimeOffset(twoDaysAgo), await FromAsync());
        Assert.Equal(new DateTimeOffset(twoDaysAgo), await FromAsync());

        // A gateway's outbox delivers readings from a day earlier still: the kept start moves back with them.
        var threeDaysAgo = twoDaysAgo.AddDays(-1);
        Assert.True((await CloudRig.PublishAsync(gateway, Topic.Readings("gw-1").ToString(), Messages.Bytes(Messages.Readings("gw-1", 2, 10, threeDaysAgo)))).IsSuccess);
        Assert.Equal(new DateTimeOffset(threeDaysAgo), await FromAsync());

        // Later readings move nothing.
        Assert.True((await CloudRig.PublishAsync(gateway, Topic.Readings("gw-1").ToString(), Messages.Bytes(Messages.Readings("gw-1", 3, 10, DateTime.UtcNow.AddMinutes(-5))))).IsSuccess);
        Assert.Equal(new DateTimeOffset(threeDaysAgo), await FromAsync());
    }
}
