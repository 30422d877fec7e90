using System.Collections.Concurrent;
using System.Text.Json;
using Iot.Contracts.Identifiers;
using Iot.Contracts.Messages;
using Iot.Contracts.Validation;
using Iot.Edge.Clock;
using Iot.Edge.Outbox;
using Iot.Edge.Stamping;

namespace Iot.Edge.Commands;

/// <summary>
/// Carries out commands from the cloud and stores each result in the outbox. A command that fails the contract is
/// answered "rejected" with the reason when its <c>commandId</c> can be read; a repeated delivery of a command
/// already carried out (QoS 1 may redeliver) is answered again without being carried out twice.
/// </summary>
public sealed class CommandDispatcher(
    string gatewayId,
    BatchStamps stamps,
    OutboxWriter writer,
    GatewayClock clock,
    Func<string, string?> tare,
    Action requestStatus)
{
    readonly ConcurrentDictionary<string, CommandResultMessage> _done = new(StringComparer.Ordinal);

    /// <summary>Handles one command delivery; returns the result stored, or null when nothing could be answered.</summary>
    public CommandResultMessage? Handle(string topic, ReadOnlySpan<byte> payload)
    {
        var read = ContractReader.Read(topic, payload);
        if (read.Message is not CommandMessage command)
        {
            string? id = TryCommandId(payload);
            return id is null ? null : Answer(id, NameFromTopic(topic), CommandOutcome.Rejected, Limit(read.Reason));
        }

        if (_done.TryGetValue(command.CommandId, out var earlier))
        {
            writer.AppendResult(earlier with { Seq = 1 });
            return earlier;
        }

        var now = clock.UtcNow;
        if (command.ExpiresAt is { } expires && expires < now && clock.State == ClockState.Synchronized)
        {
            return Remember(command, CommandOutcome.Expired, $"expired at {expires:O}; received at {now:O}");
        }

        return command switch
        {
            SetBatchCommand set => SetBatch(set, now),
            TareCommand t => tare(t.ScaleId) is { } failure
                ? Remember(command, CommandOutcome.Failed, failure)
                : Remember(command, CommandOutcome.Done, null),
            ReportStatusCommand => ReportStatus(command),
            _ => Remember(command, CommandOutcome.Rejected, $"command '{command.Name}' is not handled by this gateway"),
        };
    }

    CommandResultMessage SetBatch(SetBatchCommand set, DateTime now)
    {
        if (!stamps.Knows(set.Zone))
        {
            return Remember(set, CommandOutcome.Rejected, $"no zone or line '{set.Zone}' on this gateway; known: {string.Join(", ", stamps.Zones)}");
        }

        writer.AppendEvents(stamps.Set(set.Zone, set.Batch, BatchSource.Command, now));
        return Remember(set, CommandOutcome.Done, null);
    }

    CommandResultMessage ReportStatus(CommandMessage command)
    {
        requestStatus();
        return Remember(command, CommandOutcome.Done, null);
    }

    CommandResultMessage Remember(CommandMessage command, CommandOutcome outcome, string? detail)
    {
        var result = Answer(command.CommandId, command.Name, outcome, detail);
        _done[command.CommandId] = result;
        return result;
    }

    CommandResultMessage Answer(string commandId, string name, CommandOutcome outcome, string? detail)
    {
        var result = new CommandResultMessage
        {
            Schema = MessageSchemas.CommandResult,
            GatewayId = gatewayId,
            Seq = 1,
            Clock = clock.State,
            CommandId = commandId,
            Name = name,
            Time = clock.UtcNow,
            Outcome = outcome,
            Detail = detail,
        };
        writer.AppendResult(result);
        return result;
    }

    static string? TryCommandId(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("commandId", out var id)
                && id.ValueKind == JsonValueKind.String
                && LocalId.IsValid(id.GetString(), "command id", out _)
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static string NameFromTopic(string topic)
    {
        string last = topic[(topic.LastIndexOf('/') + 1)..];
        return LocalId.IsValid(last, "command name", out _) ? last : "unknown";
    }

    static string Limit(string text) =>
        new(text.Where(c => !char.IsControl(c)).Take(MessageSchemas.MaxText).ToArray());
}
