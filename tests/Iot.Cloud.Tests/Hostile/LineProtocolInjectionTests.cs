using Iot.Cloud.Points;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;
using Iot.Testing.InfluxDb;
using Microsoft.Extensions.DependencyInjection;

namespace Iot.Cloud.Tests.Hostile;

/// <summary>
/// Line protocol injection past the contract. The contract refuses ids with ',', ' ', '=' and quotes (see
/// <see cref="HostileCases"/>); here, what does reach a tag: a batch tag made of two trace codes has a comma in it, and
/// a point made from a message the contract never saw carries every character line protocol gives meaning to. Both go
/// through the cloud's own mapping and writer and come back from InfluxDB exactly, as one series, with nothing injected.
/// (Escaping per position and the raw client's round trip are tested in Iot.InfluxDb.Tests.)
/// </summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class LineProtocolInjectionTests(InfluxDbFixture influx)
{
    [Fact]
    public async Task A_batch_tag_of_two_trace_codes_keeps_its_comma_through_MQTT_and_InfluxDB()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        using var client = await cloud.ConnectAsync("gw-1");
        var message = Messages.Readings("gw-1", 1, [Messages.Reading(MeasurementType.Temperature, 21.5, traceCodes: [Messages.OtherBatch, Messages.Batch])]);

        var puback = await CloudRig.PublishAsync(client, Topic.Readings("gw-1").ToString(), Messages.Bytes(message));

        Assert.True(puback.IsSuccess, puback.ReasonString);
        string both = $"{Messages.Batch},{Messages.OtherBatch}";
        var rows = await cloud.QueryAsync($"SELECT value, batch FROM \"Temperature\" WHERE batch = '{both}'");
        Assert.Equal(both, Assert.Single(rows)["batch"].GetString());
        var series = Assert.Single(await HostileInputTests.SeriesAsync(cloud));
        Assert.Equal($"Temperature,batch={Messages.Batch}\\,{Messages.OtherBatch},gateway=gw-1,sensor=gh1-air,zone=gh1", series);
    }

    [Theory]
    [InlineData("gh1,gateway=gw-evil value=99 1", "s \"1\" = x")]
    [InlineData("gh1\" value=99", "a=b,c=d")]
    [InlineData("zone 1", "'quoted', sensor")]
    public async Task Tag_values_with_commas_spaces_equals_signs_and_quotes_round_trip_through_the_cloud_writer(string zone, string sensor)
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        var writer = cloud.Services.GetRequiredService<PointWriter>();
        var time = DateTime.UtcNow.AddMinutes(-1);
        var reading = Messages.Reading(MeasurementType.Temperature, 21.5, time, sensor) with { Zone = zone };
        var message = Messages.Readings("gw-1", 1, [reading]);
        var point = PointMapping.Reading(message, reading, DateTimeOffset.UtcNow);

        var rejected = await writer.WriteAsync([point], CancellationToken.None);

        Assert.Empty(rejected);
        var rows = await cloud.QueryAsync("SELECT * FROM \"Temperature\"");
        var row = Assert.Single(rows);
        Assert.Equal(zone, row["zone"].GetString());
        Assert.Equal(sensor, row["sensor"].GetString());
        Assert.Equal("gw-1", row["gateway"].GetString());
        Assert.Equal(21.5, row["value"].GetDouble());
        Assert.Equal(new DateTimeOffset(reading.Time).ToUnixTimeMilliseconds(), row["time"].GetInt64());
        Assert.Equal(
            ["batch", "clock", "gateway", "quality", "sensor", "seq", "time", "unit", "value", "zone"],
            row.Keys.Order(StringComparer.Ordinal));
        Assert.Single(await HostileInputTests.SeriesAsync(cloud));
        Assert.Single(await cloud.QueryAsync("SHOW MEASUREMENTS"));
    }
}
