using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using CsvHelper;
using Iot.Cloud.Registry;
using Iot.Contracts.Identifiers;

namespace Iot.Cloud.National;

/// <summary>
/// Reads one CSV file of one record kind into rows: RFC 4180 quoting, comma separated, a header row naming the columns
/// (any order, matched ignoring case), spaces and tabs around values trimmed, blank lines skipped, UTF-8 (checked before).
/// </summary>
/// <remarks>
/// Line breaks inside quoted fields are refused: no value of these records may hold one (the registry refuses control
/// characters), and so an unbalanced quote costs its own row rather than swallowing the rest of the file. Nothing of a
/// malformed row is echoed in the report: its cells may hold a resident identity number.
/// </remarks>
internal static class CsvRows
{
    public static CsvReaderOptions Options(Dictionary<long, CsvMalformedReason> malformed) => new()
    {
        Separator = ',',
        HasHeader = true,
        Mode = CsvMode.Rfc4180,
        Quote = '"',
        TrimWhitespace = true,
        TrimInsideQuotes = true,
        SkipEmptyLines = true,
        AllowLineBreaksInQuotes = false,
        DetectSeparatorHint = false,
        CommentPrefix = null,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MissingField = CsvMissingFieldHandling.ReturnEmpty,
        FormatProvider = CultureInfo.InvariantCulture,
        Encoding = Encoding.UTF8,
        IncludeValuesInExceptions = false,
        OnMalformedRecord = record => malformed.TryAdd(record.RecordNumber, record.Reason),
    };

    /// <summary>
    /// The rows of <paramref name="utf8"/> (a CSV file of <paramref name="kind"/>), or the reason the file is refused as a
    /// whole (no header, a required column missing, a column given twice, more rows than the limit).
    /// </summary>
    public static bool TryRead(
        ReadOnlyMemory<byte> utf8,
        string kind,
        NationalImportLimits limits,
        out List<ImportRow> rows,
        out List<string> warnings,
        [NotNullWhen(false)] out string? refusal)
    {
        rows = [];
        warnings = [];
        var malformed = new Dictionary<long, CsvMalformedReason>();
        try
        {
            using var reader = CsvReader.Create(utf8, Options(malformed));
            var headers = reader.Headers;
            if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
            {
                refusal = $"the file has no header row; the first line must name the columns: {string.Join(",", ImportColumns.All(kind))}";
                return false;
            }

            if (malformed.TryGetValue(1, out var headerProblem))
            {
                refusal = $"the header row has malformed quoting ({Describe(headerProblem)})";
                return false;
            }

            if (!TryMapHeader(kind, headers, warnings, out var columns, out refusal))
            {
                return false;
            }

            while (reader.Read())
            {
                if (reader.RowNumber > limits.MaxRows)
                {
                    refusal = string.Create(CultureInfo.InvariantCulture, $"the file has more than {limits.MaxRows} rows (the limit); split it into several files");
                    return false;
                }

                rows.Add(ReadRow(reader, kind, columns, headers.Count, limits, malformed));
            }
        }
        catch (CsvFormatException e)
        {
            // Its message may quote the input: say where, not what.
            refusal = string.Create(CultureInfo.InvariantCulture, $"the file cannot be read as CSV near record {e.RecordNumber} (byte {e.ByteOffset})");
            return false;
        }

        if (rows.Count == 0)
        {
            warnings.Add("the file has a header row but no data rows");
        }

        refusal = null;
        return true;
    }

    /// <summary>Maps header positions to canonical column names; unknown columns are warned about and ignored.</summary>
    static bool TryMapHeader(string kind, IReadOnlyList<string> headers, List<string> warnings, out string?[] columns, [NotNullWhen(false)] out string? refusal)
    {
        columns = new string?[headers.Count];
        var unknown = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < headers.Count; i++)
        {
            string name = headers[i].Trim();
            string? canonical = ImportColumns.Canonical(kind, name, StringComparison.OrdinalIgnoreCase);
            if (canonical is null)
            {
                unknown.Add(name.Length == 0 ? "(a column without a name)" : IdentifierCheck.Printable(name.Length > 64 ? name[..64] + "…" : name));
                continue;
            }

            if (!seen.Add(canonical))
            {
                refusal = $"the column '{canonical}' is given twice";
                return false;
            }

            columns[i] = canonical;
        }

        var missing = ImportColumns.Required(kind).Where(c => !seen.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            refusal = $"the header lacks the required column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}"
                + $" (a {kind} file has the columns {string.Join(",", ImportColumns.All(kind))}; required: {string.Join(", ", ImportColumns.Required(kind))})";
            return false;
        }

        if (unknown.Count > 0)
        {
            warnings.Add($"unknown column{(unknown.Count > 1 ? "s" : "")} ignored: {string.Join(", ", unknown)}");
        }

        refusal = null;
        return true;
    }

    static ImportRow ReadRow(CsvReader reader, string kind, string?[] columns, int headerCount, NationalImportLimits limits, Dictionary<long, CsvMalformedReason> malformed)
    {
        int row = checked((int)reader.RowNumber);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var sensitive = new List<string>();
        InvalidRecordException? error = null;
        for (int i = 0; i < reader.FieldCount; i++)
        {
            string text = reader.GetString(i);
            if (ImportColumns.MayBeResidentId(text) || (i < columns.Length && columns[i] == "residentId" && text.Length > 0))
            {
                sensitive.Add(text);
            }

            if (i < columns.Length && columns[i] is { } column)
            {
                if (text.Length > limits.MaxFieldLength)
                {
                    error ??= new InvalidRecordException(column, string.Create(CultureInfo.InvariantCulture, $"is longer than {limits.MaxFieldLength} characters"));
                }

                values[column] = text.Length == 0 ? null : text;
            }
        }

        // A malformed record is numbered among all records, the header first.
        if (malformed.TryGetValue(reader.RowNumber + 1, out var reason))
        {
            error = new InvalidRecordException("", $"malformed CSV quoting: {Describe(reason)}; nothing of the row was read");
        }
        else if (reader.FieldCount != headerCount)
        {
            error = new InvalidRecordException("", string.Create(CultureInfo.InvariantCulture, $"the row has {reader.FieldCount} fields, the header {headerCount} (a comma in an unquoted value?)"));
        }

        return new ImportRow(row, kind, null, values, sensitive, [], error);
    }

    static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted value (quote the whole value and double the quote)",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a value",
        CsvMalformedReason.UnterminatedQuote => "a quoted value that is never closed",
        CsvMalformedReason.LineBreakInQuotes => "a line break inside a quoted value (an unclosed quote?)",
        CsvMalformedReason.FieldCountMismatch => "a different number of fields from the header",
        _ => "the quoting rules of RFC 4180 are broken",
    };
}
