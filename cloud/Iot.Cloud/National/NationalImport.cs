using System.Globalization;
using Iot.Cloud.Registry;
using Iot.Contracts.Identifiers;

namespace Iot.Cloud.National;

/// <summary>
/// Imports the national platform's records (parties with their entity codes 主体码, products, and the trace codes 追溯码
/// of our batches) from CSV or JSON, row by row through the <see cref="RegistryStore"/>, and reports what it did with
/// each row. The platform does not publish an export format: the formats are ours (cloud/README.md, "National
/// platform import").
/// </summary>
/// <remarks>
/// <para>Every row goes through the registry's own checks; credit codes leniently (a wrong check character is kept and
/// the row reported <c>warned</c>, since real registries hold some). A rejected row writes nothing. Input is read whole
/// (within <see cref="NationalImportLimits"/>) before any row is stored, so input refused as a whole stores nothing.</para>
/// <para>An import never throws on its input: malformed CSV or JSON, bad UTF-8, an empty or oversized upload all give a
/// report. Resident identity numbers never appear in a report: codes are shown masked and every reason is scrubbed.</para>
/// </remarks>
public sealed class NationalImport
{
    readonly RegistryStore registry;
    readonly NationalImportLimits limits;

    /// <summary>Creates an importer writing to <paramref name="registry"/>, with <paramref name="limits"/> or the defaults.</summary>
    public NationalImport(RegistryStore registry, NationalImportLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        this.registry = registry;
        this.limits = limits ?? new NationalImportLimits();
    }

    /// <summary>
    /// Imports one CSV file of <paramref name="kind"/> (<c>parties</c>, <c>products</c> or <c>traceCodes</c>): a header
    /// row naming the columns, then one record per row.
    /// </summary>
    public ImportReport ImportCsv(string kind, Stream csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        if (!ImportColumns.IsKind(kind))
        {
            string shown = Privacy.Scrub(IdentifierCheck.Printable(kind ?? ""), []);
            return ImportReport.Refused(shown, $"unknown record kind '{shown}'; one of {string.Join(", ", ImportKinds.Each)}");
        }

        if (!ImportInput.TryRead(csv, limits, out var utf8, out string? refusal))
        {
            return ImportReport.Refused(kind, refusal);
        }

        return CsvRows.TryRead(utf8, kind, limits, out var rows, out var warnings, out refusal)
            ? Import(kind, rows, warnings)
            : ImportReport.Refused(kind, Privacy.Scrub(refusal, []), warnings.Select(w => Privacy.Scrub(w, [])).ToList());
    }

    /// <summary>
    /// Imports a JSON document <c>{"parties":[...], "products":[...], "traceCodes":[...]}</c>: parties first, then
    /// products, then trace codes, whatever the order in the document.
    /// </summary>
    public ImportReport ImportJson(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!ImportInput.TryRead(json, limits, out var utf8, out string? refusal))
        {
            return ImportReport.Refused(ImportKinds.All, refusal);
        }

        return JsonRows.TryRead(utf8, limits, out var rows, out var warnings, out refusal)
            ? Import(ImportKinds.All, rows, warnings)
            : ImportReport.Refused(ImportKinds.All, Privacy.Scrub(refusal, []), warnings.Select(w => Privacy.Scrub(w, [])).ToList());
    }

    ImportReport Import(string kind, List<ImportRow> rows, List<string> warnings)
    {
        var results = new List<ImportResult>(rows.Count);
        foreach (var row in rows)
        {
            results.Add(Scrubbed(row, ImportOne(row)));
        }

        return ImportReport.Of(kind, warnings.Select(w => Privacy.Scrub(w, [])).ToList(), results);
    }

    ImportResult ImportOne(ImportRow row)
    {
        if (row.Error is { } unreadable)
        {
            return Rejected(row, unreadable);
        }

        try
        {
            return row.Kind switch
            {
                ImportKinds.Parties => ImportParty(row),
                ImportKinds.Products => ImportProduct(row),
                _ => ImportTraceCode(row),
            };
        }
        catch (InvalidRecordException e)
        {
            return Rejected(row, e);
        }
        catch (FormatException)
        {
            // A rule that threw instead of naming the field: refuse the row without echoing anything of it.
            return Rejected(row, new InvalidRecordException("", "a value cannot be read"));
        }
    }

    ImportResult ImportParty(ImportRow row)
    {
        var draft = new PartyDraft(row["kind"], row["role"], row["name"], row["creditCode"], row["residentId"], row["divisionCode"], row["nationalEntityCode"]);
        string? entityCode = RecordRules.NationalCode("nationalEntityCode", draft.NationalEntityCode);
        long? entityHolder = entityCode is null ? null : PartyWithEntityCode(entityCode);
        var (party, created, _) = registry.RegisterParty(draft, lenient: true);
        string id = party.Id.ToString(CultureInfo.InvariantCulture);
        string code = party.CreditCode ?? Privacy.Mask(party.ResidentId ?? "");
        var warnings = new List<string>(row.Warnings);
        if (created)
        {
            warnings.AddRange(party.Warnings);
            return Result(row, warnings.Count > 0 ? ImportOutcome.Warned : ImportOutcome.Accepted, id, code, warnings);
        }

        // The party was already registered (same credit code or resident identity number): the import does not
        // overwrite it, but says where the row disagrees.
        if (entityCode is not null && party.NationalEntityCode != entityCode)
        {
            return Rejected(row, new InvalidRecordException(
                "nationalEntityCode",
                $"this party (id {id}) is already registered with national entity code {party.NationalEntityCode}; the import does not change it"));
        }

        Differs("name", party.Name, RecordRules.Text("name", draft.Name));
        Differs("role", Names.Of(party.Role), draft.Role);
        Differs("divisionCode", party.DivisionCode, draft.DivisionCode);
        bool linked = entityCode is not null && entityHolder != party.Id;
        var outcome = linked
            ? (warnings.Count > 0 ? ImportOutcome.Warned : ImportOutcome.Accepted)
            : ImportOutcome.Unchanged;
        return Result(row, outcome, id, code, warnings);

        void Differs(string field, string registered, string? imported)
        {
            if (imported is not null && !string.Equals(registered, imported, StringComparison.Ordinal))
            {
                warnings.Add($"{field}: the party is registered as '{registered}', the row says '{IdentifierCheck.Printable(imported)}'; kept as registered");
            }
        }
    }

    ImportResult ImportProduct(ImportRow row)
    {
        var (product, created) = registry.RegisterProduct(new ProductDraft(row["name"], row["category"], row["gtin"]));
        string id = product.Id.ToString(CultureInfo.InvariantCulture);
        var warnings = new List<string>(row.Warnings);
        if (created)
        {
            return Result(row, warnings.Count > 0 ? ImportOutcome.Warned : ImportOutcome.Accepted, id, product.Gtin, warnings);
        }

        if (!string.Equals(product.Name, RecordRules.Text("name", row["name"]), StringComparison.Ordinal))
        {
            warnings.Add($"name: the product with GTIN {product.Gtin} is registered as '{product.Name}', the row says '{IdentifierCheck.Printable(row["name"]!)}'; kept as registered");
        }

        if (row["category"] is { } category && !string.Equals(product.Category, category, StringComparison.Ordinal))
        {
            warnings.Add($"category: the product is registered in '{product.Category}', the row says '{IdentifierCheck.Printable(category)}'; kept as registered");
        }

        return Result(row, ImportOutcome.Unchanged, id, product.Gtin, warnings);
    }

    ImportResult ImportTraceCode(ImportRow row)
    {
        string national = RecordRules.NationalCode("nationalTraceCode", row["nationalTraceCode"])
            ?? throw new InvalidRecordException("nationalTraceCode", "is required");
        var linkedTo = registry.FindBatchByNationalCode(national);
        var warnings = new List<string>(row.Warnings);
        if (row["batchCode"] is null)
        {
            // The platform's record names no batch of ours: only a link made before can be confirmed.
            return linkedTo is not null
                ? Result(row, ImportOutcome.Unchanged, linkedTo.Code, national, warnings)
                : throw new InvalidRecordException(
                    "batchCode",
                    "is empty and the national trace code is linked to no batch; batches are not invented: register the batch, then import its code again");
        }

        string code = RecordRules.BatchCode("batchCode", row["batchCode"]);
        var batch = registry.FindBatch(code)
            ?? throw new InvalidRecordException("batchCode", $"batch {code} is not registered; batches are not invented: register it, then import its code again");
        if (linkedTo is not null && linkedTo.Code != batch.Code)
        {
            throw new InvalidRecordException("nationalTraceCode", $"{national} is already linked to batch {linkedTo.Code}");
        }

        if (batch.NationalCode is not null && batch.NationalCode != national)
        {
            throw new InvalidRecordException(
                "batchCode",
                $"batch {code} is already linked to national trace code {batch.NationalCode}; the import does not relink (PUT /api/batches/{code}/national-code does)");
        }

        CrossCheck(row, batch, warnings);
        if (batch.NationalCode == national)
        {
            return Result(row, ImportOutcome.Unchanged, batch.Code, national, warnings);
        }

        registry.LinkNationalCode(batch.Code, national);
        return Result(row, warnings.Count > 0 ? ImportOutcome.Warned : ImportOutcome.Accepted, batch.Code, national, warnings);
    }

    /// <summary>
    /// The row's producer and product against the batch's: a different national entity code or GTIN is a wrong link
    /// (rejected); a different product name, or a producer without an entity code to compare, is a warning.
    /// </summary>
    void CrossCheck(ImportRow row, Batch batch, List<string> warnings)
    {
        if (RecordRules.NationalCode("nationalEntityCode", row["nationalEntityCode"]) is { } entityCode)
        {
            var producer = registry.FindParty(batch.ProducerId)!;
            if (producer.NationalEntityCode is null)
            {
                warnings.Add($"nationalEntityCode: the batch's producer (party {producer.Id}) has no national entity code registered, so {entityCode} is not checked");
            }
            else if (producer.NationalEntityCode != entityCode)
            {
                throw new InvalidRecordException(
                    "nationalEntityCode",
                    $"batch {batch.Code} was produced by party {producer.Id}, whose national entity code is {producer.NationalEntityCode}, not {entityCode}");
            }
        }

        var product = registry.FindProduct(batch.ProductId)!;
        if (RecordRules.Gtin("gtin", row["gtin"]) is { } gtin)
        {
            if (product.Gtin is null)
            {
                warnings.Add($"gtin: the batch's product (product {product.Id}) has no GTIN registered, so {gtin} is not checked");
            }
            else if (product.Gtin != gtin)
            {
                throw new InvalidRecordException("gtin", $"batch {batch.Code} is of product {product.Id} with GTIN {product.Gtin}, not {gtin}");
            }
        }

        if (row["productName"] is { } name && !string.Equals(name, product.Name, StringComparison.Ordinal))
        {
            warnings.Add($"productName: batch {batch.Code} is of '{product.Name}', the row says '{IdentifierCheck.Printable(name)}'");
        }
    }

    /// <summary>The party holding <paramref name="entityCode"/> before the import, or null.</summary>
    long? PartyWithEntityCode(string entityCode) =>
        registry.ListParties(search: entityCode, limit: 1000).FirstOrDefault(p => p.NationalEntityCode == entityCode)?.Id;

    static ImportResult Result(ImportRow row, ImportOutcome outcome, string? id, string? code, List<string> warnings) =>
        new(row.Row, row.Kind, row.Path, outcome, id, code, null, null, warnings);

    static ImportResult Rejected(ImportRow row, InvalidRecordException e) =>
        new(row.Row, row.Kind, row.Path, ImportOutcome.Rejected, null, null, e.Field.Length == 0 ? null : e.Field, e.Reason, row.Warnings);

    /// <summary>The result with every text scrubbed of the row's possible resident identity numbers.</summary>
    static ImportResult Scrubbed(ImportRow row, ImportResult result) => result with
    {
        Code = result.Code is null ? null : row.Sensitive.Contains(result.Code, StringComparer.Ordinal) ? Privacy.Mask(result.Code) : result.Code,
        Reason = result.Reason is null ? null : Privacy.Scrub(result.Reason, row.Sensitive),
        Warnings = result.Warnings.Select(w => Privacy.Scrub(w, row.Sensitive)).ToList(),
    };
}
