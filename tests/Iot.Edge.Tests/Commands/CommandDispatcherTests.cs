using System.Text;
using System.Text.Json;
using Iot.Contracts.Messages;
using Iot.Contracts.Validation;

namespace Iot.Edge.Tests.Commands;

public sealed class CommandDispatcherTests
{
    static byte[] Json(CommandMessage c) => ContractWriter.Write(c);

    static SetBatchCommand SetBatch(string zone, string? batch, string id = "c-1") => new()
    {
        Schema = MessageSchemas.Command,
        GatewayId = "gw-rig-1",
        Seq = 1,
        CommandId = id,
        IssuedAt = DateTime.UtcNow,
        Zone = zone,
        Batch = batch,
    };

    [Fact]
    public void Set_batch_changes_the_stamp_stores_the_events_and_answers_done()
    {
        using var rig = new GatewayRig();
        var result = rig.Commands().Handle("agri/v1/gw-rig-1/cmd/set-batch", Json(SetBatch("gh2", GatewayRig.Batch2)));
        Assert.Equal(CommandOutcome.Done, result!.Outcome);
        Assert.Equal([GatewayRig.Batch2], rig.Stamps.CodesIn("gh2"));
        var kinds = rig.Outbox.Peek(10).Select(e => e.Kind).ToList();
        Assert.Equal([Iot.Edge.Outbox.OutboxEntryKind.Events, Iot.Edge.Outbox.OutboxEntryKind.CommandResult], kinds);
    }

    [Fact]
    public void A_repeated_delivery_is_answered_again_but_not_carried_out_twice()
    {
        using var rig = new GatewayRig();
        var commands = rig.Commands();
        commands.Handle("agri/v1/gw-rig-1/cmd/set-batch", Json(SetBatch("gh2", GatewayRig.Batch2)));
        commands.Handle("agri/v1/gw-rig-1/cmd/set-batch", Json(SetBatch("gh2", GatewayRig.Batch2)));
        var kinds = rig.Outbox.Peek(10).Select(e => e.Kind).ToList();
        Assert.Equal(1, kinds.Count(k => k == Iot.Edge.Outbox.OutboxEntryKind.Events));
        Assert.Equal(2, kinds.Count(k => k == Iot.Edge.Outbox.OutboxEntryKind.CommandResult));
    }

    [Fact]
    public void An_unknown_zone_is_rejected_with_the_zones_there_are()
    {
        using var rig = new GatewayRig();
        var result = rig.Commands().Handle("agri/v1/gw-rig-1/cmd/set-batch", Json(SetBatch("gh9", GatewayRig.Batch2)));
        Assert.Equal(CommandOutcome.Rejected, result!.Outcome);
        Assert.Contains("no zone or line 'gh9'", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_command_is_rejected_with_the_contract_s_reason_when_its_id_can_be_read()
    {
        using var rig = new GatewayRig();
        var bad = Encoding.UTF8.GetString(Json(SetBatch("gh2", GatewayRig.Batch2))).Replace(GatewayRig.Batch2, "HN8RD4CFQ2LKM3P8", StringComparison.Ordinal);
        var result = rig.Commands().Handle("agri/v1/gw-rig-1/cmd/set-batch", Encoding.UTF8.GetBytes(bad));
        Assert.Equal(CommandOutcome.Rejected, result!.Outcome);
        Assert.Contains("check character", result.Detail, StringComparison.Ordinal);
        Assert.Null(rig.Commands().Handle("agri/v1/gw-rig-1/cmd/set-batch", "{not json"u8));
    }

    [Fact]
    public void Tare_and_report_status_reach_their_targets_and_an_expired_command_is_not_carried_out()
    {
        using var rig = new GatewayRig();
        var commands = rig.Commands();
        var tare = new TareCommand { Schema = MessageSchemas.Command, GatewayId = "gw-rig-1", Seq = 2, CommandId = "c-2", IssuedAt = DateTime.UtcNow, ScaleId = "scale-9" };
        var failed = commands.Handle("agri/v1/gw-rig-1/cmd/tare", Json(tare));
        Assert.Equal((CommandOutcome.Failed, "no scale 'scale-9'"), (failed!.Outcome, failed.Detail));

        var report = new ReportStatusCommand { Schema = MessageSchemas.Command, GatewayId = "gw-rig-1", Seq = 3, CommandId = "c-3", IssuedAt = DateTime.UtcNow };
        Assert.Equal(CommandOutcome.Done, commands.Handle("agri/v1/gw-rig-1/cmd/report-status", Json(report))!.Outcome);
        Assert.Equal(1, rig.StatusRequests);

        var expired = SetBatch("gh2", GatewayRig.Batch2, "c-4") with { IssuedAt = DateTime.UtcNow.AddHours(-2), ExpiresAt = DateTime.UtcNow.AddHours(-1) };
        Assert.Equal(CommandOutcome.Expired, commands.Handle("agri/v1/gw-rig-1/cmd/set-batch", Json(expired))!.Outcome);
        Assert.Empty(rig.Stamps.CodesIn("gh2"));
    }

    [Fact]
    public void Every_stored_result_is_valid_contract_json()
    {
        using var rig = new GatewayRig();
        rig.Commands().Handle("agri/v1/gw-rig-1/cmd/set-batch", Json(SetBatch("gh9", null)));
        foreach (var e in rig.Outbox.Peek(10))
        {
            Assert.True(ContractReader.Read(e.Topic, e.Payload).IsValid);
            using var doc = JsonDocument.Parse(e.Payload);
            Assert.Equal(e.Seq, doc.RootElement.GetProperty("seq").GetInt64());
        }
    }
}
