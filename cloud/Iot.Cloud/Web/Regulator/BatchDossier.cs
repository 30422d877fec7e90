using System.Text.Json.Nodes;
using Iot.Cloud.Registry;
using Iot.Cloud.Tracing;

namespace Iot.Cloud.Web.Regulator;

/// <summary>
/// An input applied to the batch or to a zone while the batch was there. For a pesticide with a safety interval
/// (安全间隔期), <see cref="SafeFrom"/> is the first moment the batch may be harvested.
/// </summary>
public sealed record InputUse(
    TraceEvent Event,
    string Input,
    string? Product,
    string? RegistrationNumber,
    double? Amount,
    string? Unit,
    int? SafetyIntervalDays)
{
    /// <summary>When the safety interval ends; null without one.</summary>
    public DateTimeOffset? SafeFrom => SafetyIntervalDays is { } days ? Event.Time.AddDays(days) : null;
}

/// <summary>A crate that held the batch: when it was filled, its last stable net weight, and whether it was emptied since.</summary>
public sealed record CrateRecord(string Kind, string Identifier, DateTimeOffset? PackedAt, double? Net, string? NetUnit, DateTimeOffset? WeighedAt, bool Removed);

/// <summary>Something a regulator should look at first.</summary>
public abstract record BatchAlert;

/// <summary>The batch was harvested or shipped (<see cref="Event"/>) before a pesticide's safety interval ended.</summary>
public sealed record SafetyIntervalBreached(InputUse Input, TraceEvent Event) : BatchAlert
{
    /// <summary>How many days of the interval were left.</summary>
    public double DaysEarly => Math.Round((Input.SafeFrom!.Value - Event.Time).TotalDays, 1);
}

/// <summary>A pesticide was applied with no safety interval recorded, so no one can say when harvest was safe.</summary>
public sealed record SafetyIntervalUnknown(InputUse Input) : BatchAlert;

/// <summary>The batch was recalled.</summary>
public sealed record BatchRecalled(DateTimeOffset? At, string? Reason) : BatchAlert;

/// <summary>The producer's record carries a warning (e.g. a credit code whose check character fails).</summary>
public sealed record ProducerWarning(string Warning) : BatchAlert;

/// <summary>
/// Everything the regulator's batch page shows but the charts: the batch's origin (producer, product, zones, what it
/// was made from), its timeline (every event that names it, and inputs applied in its zones during its stays), its
/// inputs, crates and weights, what was made from it, and the alerts.
/// </summary>
public sealed record BatchDossier(
    BatchOrigin Origin,
    IReadOnlyList<TraceEvent> Timeline,
    IReadOnlyList<InputUse> Inputs,
    IReadOnlyList<CrateRecord> Crates,
    IReadOnlyList<AffectedBatch> MadeInto,
    IReadOnlyList<BatchAlert> Alerts)
{
    /// <summary>The batch's dossier; null when no batch has the code.</summary>
    public static BatchDossier? Of(string code, RegistryStore store, Tracer tracer)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tracer);
        if (tracer.Backward(code) is not { Start.Kind: ThingKind.Batch, Batches: [var origin, ..] })
        {
            return null;
        }

        var events = store.EventsOf(code);
        var timeline = events.Concat(origin.Inputs.Where(i => events.All(e => e.Id != i.Id)))
            .OrderBy(e => e.Time).ThenBy(e => e.Id).ToList();
        var inputs = origin.Inputs.Select(Use).ToList();
        var alerts = new List<BatchAlert>();
        if (origin.Batch.Status == BatchStatus.Recalled)
        {
            alerts.Add(new BatchRecalled(origin.Batch.RecalledAt, origin.Batch.RecallReason));
        }

        var takenAway = events.Where(e => e.Type is TraceEventTypes.Harvested or TraceEventTypes.Shipped && e.BatchCode == code).ToList();
        foreach (var input in inputs.Where(i => i.Input == "pesticide"))
        {
            if (input.SafeFrom is not { } safe)
            {
                alerts.Add(new SafetyIntervalUnknown(input));
            }
            else if (takenAway.FirstOrDefault(e => e.Time >= input.Event.Time && e.Time < safe) is { } early)
            {
                alerts.Add(new SafetyIntervalBreached(input, early));
            }
        }

        alerts.AddRange((origin.Producer?.Warnings ?? []).Select(w => new ProducerWarning(w)));
        var madeInto = tracer.Forward(code)?.Batches.Where(b => b.Level > 0).ToList() ?? [];
        return new BatchDossier(origin, timeline, inputs, CratesOf(events), madeInto, alerts);
    }

    static InputUse Use(TraceEvent e)
    {
        var d = e.Details;
        var amount = d["amount"] as JsonObject;
        return new InputUse(
            e,
            Text(d, "input") ?? "",
            Text(d, "product"),
            Text(d, "registrationNumber"),
            Number(amount, "value"),
            Text(amount, "unit"),
            d["safetyIntervalDays"] is JsonValue days && days.TryGetValue(out int n) ? n : null);
    }

    static List<CrateRecord> CratesOf(IReadOnlyList<TraceEvent> events)
    {
        var crates = new Dictionary<(string Kind, string Id), CrateRecord>();
        foreach (var e in events)
        {
            if (e.Links.FirstOrDefault(l => l.Role == LinkRoles.Crate) is not { } link)
            {
                continue;
            }

            var key = (link.Kind, link.Identifier);
            var crate = crates.TryGetValue(key, out var known) ? known : new CrateRecord(link.Kind, link.Identifier, null, null, null, null, false);
            crates[key] = e.Type switch
            {
                TraceEventTypes.CrateAssociated => crate with { PackedAt = crate.PackedAt ?? e.Time, Removed = false },
                TraceEventTypes.CrateRemoved => crate with { Removed = true },
                TraceEventTypes.Weighed => crate with
                {
                    Net = Number(e.Details["net"] as JsonObject, "value"),
                    NetUnit = Text(e.Details["net"] as JsonObject, "unit"),
                    WeighedAt = e.Time,
                },
                _ => crate,
            };
        }

        return crates.Values.OrderBy(c => c.PackedAt ?? c.WeighedAt).ThenBy(c => c.Identifier, StringComparer.Ordinal).ToList();
    }

    static string? Text(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    static double? Number(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue(out double d) ? d : null;
}
