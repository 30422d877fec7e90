using System.Security.Cryptography;
using Dapper;
using Iot.Cloud.Storage;
using Iot.Contracts.Identifiers;
using Microsoft.Data.Sqlite;

namespace Iot.Cloud.Registry;

/// <summary>
/// The trace registry's records (parties, products, batches, zones), in the cloud's SQLite file. Trace events and zone
/// occupancy are in <c>RegistryStore.Events.cs</c>. Every write checks its input first (<see cref="RecordRules"/>) and
/// throws <see cref="InvalidRecordException"/> naming the field and the reason.
/// </summary>
/// <remarks>The SQL is plain (no SQLite-only functions), through Dapper, so a PostgreSQL provider can follow.</remarks>
public sealed partial class RegistryStore(CloudDatabase database, TimeProvider time)
{
    const string PartyColumns = "id, kind, role, name, credit_code, resident_id, division_code, national_entity_code, warnings, created_at";
    const string BatchColumns = "code, product_id, producer_id, status, national_code, lot, created_at, recalled_at, recall_reason";
    const string ZoneColumns = "id, party_id, kind, name, gateway_id, gateway_zone, registered";

    /// <summary>
    /// Registers a party, or returns the one already registered with the same credit code or resident identity
    /// number (filling in a national entity code it lacked). <paramref name="lenient"/> (imports) keeps a credit code
    /// whose check character is wrong, with a warning. <c>AccessKey</c> is given once, to a new party: with it the party
    /// sees its own record unmasked.
    /// </summary>
    public (Party Party, bool Created, string? AccessKey) RegisterParty(PartyDraft draft, bool lenient = false)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var kind = RecordRules.Choice<PartyKind>("kind", draft.Kind);
        var role = RecordRules.Choice<PartyRole>("role", draft.Role);
        string name = RecordRules.Text("name", draft.Name);
        string? entityCode = RecordRules.NationalCode("nationalEntityCode", draft.NationalEntityCode);
        var warnings = new List<string>();
        string? creditCode = null;
        string? residentId = null;
        string divisionCode;
        if (kind == PartyKind.Enterprise)
        {
            if (draft.ResidentId is not null)
            {
                throw new InvalidRecordException("residentId", "an enterprise is identified by its credit code, not a resident identity number");
            }

            var (code, warning) = RecordRules.CreditCode("creditCode", draft.CreditCode, lenient);
            creditCode = code;
            if (warning is not null)
            {
                warnings.Add($"creditCode: {warning}");
            }

            // Positions 3-8 of a credit code are where it was registered: the default when no division code is given
            // (one given may differ: a company operates where it farms, not only where it registered).
            divisionCode = draft.DivisionCode is null ? code[2..8] : RecordRules.DivisionCode("divisionCode", draft.DivisionCode);
        }
        else
        {
            if (draft.CreditCode is not null)
            {
                throw new InvalidRecordException("creditCode", "a household is identified by a resident identity number, not a credit code");
            }

            residentId = RecordRules.ResidentId("residentId", draft.ResidentId, time).RevealUnmasked();
            divisionCode = RecordRules.DivisionCode("divisionCode", draft.DivisionCode ?? residentId[..6]);
        }

        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        var existing = connection.QuerySingleOrDefault<PartyRow>(
            $"SELECT {PartyColumns} FROM parties WHERE credit_code = @creditCode OR resident_id = @residentId",
            new { creditCode, residentId },
            transaction);
        if (existing is not null)
        {
            if (entityCode is not null && existing.national_entity_code is null)
            {
                Execute(connection, transaction, "national entity code", "nationalEntityCode",
                    "UPDATE parties SET national_entity_code = @entityCode WHERE id = @id", new { entityCode, existing.id });
                existing.national_entity_code = entityCode;
            }

            transaction.Commit();
            return (existing.ToParty(reveal: false), false, null);
        }

        string accessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        long id = Execute(connection, transaction, "national entity code", "nationalEntityCode", """
            INSERT INTO parties (kind, role, name, credit_code, resident_id, division_code, national_entity_code, warnings, access_key_hash, created_at)
            VALUES (@kind, @role, @name, @creditCode, @residentId, @divisionCode, @entityCode, @warnings, @keyHash, @at)
            RETURNING id
            """,
            new
            {
                kind = Names.Of(kind),
                role = Names.Of(role),
                name,
                creditCode,
                residentId,
                divisionCode,
                entityCode,
                warnings = string.Join('\n', warnings),
                keyHash = GatewaySecrets.Hash(accessKey),
                at = Times.Text(time.GetUtcNow()),
            },
            scalar: true);
        transaction.Commit();
        return (FindParty(id)!, true, accessKey);
    }

    /// <summary>
    /// The party <paramref name="id"/>, or null. The resident identity number is masked unless
    /// <paramref name="accessKey"/> is the party's own key.
    /// </summary>
    public Party? FindParty(long id, string? accessKey = null)
    {
        using var connection = database.Connect();
        var row = connection.QuerySingleOrDefault<PartyRow>($"SELECT {PartyColumns}, access_key_hash FROM parties WHERE id = @id", new { id });
        return row?.ToParty(reveal: accessKey is not null && GatewaySecrets.Verify(accessKey, row.access_key_hash));
    }

    /// <summary>Parties whose name, credit code or national entity code contains <paramref name="search"/>, or in a division.</summary>
    public IReadOnlyList<Party> ListParties(string? search = null, string? divisionPrefix = null, int limit = 100)
    {
        using var connection = database.Connect();
        string? like = string.IsNullOrWhiteSpace(search) ? null : $"%{EscapeLike(search.Trim())}%";
        string? division = string.IsNullOrWhiteSpace(divisionPrefix) ? null : $"{EscapeLike(divisionPrefix.Trim())}%";
        return connection.Query<PartyRow>(
                $"""
                SELECT {PartyColumns} FROM parties
                WHERE (@like IS NULL OR name LIKE @like ESCAPE '\' OR credit_code LIKE @like ESCAPE '\' OR national_entity_code LIKE @like ESCAPE '\')
                  AND (@division IS NULL OR division_code LIKE @division ESCAPE '\')
                ORDER BY id LIMIT @limit
                """,
                new { like, division, limit = Math.Clamp(limit, 1, 1000) })
            .Select(r => r.ToParty(reveal: false))
            .ToList();
    }

    /// <summary>Registers a product, or returns the one with the same GTIN (or, without one, the same name and category).</summary>
    public (Product Product, bool Created) RegisterProduct(ProductDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        string name = RecordRules.Text("name", draft.Name);
        string category = RecordRules.OptionalText("category", draft.Category) ?? "";
        string? gtin = RecordRules.Gtin("gtin", draft.Gtin);
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        var existing = connection.QuerySingleOrDefault<ProductRow>(
            "SELECT id, name, category, gtin, created_at FROM products WHERE gtin = @gtin OR (@gtin IS NULL AND gtin IS NULL AND name = @name AND category = @category)",
            new { gtin, name, category },
            transaction);
        if (existing is not null)
        {
            return (existing.ToProduct(), false);
        }

        long id = connection.ExecuteScalar<long>(
            "INSERT INTO products (name, category, gtin, created_at) VALUES (@name, @category, @gtin, @at) RETURNING id",
            new { name, category, gtin, at = Times.Text(time.GetUtcNow()) },
            transaction);
        transaction.Commit();
        return (FindProduct(id)!, true);
    }

    /// <summary>The product <paramref name="id"/>, or null.</summary>
    public Product? FindProduct(long id)
    {
        using var connection = database.Connect();
        return connection.QuerySingleOrDefault<ProductRow>("SELECT id, name, category, gtin, created_at FROM products WHERE id = @id", new { id })?.ToProduct();
    }

    /// <summary>Every product, by id.</summary>
    public IReadOnlyList<Product> ListProducts(int limit = 1000)
    {
        using var connection = database.Connect();
        return connection.Query<ProductRow>("SELECT id, name, category, gtin, created_at FROM products ORDER BY id LIMIT @limit", new { limit })
            .Select(r => r.ToProduct())
            .ToList();
    }

    /// <summary>
    /// Registers a batch (status <c>growing</c>) and records its <c>commissioned</c> event. The code is issued here
    /// unless the draft gives one (a code printed or stamped before); giving the code of a batch already registered
    /// for the same product and producer returns that batch.
    /// </summary>
    public (Batch Batch, bool Created) RegisterBatch(BatchDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        string? code = draft.Code is null ? null : RecordRules.BatchCode("code", draft.Code);
        var product = (draft.ProductId is { } productId ? FindProduct(productId) : null)
            ?? throw new InvalidRecordException("productId", draft.ProductId is null ? "is required" : $"product {draft.ProductId} is not registered");
        var producer = (draft.ProducerId is { } producerId ? FindParty(producerId) : null)
            ?? throw new InvalidRecordException("producerId", draft.ProducerId is null ? "is required" : $"party {draft.ProducerId} is not registered");
        string? nationalCode = RecordRules.NationalCode("nationalCode", draft.NationalCode);
        string? lot = RecordRules.Lot("lot", draft.Lot);
        if (lot is not null && product.Gtin is null)
        {
            throw new InvalidRecordException("lot", "a GS1 lot needs a product with a GTIN");
        }

        if (code is not null && FindBatch(code) is { } existing)
        {
            return existing.ProductId == product.Id && existing.ProducerId == producer.Id
                ? (existing, false)
                : throw new InvalidRecordException("code", $"batch {code} is already registered for another product or producer");
        }

        code ??= BatchTraceCode.NewRandom().Value;
        var now = time.GetUtcNow();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "national trace code", "nationalCode", """
            INSERT INTO batches (code, product_id, producer_id, status, national_code, lot, created_at)
            VALUES (@code, @productId, @producerId, 'growing', @nationalCode, @lot, @at)
            """,
            new { code, productId = product.Id, producerId = producer.Id, nationalCode, lot = product.Gtin is null ? null : lot ?? code, at = Times.Text(now) });
        var details = new System.Text.Json.Nodes.JsonObject { ["batch"] = code, ["product"] = product.Id, ["producer"] = producer.Id };
        InsertEvent(connection, transaction, TraceEventTypes.Commissioned, now, "api", null, null, null, null, code, details, [new EventLink(LinkRoles.Subject, LinkKinds.Batch, code)]);
        transaction.Commit();
        return (FindBatch(code)!, true);
    }

    /// <summary>The batch with trace code <paramref name="code"/>, or null.</summary>
    public Batch? FindBatch(string code)
    {
        using var connection = database.Connect();
        return connection.QuerySingleOrDefault<BatchRow>($"SELECT {BatchColumns} FROM batches WHERE code = @code", new { code })?.ToBatch();
    }

    /// <summary>The batch linked to the national trace code <paramref name="nationalCode"/>, or null.</summary>
    public Batch? FindBatchByNationalCode(string nationalCode)
    {
        using var connection = database.Connect();
        return connection.QuerySingleOrDefault<BatchRow>($"SELECT {BatchColumns} FROM batches WHERE national_code = @nationalCode", new { nationalCode })?.ToBatch();
    }

    /// <summary>Batches, newest first, of one producer or status when given.</summary>
    public IReadOnlyList<Batch> ListBatches(long? producerId = null, BatchStatus? status = null, int limit = 100)
    {
        using var connection = database.Connect();
        return connection.Query<BatchRow>(
                $"""
                SELECT {BatchColumns} FROM batches
                WHERE (@producerId IS NULL OR producer_id = @producerId) AND (@status IS NULL OR status = @status)
                ORDER BY created_at DESC, code LIMIT @limit
                """,
                new { producerId, status = status is { } s ? Names.Of(s) : null, limit = Math.Clamp(limit, 1, 1000) })
            .Select(r => r.ToBatch())
            .ToList();
    }

    /// <summary>Links <paramref name="code"/> to the national platform's trace code (one batch per national code).</summary>
    public Batch LinkNationalCode(string code, string? nationalCode)
    {
        string linked = RecordRules.NationalCode("nationalCode", nationalCode) ?? throw new InvalidRecordException("nationalCode", "is required");
        var batch = FindBatch(code) ?? throw new InvalidRecordException("code", $"batch {code} is not registered");
        if (batch.NationalCode == linked)
        {
            return batch;
        }

        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "national trace code", "nationalCode",
            "UPDATE batches SET national_code = @linked WHERE code = @code", new { linked, code });
        transaction.Commit();
        return FindBatch(code)!;
    }

    /// <summary>
    /// Registers a zone. A zone a gateway reported before (recorded as unregistered under the same gateway binding)
    /// becomes this one: its stays and events move to the new id.
    /// </summary>
    public (Zone Zone, bool Created) RegisterZone(ZoneDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        string id = RecordRules.LocalIdentifier("id", draft.Id, "zone id");
        var kind = RecordRules.Choice<ZoneKind>("kind", draft.Kind);
        string name = RecordRules.OptionalText("name", draft.Name) ?? id;
        if (draft.PartyId is { } partyId && FindParty(partyId) is null)
        {
            throw new InvalidRecordException("partyId", $"party {partyId} is not registered");
        }

        if ((draft.GatewayId is null) != (draft.GatewayZone is null))
        {
            throw new InvalidRecordException(draft.GatewayId is null ? "gatewayId" : "gatewayZone", "gatewayId and gatewayZone go together: the zone as that gateway's readings name it");
        }

        string? gatewayId = draft.GatewayId is null ? null : RecordRules.LocalIdentifier("gatewayId", draft.GatewayId, "gateway id");
        string? gatewayZone = draft.GatewayZone is null ? null : RecordRules.LocalIdentifier("gatewayZone", draft.GatewayZone, "zone id");
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        var same = connection.QuerySingleOrDefault<ZoneRow>($"SELECT {ZoneColumns} FROM zones WHERE id = @id", new { id }, transaction);
        var bound = gatewayId is null ? null : connection.QuerySingleOrDefault<ZoneRow>(
            $"SELECT {ZoneColumns} FROM zones WHERE gateway_id = @gatewayId AND gateway_zone = @gatewayZone", new { gatewayId, gatewayZone }, transaction);
        if (same is { registered: 1 })
        {
            if (same.gateway_id == gatewayId && same.gateway_zone == gatewayZone)
            {
                return (same.ToZone(), false);
            }

            throw new InvalidRecordException("id", $"zone {id} is already registered with another gateway binding");
        }

        if (bound is { registered: 1 })
        {
            throw new InvalidRecordException("gatewayZone", $"zone '{gatewayZone}' of gateway '{gatewayId}' is already registered as zone {bound.id}");
        }

        var values = new { id, partyId = draft.PartyId, kind = Names.Of(kind), name, gatewayId, gatewayZone, at = Times.Text(time.GetUtcNow()) };
        if (bound is not null && bound.id != id)
        {
            // Adopt what the gateway reported under the placeholder: new row first, then move the references.
            connection.Execute("UPDATE zones SET gateway_id = NULL, gateway_zone = NULL WHERE id = @old", new { old = bound.id }, transaction);
            connection.Execute(
                "INSERT INTO zones (id, party_id, kind, name, gateway_id, gateway_zone, registered, created_at) VALUES (@id, @partyId, @kind, @name, @gatewayId, @gatewayZone, 1, @at)",
                values,
                transaction);
            connection.Execute("UPDATE occupancy SET zone_id = @id WHERE zone_id = @old", new { id, old = bound.id }, transaction);
            connection.Execute("UPDATE trace_events SET zone_id = @id WHERE zone_id = @old", new { id, old = bound.id }, transaction);
            connection.Execute("DELETE FROM zones WHERE id = @old", new { old = bound.id }, transaction);
        }
        else if (same is not null || bound is not null)
        {
            connection.Execute(
                "UPDATE zones SET party_id = @partyId, kind = @kind, name = @name, gateway_id = @gatewayId, gateway_zone = @gatewayZone, registered = 1 WHERE id = @id",
                values,
                transaction);
        }
        else
        {
            connection.Execute(
                "INSERT INTO zones (id, party_id, kind, name, gateway_id, gateway_zone, registered, created_at) VALUES (@id, @partyId, @kind, @name, @gatewayId, @gatewayZone, 1, @at)",
                values,
                transaction);
        }

        transaction.Commit();
        return (FindZone(id)!, true);
    }

    /// <summary>The zone <paramref name="id"/>, or null.</summary>
    public Zone? FindZone(string id)
    {
        using var connection = database.Connect();
        return connection.QuerySingleOrDefault<ZoneRow>($"SELECT {ZoneColumns} FROM zones WHERE id = @id", new { id })?.ToZone();
    }

    /// <summary>Every zone, or a party's.</summary>
    public IReadOnlyList<Zone> ListZones(long? partyId = null)
    {
        using var connection = database.Connect();
        return connection.Query<ZoneRow>($"SELECT {ZoneColumns} FROM zones WHERE @partyId IS NULL OR party_id = @partyId ORDER BY id", new { partyId })
            .Select(r => r.ToZone())
            .ToList();
    }

    /// <summary>Binds a registered gateway to the party that runs it.</summary>
    public void BindGateway(string gatewayId, long partyId)
    {
        if (FindParty(partyId) is null)
        {
            throw new InvalidRecordException("partyId", $"party {partyId} is not registered");
        }

        using var connection = database.Connect();
        if (connection.Execute("UPDATE gateways SET party_id = @partyId WHERE id = @gatewayId", new { partyId, gatewayId }) == 0)
        {
            throw new InvalidRecordException("gatewayId", $"gateway '{gatewayId}' is not registered");
        }
    }

    /// <summary>The party a gateway is bound to, or null.</summary>
    public long? PartyOfGateway(string gatewayId)
    {
        using var connection = database.Connect();
        return connection.QuerySingleOrDefault<long?>("SELECT party_id FROM gateways WHERE id = @gatewayId", new { gatewayId });
    }

    /// <summary>
    /// Runs a write that may break a unique constraint and turns that into a refusal of <paramref name="field"/>
    /// (e.g. a national code already linked to another batch).
    /// </summary>
    static long Execute(SqliteConnection connection, SqliteTransaction transaction, string what, string field, string sql, object parameters, bool scalar = false)
    {
        try
        {
            return scalar ? connection.ExecuteScalar<long>(sql, parameters, transaction) : connection.Execute(sql, parameters, transaction);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19 && e.Message.Contains("UNIQUE", StringComparison.Ordinal))
        {
            throw new InvalidRecordException(field, $"this {what} is already registered to another record");
        }
    }

    static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

#pragma warning disable CA1812, IDE1006, SA1300 // rows are made by Dapper and named as the columns
    sealed class PartyRow
    {
        public long id { get; set; }
        public string kind { get; set; } = "";
        public string role { get; set; } = "";
        public string name { get; set; } = "";
        public string? credit_code { get; set; }
        public string? resident_id { get; set; }
        public string division_code { get; set; } = "";
        public string? national_entity_code { get; set; }
        public string warnings { get; set; } = "";
        public string created_at { get; set; } = "";
        public string? access_key_hash { get; set; }

        public Party ToParty(bool reveal) => new(
            id,
            Enum.Parse<PartyKind>(kind, ignoreCase: true),
            Enum.Parse<PartyRole>(role, ignoreCase: true),
            name,
            credit_code,
            resident_id is null ? null : reveal ? resident_id : ResidentIdentityNumber.Parse(resident_id).Masked,
            division_code,
            national_entity_code,
            warnings.Length == 0 ? [] : warnings.Split('\n'),
            Times.Parse(created_at));
    }

    sealed class ProductRow
    {
        public long id { get; set; }
        public string name { get; set; } = "";
        public string category { get; set; } = "";
        public string? gtin { get; set; }
        public string created_at { get; set; } = "";

        public Product ToProduct() => new(id, name, category, gtin, Times.Parse(created_at));
    }

    sealed class BatchRow
    {
        public string code { get; set; } = "";
        public long product_id { get; set; }
        public long producer_id { get; set; }
        public string status { get; set; } = "";
        public string? national_code { get; set; }
        public string? lot { get; set; }
        public string created_at { get; set; } = "";
        public string? recalled_at { get; set; }
        public string? recall_reason { get; set; }

        public Batch ToBatch() => new(
            code,
            product_id,
            producer_id,
            Enum.Parse<BatchStatus>(status, ignoreCase: true),
            national_code,
            lot,
            Times.Parse(created_at),
            recalled_at is null ? null : Times.Parse(recalled_at),
            recall_reason);
    }

    sealed class ZoneRow
    {
        public string id { get; set; } = "";
        public long? party_id { get; set; }
        public string kind { get; set; } = "";
        public string name { get; set; } = "";
        public string? gateway_id { get; set; }
        public string? gateway_zone { get; set; }
        public long registered { get; set; }

        public Zone ToZone() => new(id, party_id, Enum.Parse<ZoneKind>(kind, ignoreCase: true), name, gateway_id, gateway_zone, registered == 1);
    }
#pragma warning restore CA1812, IDE1006, SA1300
}
