using Iot.Contracts.Topics;
using Iot.Testing.InfluxDb;
using MQTTnet;
using MQTTnet.Protocol;

namespace Iot.Cloud.Tests.EndToEnd;

[Collection(InfluxDbFixture.CollectionName)]
public sealed class InProcessIngestionTests(InfluxDbFixture influx)
{
    [Fact]
    public async Task A_readings_message_is_acknowledged_after_each_reading_became_one_point()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        using var gateway = await cloud.ConnectAsync("gw-1");

        var result = await gateway.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topic.Readings("gw-1").ToString())
            .WithPayload(Messages.Bytes(Messages.Readings("gw-1", 1, 250)))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

        Assert.True(result.IsSuccess, result.ReasonString);
        // The PUBACK came after the write: the points are there without waiting.
        Assert.Equal(250, await cloud.CountAsync("Temperature"));
        var rows = await cloud.QueryAsync("SELECT * FROM \"Temperature\" LIMIT 1");
        Assert.Equal("gw-1", rows[0]["gateway"].GetString());
        Assert.Equal("gh1", rows[0]["zone"].GetString());
        Assert.Equal("gh1-air", rows[0]["sensor"].GetString());
        Assert.Equal(Messages.Batch, rows[0]["batch"].GetString());
        Assert.Equal("CEL", rows[0]["unit"].GetString());
        Assert.Equal("good", rows[0]["quality"].GetString());
        Assert.Equal(1, rows[0]["seq"].GetInt64());
    }
}
