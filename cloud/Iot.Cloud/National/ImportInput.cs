using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Unicode;

namespace Iot.Cloud.National;

/// <summary>How much one import may hold; beyond, the input is refused as a whole before anything is stored.</summary>
public sealed class NationalImportLimits
{
    /// <summary>Rows at most (a JSON document: all three arrays together). Default 100,000.</summary>
    public int MaxRows { get; init; } = 100_000;

    /// <summary>Bytes at most. Default 32 MiB (100,000 party rows of realistic width take about 15 MiB).</summary>
    public long MaxBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Characters in one CSV field or JSON string at most. Default 4,096 (the registry keeps 200 per text).</summary>
    public int MaxFieldLength { get; init; } = 4096;
}

/// <summary>One row of input, its values by column name, before the registry sees it.</summary>
/// <param name="Row">CSV: 1-based data row; JSON: the array index.</param>
/// <param name="Kind">The record kind.</param>
/// <param name="Path">JSON: <c>$.parties[3]</c>; CSV: null.</param>
/// <param name="Values">Trimmed values by canonical column name; blank is absent (null).</param>
/// <param name="Sensitive">Raw texts of the row that may be resident identity numbers: never shown unmasked.</param>
/// <param name="Warnings">Found while reading (e.g. unknown JSON properties).</param>
/// <param name="Error">Set when the row could not be read (wrong field count, wrong JSON type): rejected as is.</param>
internal sealed record ImportRow(
    int Row,
    string Kind,
    string? Path,
    Dictionary<string, string?> Values,
    List<string> Sensitive,
    List<string> Warnings,
    Registry.InvalidRecordException? Error)
{
    /// <summary>The value of <paramref name="column"/>, or null when absent or blank.</summary>
    public string? this[string column] => Values.GetValueOrDefault(column);
}

/// <summary>The columns of each record kind: required ones must be in a CSV header; the others may be.</summary>
internal static class ImportColumns
{
    static readonly Dictionary<string, (string[] Required, string[] Optional)> Columns = new(StringComparer.Ordinal)
    {
        [ImportKinds.Parties] = (["kind", "role", "name"], ["creditCode", "residentId", "divisionCode", "nationalEntityCode"]),
        [ImportKinds.Products] = (["name"], ["category", "gtin"]),
        [ImportKinds.TraceCodes] = (["nationalTraceCode", "batchCode"], ["nationalEntityCode", "productName", "gtin"]),
    };

    public static bool IsKind(string? kind) => kind is not null && Columns.ContainsKey(kind);

    public static IReadOnlyList<string> Required(string kind) => Columns[kind].Required;

    public static IEnumerable<string> All(string kind) => Columns[kind].Required.Concat(Columns[kind].Optional);

    /// <summary>The canonical name of <paramref name="name"/> in <paramref name="kind"/>, matched as <paramref name="comparison"/> says.</summary>
    public static string? Canonical(string kind, string name, StringComparison comparison) =>
        All(kind).FirstOrDefault(c => string.Equals(c, name, comparison));

    /// <summary>Whether a raw value is shaped like a resident identity number (18 characters, the first 17 digits).</summary>
    public static bool MayBeResidentId(string text)
    {
        string t = text.Trim();
        return t.Length == 18 && t.AsSpan(0, 17).IndexOfAnyExceptInRange('0', '9') < 0;
    }
}

/// <summary>Reads an upload whole, within the byte limit, and checks it is UTF-8 (a UTF-8 byte order mark is skipped).</summary>
internal static class ImportInput
{
    public static bool TryRead(Stream stream, NationalImportLimits limits, out ReadOnlyMemory<byte> utf8, [NotNullWhen(false)] out string? refusal)
    {
        utf8 = default;
        using var buffer = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > limits.MaxBytes)
                {
                    refusal = string.Create(CultureInfo.InvariantCulture, $"the input is larger than {limits.MaxBytes} bytes (the limit); split it into several files");
                    return false;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var bytes = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        var span = bytes.Span;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }
        else if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            refusal = "the input is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8";
            return false;
        }

        if (bytes.IsEmpty)
        {
            refusal = "the input is empty";
            return false;
        }

        if (FirstInvalidUtf8(bytes.Span) is { } offset)
        {
            refusal = string.Create(
                CultureInfo.InvariantCulture,
                $"the input is not UTF-8: invalid byte sequence at byte {offset} (a file saved as GBK/GB 18030, e.g. by a spreadsheet, must be saved as UTF-8)");
            return false;
        }

        utf8 = bytes;
        refusal = null;
        return true;
    }

    /// <summary>The offset of the first byte that is not valid UTF-8, or null.</summary>
    static long? FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        char[] chars = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            long offset = 0;
            while (!bytes.IsEmpty)
            {
                var status = Utf8.ToUtf16(bytes, chars, out int bytesRead, out _, replaceInvalidSequences: false, isFinalBlock: true);
                if (status is OperationStatus.InvalidData or OperationStatus.NeedMoreData)
                {
                    return offset + bytesRead;
                }

                offset += bytesRead;
                bytes = bytes[bytesRead..];
            }

            return null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
