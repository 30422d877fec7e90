using Iot.Contracts.Messages;
using Iot.Edge.Stamping;

namespace Iot.Edge.Tests.Stamping;

public sealed class BatchStampsTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("iot-stamps-").FullName;
    static readonly DateTime At = new(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc);

    BatchStamps Open() => new(
        new Dictionary<string, IReadOnlyList<string>> { ["gh1"] = [GatewayRig.Batch1], ["line-1"] = [] },
        Path.Combine(_folder, "stamps.json"));

    [Fact]
    public void A_batch_change_is_itself_a_pair_of_trace_events()
    {
        var stamps = Open();
        var events = stamps.Set("gh1", GatewayRig.Batch2, BatchSource.Command, At);
        var left = Assert.IsType<BatchLeftEvent>(events[0]);
        var entered = Assert.IsType<BatchEnteredEvent>(events[1]);
        Assert.Equal((GatewayRig.Batch1, "gh1", BatchSource.Command), (left.Batch, left.Zone, left.By));
        Assert.Equal((GatewayRig.Batch2, "gh1"), (entered.Batch, entered.Zone));
        Assert.Equal([GatewayRig.Batch2], entered.TraceCodes);
        Assert.Equal([GatewayRig.Batch2], stamps.CodesIn("gh1"));
    }

    [Fact]
    public void Setting_the_batch_already_there_changes_nothing_and_null_empties_the_zone()
    {
        var stamps = Open();
        Assert.Empty(stamps.Set("gh1", GatewayRig.Batch1, BatchSource.Command, At));
        var events = stamps.Set("gh1", null, BatchSource.Command, At);
        Assert.IsType<BatchLeftEvent>(Assert.Single(events));
        Assert.Empty(stamps.CodesIn("gh1"));
    }

    [Fact]
    public void The_active_batches_survive_a_restart_and_win_over_the_configuration()
    {
        Open().Set("gh1", GatewayRig.Batch2, BatchSource.Command, At);
        Assert.Equal([GatewayRig.Batch2], Open().CodesIn("gh1"));
    }

    [Fact]
    public void Unknown_zones_and_invalid_codes_are_refused_with_the_reason()
    {
        var stamps = Open();
        Assert.Contains("no zone or line 'gh9'", Assert.Throws<ArgumentException>(() => stamps.Set("gh9", GatewayRig.Batch1, BatchSource.Command, At)).Message, StringComparison.Ordinal);
        Assert.Contains("check character", Assert.Throws<ArgumentException>(() => stamps.Set("gh1", "7K3M9Q2TXW4A1B64", BatchSource.Command, At)).Message, StringComparison.Ordinal);
        Assert.Equal([GatewayRig.Batch1], stamps.CodesIn("gh1"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
