using System.Text.Json.Serialization;

namespace Iot.Cloud.National;

/// <summary>What an import did with one row.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImportOutcome>))]
public enum ImportOutcome
{
    /// <summary>Created, or linked (a national code filled in where there was none).</summary>
    [JsonStringEnumMemberName("accepted")]
    Accepted,

    /// <summary>Already there, as the row says: nothing written.</summary>
    [JsonStringEnumMemberName("unchanged")]
    Unchanged,

    /// <summary>Stored, with warnings (e.g. a credit code whose check character fails: kept and flagged).</summary>
    [JsonStringEnumMemberName("warned")]
    Warned,

    /// <summary>Nothing stored: <see cref="ImportResult.Field"/> and <see cref="ImportResult.Reason"/> say why.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,
}

/// <summary>The record kinds of the national platform's records, as named in imports.</summary>
public static class ImportKinds
{
    /// <summary>Parties (主体): producers and the others in the chain.</summary>
    public const string Parties = "parties";

    /// <summary>Products.</summary>
    public const string Products = "products";

    /// <summary>National trace codes (追溯码) to link to our batches.</summary>
    public const string TraceCodes = "traceCodes";

    /// <summary>The kind of a report on a JSON document, which holds all three.</summary>
    public const string All = "all";

    /// <summary>The kinds a CSV file can hold, in the order a JSON document's sections are imported.</summary>
    public static readonly IReadOnlyList<string> Each = [Parties, Products, TraceCodes];
}

/// <summary>
/// One row of an import.
/// </summary>
/// <param name="Row">CSV: the data row's number, 1-based, header not counted. JSON: the element's index in its array (0-based), as in <paramref name="Path"/>.</param>
/// <param name="Kind">Which kind of record the row is (<see cref="ImportKinds"/>).</param>
/// <param name="Path">JSON only: the element, e.g. <c>$.parties[3]</c>.</param>
/// <param name="Outcome">What was done.</param>
/// <param name="Id">The registry's id of the record: a party's or product's number, a batch's trace code.</param>
/// <param name="Code">The record's identifying code: a credit code or a MASKED resident identity number, a GTIN, a national trace code.</param>
/// <param name="Field">For a rejected row: the field at fault.</param>
/// <param name="Reason">For a rejected row: why, in words.</param>
/// <param name="Warnings">What is suspicious or was ignored, for any outcome.</param>
public sealed record ImportResult(
    int Row,
    string Kind,
    string? Path,
    ImportOutcome Outcome,
    string? Id,
    string? Code,
    string? Field,
    string? Reason,
    IReadOnlyList<string> Warnings);

/// <summary>
/// What an import did: counts per outcome and one result per row. <see cref="Refusal"/> is set when the whole input was
/// refused (a missing required column, bad UTF-8, malformed JSON, over a limit): then nothing was stored and there are
/// no results.
/// </summary>
/// <param name="Kind">The record kind of a CSV file, or <see cref="ImportKinds.All"/> for a JSON document.</param>
/// <param name="Rows">Rows read.</param>
/// <param name="Accepted">Rows created or linked.</param>
/// <param name="Unchanged">Rows already there.</param>
/// <param name="Warned">Rows stored with warnings.</param>
/// <param name="Rejected">Rows refused (nothing stored).</param>
/// <param name="Refusal">Why the whole input was refused, or null.</param>
/// <param name="Warnings">About the input as a whole (e.g. unknown columns, ignored).</param>
/// <param name="Results">One per row, in input order (a JSON document: parties, products, then trace codes).</param>
public sealed record ImportReport(
    string Kind,
    int Rows,
    int Accepted,
    int Unchanged,
    int Warned,
    int Rejected,
    string? Refusal,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ImportResult> Results)
{
    /// <summary>A report on input refused as a whole.</summary>
    public static ImportReport Refused(string kind, string refusal, IReadOnlyList<string>? warnings = null) =>
        new(kind, 0, 0, 0, 0, 0, refusal, warnings ?? [], []);

    /// <summary>A report counting <paramref name="results"/>.</summary>
    public static ImportReport Of(string kind, IReadOnlyList<string> warnings, IReadOnlyList<ImportResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return new(
            kind,
            results.Count,
            results.Count(r => r.Outcome == ImportOutcome.Accepted),
            results.Count(r => r.Outcome == ImportOutcome.Unchanged),
            results.Count(r => r.Outcome == ImportOutcome.Warned),
            results.Count(r => r.Outcome == ImportOutcome.Rejected),
            null,
            warnings,
            results);
    }
}
