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

    [Fact]
    public void Configured_batches_are_announced_once_at_first_start_and_for_zones_added_later()
    {
        var first = Open();
        var entered = Assert.IsType<BatchEnteredEvent>(Assert.Single(first.AnnounceConfigured(At)));
        Assert.Equal((GatewayRig.Batch1, "gh1", BatchSource.Configuration, At), (entered.Batch, entered.Zone, entered.By, entered.Time));
        Assert.Equal([GatewayRig.Batch1], entered.TraceCodes);
        Assert.Empty(first.AnnounceConfigured(At));

        // A restart announces nothing again; a zone added to the configuration is announced then.
        Assert.Empty(Open().AnnounceConfigured(At));
        var grown = new BatchStamps(
            new Dictionary<string, IReadOnlyList<string>> { ["gh1"] = [GatewayRig.Batch1], ["line-1"] = [], ["gh2"] = [GatewayRig.Batch2] },
            Path.Combine(_folder, "stamps.json"));
        var added = Assert.IsType<BatchEnteredEvent>(Assert.Single(grown.AnnounceConfigured(At)));
        Assert.Equal((GatewayRig.Batch2, "gh2"), (added.Batch, added.Zone));
    }

    [Fact]
    public void A_zone_changed_before_the_announcement_is_not_announced_with_its_old_batch()
    {
        var stamps = Open();
        stamps.Set("gh1", GatewayRig.Batch2, BatchSource.Command, At);
        Assert.Empty(stamps.AnnounceConfigured(At));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
