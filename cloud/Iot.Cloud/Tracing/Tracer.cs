using System.Globalization;
using Dapper;
using Iot.Cloud.Registry;
using Iot.Cloud.Storage;
using Iot.Contracts.Identifiers;
using Iot.Contracts.Validation;

namespace Iot.Cloud.Tracing;

/// <summary>
/// Backward and forward tracing over the registry's trace events (来源可追溯、流向可追踪) and recall (产品可召回).
/// Tracing walks <c>event_links</c> and never guesses: a crate associated with two batches (a mixed crate) leads to
/// both, and a batch made from two batches leads back to both.
/// </summary>
public sealed class Tracer(CloudDatabase database, RegistryStore registry)
{
    /// <summary>
    /// What <paramref name="identifier"/> is: a batch trace code (also as people type it from a label, grouped with
    /// spaces or hyphens, in lower case), a crate's EPC (24 hex digits) or HF UID (8, 14 or 20 hex digits), or a
    /// national trace code linked to a batch; null when it is none of those the registry knows.
    /// </summary>
    public IdentifiedThing? Identify(string identifier)
    {
        string text = identifier.Trim();
        if (BatchTraceCode.TryParseTyped(text, out var code, out _) && registry.FindBatch(code.Value) is not null)
        {
            return new IdentifiedThing(ThingKind.Batch, code.Value);
        }

        string upper = text.ToUpperInvariant();
        if (upper.Length == 24 && RfidTags.IsValidEpc(upper, out _) && CrateKnown(LinkKinds.Epc, upper))
        {
            return new IdentifiedThing(ThingKind.Crate, upper, LinkKinds.Epc);
        }

        if (RfidTags.IsValidUid(upper, out _) && CrateKnown(LinkKinds.Uid, upper))
        {
            return new IdentifiedThing(ThingKind.Crate, upper, LinkKinds.Uid);
        }

        return registry.FindBatchByNationalCode(text) is { } linked ? new IdentifiedThing(ThingKind.NationalCode, text, null, linked.Code) : null;
    }

    /// <summary>
    /// Backward from a batch code, national code, crate EPC or HF UID: the batch (or batches, for a mixed crate), each
    /// with its producer, product, zones, inputs and the batches it was made from, recursively.
    /// </summary>
    public BackwardTrace? Backward(string identifier)
    {
        if (Identify(identifier) is not { } thing)
        {
            return null;
        }

        IReadOnlyList<string> codes = thing.Kind switch
        {
            ThingKind.Batch => [thing.Identifier],
            ThingKind.NationalCode => [thing.BatchCode!],
            _ => BatchesInCrate(thing.TagKind!, thing.Identifier),
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return new BackwardTrace(thing, codes.Select(c => Origin(c, seen)).OfType<BatchOrigin>().ToList());
    }

    /// <summary>
    /// Forward from a batch: every batch made from it (through any number of transformations), every crate that held
    /// one of them, every shipment of them and every receiver; null when the batch is not registered.
    /// </summary>
    public ForwardTrace? Forward(string batchCode)
    {
        if (registry.FindBatch(batchCode) is null)
        {
            return null;
        }

        var affected = new List<AffectedBatch> { new(batchCode, null, 0) };
        var seen = new HashSet<string>(StringComparer.Ordinal) { batchCode };
        using var connection = database.Connect();
        for (int i = 0; i < affected.Count; i++)
        {
            var outputs = connection.Query<string>(
                """
                SELECT DISTINCT o.identifier FROM event_links i
                JOIN trace_events e ON e.id = i.event_id AND e.type = 'transformed'
                JOIN event_links o ON o.event_id = e.id AND o.role = 'output' AND o.kind = 'batch'
                WHERE i.role = 'input' AND i.kind = 'batch' AND i.identifier = @code
                ORDER BY o.identifier
                """,
                new { code = affected[i].Code });
            foreach (string output in outputs)
            {
                if (seen.Add(output))
                {
                    affected.Add(new AffectedBatch(output, affected[i].Code, affected[i].Level + 1));
                }
            }
        }

        string[] codes = affected.Select(a => a.Code).ToArray();
        var crates = connection.Query<CrateRow>(
                """
                SELECT DISTINCT c.kind, c.identifier, b.identifier AS batch FROM trace_events e
                JOIN event_links b ON b.event_id = e.id AND b.role = 'object' AND b.kind = 'batch'
                JOIN event_links c ON c.event_id = e.id AND c.role = 'crate'
                WHERE e.type IN ('crateAssociated', 'weighed', 'shipped') AND b.identifier IN @codes
                ORDER BY b.identifier, c.kind, c.identifier
                """,
                new { codes })
            .Select(c => new CrateHolding(c.kind, c.identifier, c.batch))
            .ToList();
        var shipmentEvents = registry.EventsByIds(connection.Query<long>(
                """
                SELECT DISTINCT e.id FROM trace_events e JOIN event_links b ON b.event_id = e.id AND b.kind = 'batch'
                WHERE e.type IN ('shipped', 'received') AND b.identifier IN @codes
                """,
                new { codes })
            .ToList());
        var shipments = shipmentEvents.Select(e => new Shipment(
                e.Id,
                e.Type,
                e.Time,
                e.BatchCode,
                PartyOf(e, LinkRoles.Receiver),
                PartyOf(e, LinkRoles.Sender),
                e.Links.Where(l => l.Role == LinkRoles.Crate).Select(l => new CrateHolding(l.Kind, l.Identifier, e.BatchCode ?? "")).ToList()))
            .ToList();
        var receivers = shipments.Where(s => s.Type == TraceEventTypes.Shipped || s.Receiver is not null)
            .Select(s => s.Receiver)
            .OfType<long>()
            .Distinct()
            .Order()
            .Select(id => registry.FindParty(id))
            .OfType<Party>()
            .ToList();
        return new ForwardTrace(batchCode, affected, crates, shipments, receivers);
    }

    /// <summary>
    /// Recalls a batch: marks it and every batch made from it <c>recalled</c> (each with a <c>recalled</c> event) and
    /// returns everything affected (the forward trace); null when the batch is not registered.
    /// </summary>
    public RecallReport? Recall(string batchCode, string reason)
    {
        if (Forward(batchCode) is not { } trace)
        {
            return null;
        }

        var marked = registry.MarkRecalled(trace.Batches.Select(b => b.Code).ToList(), reason);
        return new RecallReport(batchCode, reason, marked, trace.Batches.Select(b => b.Code).Except(marked).ToList(), trace);
    }

    BatchOrigin? Origin(string code, HashSet<string> seen)
    {
        if (!seen.Add(code) || registry.FindBatch(code) is not { } batch)
        {
            return null;
        }

        var events = registry.EventsOf(code);
        var stays = registry.StaysOf(code);
        var zones = stays.Select(s => s.ZoneId).Distinct().Select(registry.FindZone).OfType<Zone>().ToList();
        var inputs = events.Where(e => e.Type == TraceEventTypes.InputApplied).ToList();

        // Inputs applied in a zone while the batch was there count even when the event carries no stamp.
        var zoneInputs = ZoneInputs(stays).Where(e => inputs.All(i => i.Id != e.Id));
        inputs = inputs.Concat(zoneInputs).OrderBy(e => e.Time).ThenBy(e => e.Id).ToList();
        var madeFrom = events.Where(e => e.Type == TraceEventTypes.Transformed && e.Links.Any(l => l.Role == LinkRoles.Output && l.Identifier == code))
            .SelectMany(e => e.Links.Where(l => l.Role == LinkRoles.Input).Select(l => l.Identifier))
            .Distinct()
            .ToList();
        return new BatchOrigin(
            batch,
            registry.FindProduct(batch.ProductId),
            registry.FindParty(batch.ProducerId),
            stays,
            zones,
            inputs,
            madeFrom.Select(c => Origin(c, seen)).OfType<BatchOrigin>().ToList());
    }

    IReadOnlyList<Registry.TraceEvent> ZoneInputs(IReadOnlyList<ZoneStay> stays)
    {
        if (stays.Count == 0)
        {
            return [];
        }

        using var connection = database.Connect();
        var ids = new List<long>();
        foreach (var stay in stays)
        {
            ids.AddRange(connection.Query<long>(
                "SELECT id FROM trace_events WHERE type = 'inputApplied' AND zone_id = @zone AND event_time >= @from AND (@to IS NULL OR event_time < @to)",
                new { zone = stay.ZoneId, from = Times.Text(stay.EnteredAt), to = stay.LeftAt is { } left ? Times.Text(left) : null }));
        }

        return registry.EventsByIds(ids.Distinct().ToList());
    }

    List<string> BatchesInCrate(string kind, string identifier)
    {
        using var connection = database.Connect();
        return connection.Query<string>(
                """
                SELECT DISTINCT b.identifier FROM event_links c
                JOIN trace_events e ON e.id = c.event_id AND e.type IN ('crateAssociated', 'weighed', 'shipped')
                JOIN event_links b ON b.event_id = e.id AND b.role = 'object' AND b.kind = 'batch'
                WHERE c.role = 'crate' AND c.kind = @kind AND c.identifier = @identifier
                ORDER BY b.identifier
                """,
                new { kind, identifier })
            .ToList();
    }

    bool CrateKnown(string kind, string identifier)
    {
        using var connection = database.Connect();
        return connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM event_links WHERE role = 'crate' AND kind = @kind AND identifier = @identifier", new { kind, identifier }) > 0;
    }

    static long? PartyOf(Registry.TraceEvent e, string role) =>
        e.Links.FirstOrDefault(l => l.Role == role && l.Kind == LinkKinds.Party) is { } link
            ? long.Parse(link.Identifier, CultureInfo.InvariantCulture)
            : null;

#pragma warning disable CA1812, IDE1006, SA1300 // made by Dapper, named as the columns
    sealed class CrateRow
    {
        public string kind { get; set; } = "";
        public string identifier { get; set; } = "";
        public string batch { get; set; } = "";
    }
#pragma warning restore CA1812, IDE1006, SA1300
}
