using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Iot.Contracts.Json;
using Iot.Contracts.Messages;
using Microsoft.Data.Sqlite;
using ContractEvent = Iot.Contracts.Messages.TraceEvent;

namespace Iot.Cloud.Registry;

/// <summary>Trace events and zone occupancy: from gateways (through ingestion) and from people (through the API).</summary>
public sealed partial class RegistryStore
{
    const string EventColumns = "id, type, event_time, recorded_at, source, gateway_id, seq, event_index, zone_id, batch_code, details";

    static readonly string[] MassUnits = ["KGM", "GRM", "TNE"];
    static readonly string[] InputUnits = ["KGM", "GRM", "LTR", "MLT", "MTQ"];
    static readonly string[] VolumeUnits = ["LTR", "MLT", "MTQ"];

    /// <summary>
    /// Records a gateway's trace events of message <paramref name="seq"/> (each with its index in the message) and what
    /// they imply: zone stays from <c>batchEntered</c>/<c>batchLeft</c>, a batch <c>packed</c> once a crate holds it.
    /// An event already recorded (a redelivery) is skipped. Returns how many were new.
    /// </summary>
    public int RecordGatewayEvents(string gatewayId, long seq, IReadOnlyList<(int Index, ContractEvent Event)> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return 0;
        }

        var recorded = time.GetUtcNow();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        int added = 0;
        foreach (var (index, traceEvent) in events)
        {
            bool known = connection.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM trace_events WHERE gateway_id = @gatewayId AND seq = @seq AND event_index = @index",
                new { gatewayId, seq, index },
                transaction) > 0;
            if (known)
            {
                continue;
            }

            string zoneId = ZoneFor(connection, transaction, gatewayId, traceEvent.Zone);
            var details = JsonNode.Parse(JsonSerializer.Serialize(traceEvent, ContractJsonContext.Default.TraceEvent))!.AsObject();
            var at = new DateTimeOffset(DateTime.SpecifyKind(traceEvent.Time, DateTimeKind.Utc));
            var links = new List<EventLink>();
            foreach (string code in traceEvent.TraceCodes)
            {
                links.Add(new EventLink(LinkRoles.Subject, LinkKinds.Batch, code));
            }

            string? batch = null;
            (string Kind, string Id)? crate = null;
            switch (traceEvent)
            {
                case BatchMovedEvent moved:
                    batch = moved.Batch;
                    break;
                case CrateEvent crateEvent:
                    batch = crateEvent.Batch;
                    crate = TagOf(crateEvent.Crate);
                    break;
                case WeighedEvent weighed:
                    batch = weighed.Batch;
                    crate = weighed.Crate is null ? null : TagOf(weighed.Crate);
                    break;
            }

            if (batch is not null)
            {
                links.Add(new EventLink(LinkRoles.Subject, LinkKinds.Batch, batch));
            }

            if (crate is { } tag)
            {
                links.Add(new EventLink(LinkRoles.Crate, tag.Kind, tag.Id));
            }

            string type = details["type"]!.GetValue<string>();
            long id = InsertEvent(connection, transaction, type, at, "gateway", gatewayId, seq, index, zoneId, batch ?? (traceEvent.TraceCodes.Count > 0 ? traceEvent.TraceCodes[0] : null), details, links, recorded);
            switch (traceEvent)
            {
                case BatchEnteredEvent entered:
                    Enter(connection, transaction, entered.Batch, zoneId, at, id);
                    break;
                case BatchLeftEvent left:
                    Leave(connection, transaction, left.Batch, zoneId, at, id);
                    break;
                case CrateAssociatedEvent associated:
                    Advance(connection, transaction, associated.Batch, BatchStatus.Packed);
                    break;
            }

            added++;
        }

        transaction.Commit();
        return added;
    }

    /// <summary>
    /// Records an event a person states (see <see cref="EventDraft"/>), checked type by type: the batches, parties
    /// and zones it names must be registered, amounts positive with a unit that fits, tags valid.
    /// </summary>
    public TraceEvent RecordEvent(EventDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        string type = draft.Type is { } t && TraceEventTypes.All.Contains(t, StringComparer.Ordinal) && t is not (TraceEventTypes.Commissioned or TraceEventTypes.Recalled)
            ? t
            : throw new InvalidRecordException("type", draft.Type is TraceEventTypes.Commissioned or TraceEventTypes.Recalled
                ? $"'{draft.Type}' events are recorded by registering or recalling a batch"
                : $"must be one of {string.Join(", ", TraceEventTypes.All.Where(x => x is not (TraceEventTypes.Commissioned or TraceEventTypes.Recalled)))}");
        var at = RecordRules.PastTime("time", draft.Time, time);
        string? zoneId = draft.Zone is null ? null
            : FindZone(draft.Zone)?.Id ?? throw new InvalidRecordException("zone", $"zone '{draft.Zone}' is not registered");
        var given = draft.Details ?? [];
        var details = new JsonObject { ["type"] = type, ["time"] = Times.Text(at) };
        if (zoneId is not null)
        {
            details["zone"] = zoneId;
        }

        var links = new List<EventLink>();
        string? batch = null;
        BatchStatus? advance = null;
        if (type != TraceEventTypes.Transformed)
        {
            batch = RegisteredBatch("details.batch", Text(given, "batch"));
            details["batch"] = batch;
            links.Add(new EventLink(LinkRoles.Subject, LinkKinds.Batch, batch));
        }

        switch (type)
        {
            case TraceEventTypes.BatchEntered or TraceEventTypes.BatchLeft:
                if (zoneId is null)
                {
                    throw new InvalidRecordException("zone", "a batch enters or leaves a zone: name it");
                }

                break;
            case TraceEventTypes.CrateAssociated or TraceEventTypes.CrateRemoved:
                details["crate"] = Crate("details.crate", given["crate"], links);
                if (type == TraceEventTypes.CrateAssociated)
                {
                    advance = BatchStatus.Packed;
                }

                break;
            case TraceEventTypes.Weighed:
                details["net"] = Quantity("details.net", given["net"], MassUnits);
                if (given["crate"] is { } weighedCrate)
                {
                    details["crate"] = Crate("details.crate", weighedCrate, links);
                }

                break;
            case TraceEventTypes.InputApplied:
                InputApplied(given, details);
                break;
            case TraceEventTypes.Harvested:
                if (given["quantity"] is { } harvested)
                {
                    details["quantity"] = Quantity("details.quantity", harvested, MassUnits);
                }

                advance = BatchStatus.Harvested;
                break;
            case TraceEventTypes.Shipped or TraceEventTypes.Received:
                long receiver = RegisteredParty("details.receiver", given["receiver"]);
                details["receiver"] = receiver;
                links.Add(new EventLink(LinkRoles.Receiver, LinkKinds.Party, receiver.ToString(CultureInfo.InvariantCulture)));
                if (given["sender"] is { } senderNode)
                {
                    long sender = RegisteredParty("details.sender", senderNode);
                    details["sender"] = sender;
                    links.Add(new EventLink(LinkRoles.Sender, LinkKinds.Party, sender.ToString(CultureInfo.InvariantCulture)));
                }

                if (given["crates"] is JsonArray crates)
                {
                    var shipped = new JsonArray();
                    for (int i = 0; i < crates.Count; i++)
                    {
                        shipped.Add(Crate($"details.crates[{i}]", crates[i], links));
                    }

                    details["crates"] = shipped;
                }

                if (given["quantity"] is { } quantity)
                {
                    details["quantity"] = Quantity("details.quantity", quantity, MassUnits);
                }

                if (Text(given, "document") is { } document)
                {
                    details["document"] = RecordRules.Text("details.document", document);
                }

                if (type == TraceEventTypes.Shipped)
                {
                    advance = BatchStatus.Shipped;
                }

                break;
            case TraceEventTypes.Transformed:
                if (given["inputs"] is not JsonArray { Count: > 0 } inputs)
                {
                    throw new InvalidRecordException("details.inputs", "a transformation needs the batch codes it consumed");
                }

                string output = RegisteredBatch("details.output", Text(given, "output"));
                var consumed = new JsonArray();
                for (int i = 0; i < inputs.Count; i++)
                {
                    string input = RegisteredBatch($"details.inputs[{i}]", inputs[i] is JsonValue v && v.TryGetValue(out string? s) ? s : null);
                    if (input == output)
                    {
                        throw new InvalidRecordException($"details.inputs[{i}]", "a batch cannot be made from itself");
                    }

                    consumed.Add(input);
                    links.Add(new EventLink(LinkRoles.Input, LinkKinds.Batch, input));
                }

                details["inputs"] = consumed;
                details["output"] = output;
                links.Add(new EventLink(LinkRoles.Output, LinkKinds.Batch, output));
                batch = output;
                if (Text(given, "process") is { } process)
                {
                    details["process"] = RecordRules.Text("details.process", process);
                }

                break;
        }

        if (Text(given, "operator") is { } person)
        {
            details["operator"] = RecordRules.Text("details.operator", person);
        }

        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        long id = InsertEvent(connection, transaction, type, at, "api", null, null, null, zoneId, batch, details, links.Distinct().ToList());
        if (type == TraceEventTypes.BatchEntered)
        {
            Enter(connection, transaction, batch!, zoneId!, at, id);
        }
        else if (type == TraceEventTypes.BatchLeft)
        {
            Leave(connection, transaction, batch!, zoneId!, at, id);
        }

        if (advance is { } status)
        {
            Advance(connection, transaction, batch!, status);
        }

        transaction.Commit();
        return FindEvent(id)!;
    }

    /// <summary>The event <paramref name="id"/>, or null.</summary>
    public TraceEvent? FindEvent(long id)
    {
        using var connection = database.Connect();
        return ReadEvents(connection, $"SELECT {EventColumns} FROM trace_events WHERE id = @id", new { id }).SingleOrDefault();
    }

    /// <summary>Every event that names the batch (as its subject, an input or an output), in time order.</summary>
    public IReadOnlyList<TraceEvent> EventsOf(string batchCode)
    {
        using var connection = database.Connect();
        return ReadEvents(
            connection,
            $"""
            SELECT {EventColumns} FROM trace_events
            WHERE id IN (SELECT event_id FROM event_links WHERE kind = 'batch' AND identifier = @batchCode)
            ORDER BY event_time, id
            """,
            new { batchCode });
    }

    /// <summary>When the batch's first event happened (any role), or null when none names it.</summary>
    public DateTimeOffset? FirstEventTimeOf(string batchCode)
    {
        using var connection = database.Connect();
        string? first = connection.QuerySingleOrDefault<string?>(
            """
            SELECT MIN(event_time) FROM trace_events
            WHERE id IN (SELECT event_id FROM event_links WHERE kind = 'batch' AND identifier = @batchCode)
            """,
            new { batchCode });
        return first is null ? null : Times.Parse(first);
    }

    /// <summary>The events with ids <paramref name="ids"/>, in time order.</summary>
    public IReadOnlyList<TraceEvent> EventsByIds(IReadOnlyCollection<long> ids)
    {
        using var connection = database.Connect();
        return ids.Count == 0 ? [] : ReadEvents(connection, $"SELECT {EventColumns} FROM trace_events WHERE id IN @ids ORDER BY event_time, id", new { ids });
    }

    /// <summary>The batch's stays in zones, with each zone's gateway binding, in time order.</summary>
    public IReadOnlyList<ZoneStay> StaysOf(string batchCode)
    {
        using var connection = database.Connect();
        return connection.Query<StayRow>(
                """
                SELECT o.id, o.batch_code, o.zone_id, z.gateway_id, z.gateway_zone, o.entered_at, o.left_at
                FROM occupancy o JOIN zones z ON z.id = o.zone_id
                WHERE o.batch_code = @batchCode ORDER BY o.entered_at, o.id
                """,
                new { batchCode })
            .Select(r => r.ToStay())
            .ToList();
    }

    /// <summary>
    /// Marks batches recalled (those not already) with <paramref name="reason"/>, recording a <c>recalled</c> event
    /// for each; returns the codes newly marked.
    /// </summary>
    public IReadOnlyList<string> MarkRecalled(IReadOnlyList<string> codes, string reason)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var now = time.GetUtcNow();
        var marked = new List<string>();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        foreach (string code in codes)
        {
            int changed = connection.Execute(
                "UPDATE batches SET status = 'recalled', recalled_at = @at, recall_reason = @reason WHERE code = @code AND status <> 'recalled'",
                new { code, at = Times.Text(now), reason },
                transaction);
            if (changed == 1)
            {
                InsertEvent(connection, transaction, TraceEventTypes.Recalled, now, "api", null, null, null, null, code,
                    new JsonObject { ["type"] = TraceEventTypes.Recalled, ["time"] = Times.Text(now), ["batch"] = code, ["reason"] = reason },
                    [new EventLink(LinkRoles.Subject, LinkKinds.Batch, code)]);
                marked.Add(code);
            }
        }

        transaction.Commit();
        return marked;
    }

    long InsertEvent(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string type,
        DateTimeOffset at,
        string source,
        string? gatewayId,
        long? seq,
        int? index,
        string? zoneId,
        string? batchCode,
        JsonObject details,
        IReadOnlyList<EventLink> links,
        DateTimeOffset? recordedAt = null)
    {
        long id = connection.ExecuteScalar<long>(
            """
            INSERT INTO trace_events (type, event_time, recorded_at, source, gateway_id, seq, event_index, zone_id, batch_code, details)
            VALUES (@type, @at, @recorded, @source, @gatewayId, @seq, @index, @zoneId, @batchCode, @details)
            RETURNING id
            """,
            new
            {
                type,
                at = Times.Text(at),
                recorded = Times.Text(recordedAt ?? time.GetUtcNow()),
                source,
                gatewayId,
                seq,
                index,
                zoneId,
                batchCode,
                details = details.ToJsonString(),
            },
            transaction);
        foreach (var link in links.Distinct())
        {
            connection.Execute(
                "INSERT INTO event_links (event_id, role, kind, identifier) VALUES (@id, @Role, @Kind, @Identifier) ON CONFLICT DO NOTHING",
                new { id, link.Role, link.Kind, link.Identifier },
                transaction);
        }

        return id;
    }

    /// <summary>The registry's zone for a gateway's zone id; one the registry does not know yet is recorded as unregistered.</summary>
    string ZoneFor(SqliteConnection connection, SqliteTransaction transaction, string gatewayId, string gatewayZone)
    {
        string? id = connection.QuerySingleOrDefault<string>(
            "SELECT id FROM zones WHERE gateway_id = @gatewayId AND gateway_zone = @gatewayZone", new { gatewayId, gatewayZone }, transaction);
        if (id is not null)
        {
            return id;
        }

        string candidate = $"{gatewayId}.{gatewayZone}";
        candidate = candidate.Length <= 64 ? candidate : candidate[..64];
        for (int n = 2; connection.ExecuteScalar<long>("SELECT COUNT(*) FROM zones WHERE id = @candidate", new { candidate }, transaction) > 0; n++)
        {
            string suffix = $"-{n}";
            candidate = $"{gatewayId}.{gatewayZone}"[..Math.Min(64 - suffix.Length, gatewayId.Length + 1 + gatewayZone.Length)] + suffix;
        }

        connection.Execute(
            "INSERT INTO zones (id, party_id, kind, name, gateway_id, gateway_zone, registered, created_at) VALUES (@candidate, (SELECT party_id FROM gateways WHERE id = @gatewayId), 'other', '', @gatewayId, @gatewayZone, 0, @at)",
            new { candidate, gatewayId, gatewayZone, at = Times.Text(time.GetUtcNow()) },
            transaction);
        return candidate;
    }

    static void Enter(SqliteConnection connection, SqliteTransaction transaction, string batch, string zoneId, DateTimeOffset at, long eventId)
    {
        long open = connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM occupancy WHERE batch_code = @batch AND zone_id = @zoneId AND left_at IS NULL", new { batch, zoneId }, transaction);
        if (open == 0)
        {
            connection.Execute(
                "INSERT INTO occupancy (batch_code, zone_id, entered_at, entered_event) VALUES (@batch, @zoneId, @at, @eventId)",
                new { batch, zoneId, at = Times.Text(at), eventId },
                transaction);
        }
    }

    static void Leave(SqliteConnection connection, SqliteTransaction transaction, string batch, string zoneId, DateTimeOffset at, long eventId) =>
        connection.Execute(
            """
            UPDATE occupancy SET left_at = @at, left_event = @eventId
            WHERE id = (SELECT MAX(id) FROM occupancy WHERE batch_code = @batch AND zone_id = @zoneId AND left_at IS NULL AND entered_at <= @at)
            """,
            new { batch, zoneId, at = Times.Text(at), eventId },
            transaction);

    /// <summary>Moves a batch forward in its life (never back, never out of <c>recalled</c>).</summary>
    static void Advance(SqliteConnection connection, SqliteTransaction transaction, string batch, BatchStatus status)
    {
        string[] before = Enum.GetValues<BatchStatus>().Where(s => s < status && s != BatchStatus.Recalled).Select(Names.Of).ToArray();
        connection.Execute("UPDATE batches SET status = @status WHERE code = @batch AND status IN @before", new { batch, status = Names.Of(status), before }, transaction);
    }

    static void InputApplied(JsonObject given, JsonObject details)
    {
        string input = Text(given, "input") is { } kind && kind is "fertiliser" or "pesticide" or "irrigation" or "fertigation"
            ? kind
            : throw new InvalidRecordException("details.input", "must be one of fertiliser, pesticide, irrigation, fertigation");
        details["input"] = input;
        details["amount"] = Quantity("details.amount", given["amount"], input is "irrigation" or "fertigation" ? VolumeUnits : InputUnits);
        if (input is "fertiliser" or "pesticide")
        {
            details["product"] = RecordRules.Text("details.product", Text(given, "product"));
        }

        if (input == "pesticide")
        {
            details["registrationNumber"] = RecordRules.PesticideRegistration("details.registrationNumber", Text(given, "registrationNumber"));
            if (given["safetyIntervalDays"] is { } days)
            {
                details["safetyIntervalDays"] = days is JsonValue value && value.TryGetValue(out int n) && n is >= 0 and <= 365
                    ? n
                    : throw new InvalidRecordException("details.safetyIntervalDays", "must be a whole number of days from 0 to 365 (安全间隔期)");
            }
        }
    }

    static JsonObject Quantity(string field, JsonNode? node, string[] units)
    {
        if (node is not JsonObject quantity)
        {
            throw new InvalidRecordException(field, $"must be {{\"value\": number, \"unit\": one of {string.Join(", ", units)}}}");
        }

        double? value = quantity["value"] is JsonValue v && v.TryGetValue(out double d) ? d : null;
        var (amount, unit) = RecordRules.Amount(field, value, Text(quantity, "unit"), units);
        return new JsonObject { ["value"] = amount, ["unit"] = unit };
    }

    static JsonObject Crate(string field, JsonNode? node, List<EventLink> links)
    {
        if (node is not JsonObject tag)
        {
            throw new InvalidRecordException(field, "must be {\"epc\": ...} or {\"uid\": ...}");
        }

        var (kind, id) = RecordRules.CrateTag(field, Text(tag, "epc"), Text(tag, "uid"));
        links.Add(new EventLink(LinkRoles.Crate, kind, id));
        return new JsonObject { [kind] = id };
    }

    string RegisteredBatch(string field, string? code)
    {
        string checkedCode = RecordRules.BatchCode(field, code);
        return FindBatch(checkedCode) is not null ? checkedCode : throw new InvalidRecordException(field, $"batch {checkedCode} is not registered");
    }

    long RegisteredParty(string field, JsonNode? node)
    {
        long? id = node is JsonValue v && v.TryGetValue(out long n) ? n : null;
        return id is { } party && FindParty(party) is not null
            ? party
            : throw new InvalidRecordException(field, id is null ? "must be a party id (a number)" : $"party {id} is not registered");
    }

    static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    static (string Kind, string Id) TagOf(CrateTag tag) =>
        tag.Epc is { } epc ? (LinkKinds.Epc, epc) : (LinkKinds.Uid, tag.Uid!);

    static List<TraceEvent> ReadEvents(SqliteConnection connection, string sql, object parameters)
    {
        var rows = connection.Query<EventRow>(sql, parameters).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var links = connection.Query<LinkRow>(
                "SELECT event_id, role, kind, identifier FROM event_links WHERE event_id IN @ids ORDER BY event_id, role, kind, identifier",
                new { ids = rows.Select(r => r.id).ToArray() })
            .ToLookup(l => l.event_id, l => new EventLink(l.role, l.kind, l.identifier));
        return rows.Select(r => r.ToEvent(links[r.id].ToList())).ToList();
    }

#pragma warning disable CA1812, IDE1006, SA1300 // rows are made by Dapper and named as the columns
    sealed class EventRow
    {
        public long id { get; set; }
        public string type { get; set; } = "";
        public string event_time { get; set; } = "";
        public string recorded_at { get; set; } = "";
        public string source { get; set; } = "";
        public string? gateway_id { get; set; }
        public long? seq { get; set; }
        public long? event_index { get; set; }
        public string? zone_id { get; set; }
        public string? batch_code { get; set; }
        public string details { get; set; } = "{}";

        public TraceEvent ToEvent(IReadOnlyList<EventLink> links) => new(
            id,
            type,
            Times.Parse(event_time),
            Times.Parse(recorded_at),
            source,
            gateway_id,
            seq,
            event_index is { } i ? (int)i : null,
            zone_id,
            batch_code,
            JsonNode.Parse(details)!.AsObject(),
            links);
    }

    sealed class LinkRow
    {
        public long event_id { get; set; }
        public string role { get; set; } = "";
        public string kind { get; set; } = "";
        public string identifier { get; set; } = "";
    }

    sealed class StayRow
    {
        public long id { get; set; }
        public string batch_code { get; set; } = "";
        public string zone_id { get; set; } = "";
        public string? gateway_id { get; set; }
        public string? gateway_zone { get; set; }
        public string entered_at { get; set; } = "";
        public string? left_at { get; set; }

        public ZoneStay ToStay() => new(id, batch_code, zone_id, gateway_id, gateway_zone, Times.Parse(entered_at), left_at is null ? null : Times.Parse(left_at));
    }
#pragma warning restore CA1812, IDE1006, SA1300
}
