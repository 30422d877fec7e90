using Iot.Contracts.Messages;
using Iot.Edge.Outbox;

namespace Iot.Edge.Tests.Outbox;

public sealed class OutboxWriterTests
{
    [Fact]
    public void Readings_are_split_so_no_message_exceeds_the_count_or_the_byte_plan_and_none_is_lost()
    {
        using var rig = new GatewayRig();
        var stored = rig.Writer.AppendReadings(rig.Readings(0, 1201).Readings, ClockState.Synchronized);
        Assert.Equal(3, stored.Count);
        Assert.Equal(1201, stored.Sum(e => e.Readings));
        Assert.All(stored, e => Assert.InRange(e.Readings, 1, OutboxWriter.ReadingsPerMessage));
        Assert.All(stored, e => Assert.True(e.Payload.Length <= OutboxWriter.PlannedMessageBytes));
    }

    [Fact]
    public void Readings_with_long_text_are_split_by_bytes_and_no_message_nears_the_contract_limit()
    {
        using var rig = new GatewayRig();
        string error = new('温', MessageSchemas.MaxText); // written as \\u6E29: six bytes a character
        var readings = rig.Readings(0, 400).Readings
            .Select(r => r with { Value = null, Quality = ReadingQuality.Bad, Error = error, TraceCodes = [GatewayRig.Batch1, GatewayRig.Batch2] })
            .ToList();
        var stored = rig.Writer.AppendReadings(readings, ClockState.Synchronized);
        Assert.True(stored.Count > 1);
        Assert.Equal(400, stored.Sum(e => e.Readings));
        Assert.All(stored, e => Assert.True(e.Payload.Length <= OutboxWriter.PlannedMessageBytes, $"{e.Payload.Length} bytes"));
        Assert.All(stored, e => Assert.True(e.Payload.Length < MessageSchemas.MaxPayloadBytes / 2));
    }
}
