using System.Globalization;
using System.Text;
using Iot.Contracts.Identifiers.Epc;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// Says what any string is, among the identifiers the system knows, and whether it is valid: the logic of
/// <c>iot check</c>, usable wherever a person pastes a code.
/// </summary>
/// <remarks>
/// <para>Rules, in order:</para>
/// <list type="number">
/// <item><c>urn:epc:</c> → EPC URN (SGTIN-96 or SSCC-96 tag URN, SGTIN or SSCC pure identity URN).</item>
/// <item><c>http://</c>, <c>https://</c> → GS1 Digital Link.</item>
/// <item>24 hex digits → 96-bit EPC, SGTIN-96 or SSCC-96 by its header.</item>
/// <item>8, 12, 13 or 14 digits → GTIN-8, GTIN-12, GTIN-13 (or GLN), GTIN-14.</item>
/// <item>18 characters → every kind it is shaped like is tried (SSCC: 18 digits; unified social credit code: upper-case
/// letters and digits; resident identity number: 17 digits first, or digits with one X anywhere) and every kind that
/// passes is reported. When none passes, the reasons of all the kinds it was shaped like are given.</item>
/// <item>16 upper-case letters and digits → batch trace code. (A letter outside the alphabet, such as O for 0, is
/// reported as the typo it most likely is, not passed on as a national trace code.)</item>
/// <item>The same in four groups of four separated by hyphens or spaces (as printed on labels), any case → batch trace code.</item>
/// <item>8, 14 or 20 hex digits with a letter among them → HF tag UID (or a national trace code: the two look alike).</item>
/// <item>Anything else that passes <see cref="NationalTraceCode"/> → national trace code, format not published.</item>
/// </list>
/// <para>A value shaped like an identifier with a check character that fails its check is invalid, never waved through
/// as an opaque national trace code. A value that may be a resident identity number (shaped like one, as above) is
/// masked wherever the report shows it, unless it is valid as another kind and not as an identity number.
/// Control and other invisible characters are shown escaped.</para>
/// </remarks>
public static class IdentifierCheck
{
    /// <summary>The kind reported for a valid national trace code.</summary>
    public const string NationalTraceCodeKind = "national trace code (opaque, format not published)";

    const string UsccKind = "unified social credit code";
    const string RinKind = "resident identity number";
    const string SsccKind = "SSCC";

    /// <summary>Classifies <paramref name="value"/>; birth dates of identity numbers are checked against today.</summary>
    public static IdentifierReport Check(string? value) => Check(value, TimeProvider.System);

    /// <summary>Classifies <paramref name="value"/>, with <paramref name="clock"/> telling today for birth dates.</summary>
    public static IdentifierReport Check(string? value, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (string.IsNullOrEmpty(value))
        {
            return IdentifierReport.Invalid("\"\"", "empty value");
        }

        if (value.StartsWith("urn:epc:", StringComparison.OrdinalIgnoreCase))
        {
            return EpcUrn(value);
        }

        if (value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return Gs1DigitalLink.TryParse(value, out var link, out var linkError)
                ? IdentifierReport.Valid(value, $"GS1 Digital Link = {link.ElementString}")
                : IdentifierReport.Invalid(value, linkError);
        }

        if (value.Length == 24 && Epc96.IsHex(value))
        {
            return EpcHex(value);
        }

        if (Gtin.IsGtinLength(value.Length) && Gs1.IsAllDigits(value))
        {
            return Gtin.TryParse(value, out var gtin, out var gtinError)
                ? IdentifierReport.Valid(value, gtin.Format == "GTIN-13" ? "GTIN-13 or GLN" : gtin.Format)
                : IdentifierReport.Invalid(value, gtinError);
        }

        if (value.Length == 18 && EighteenCharacters(value, clock) is { } report)
        {
            return report;
        }

        if (value.Length == BatchTraceCode.Length && IsUpperAlphanumeric(value))
        {
            return BatchTraceCode.TryParse(value, out _, out var batchError)
                ? IdentifierReport.Valid(value, "batch trace code")
                : IdentifierReport.Invalid(value, batchError);
        }

        // The grouped form people print and type (7K3M-9Q2T-XW4A-1B63, or with spaces) is a batch trace code too.
        if (value.Length == BatchTraceCode.Length + 3 && (value.Contains('-', StringComparison.Ordinal) || value.Contains(' ', StringComparison.Ordinal))
            && value.Replace("-", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal) is { Length: BatchTraceCode.Length } compact
            && IsUpperAlphanumeric(compact.ToUpperInvariant()))
        {
            return BatchTraceCode.TryParseTyped(value, out var typed, out var typedError)
                ? IdentifierReport.Valid(value, $"batch trace code {typed.Value}")
                : IdentifierReport.Invalid(value, typedError);
        }

        if (HfTagUid.IsUidHexLength(value.Length) && Epc96.IsHex(value) && !Gs1.IsAllDigits(value) && HfTagUid.TryParse(value, out var uid, out _))
        {
            return IdentifierReport.Valid(value, string.Create(CultureInfo.InvariantCulture, $"HF tag UID (ISO 14443A, {uid.Length} bytes) or {NationalTraceCodeKind}"));
        }

        return NationalTraceCode.TryParse(value, out _, out var error)
            ? IdentifierReport.Valid(value, NationalTraceCodeKind)
            : IdentifierReport.Invalid(value, $"unrecognised identifier; {error}");
    }

    /// <summary>
    /// <paramref name="text"/> safe to print on one line: backslash, control, format and separator characters (and
    /// spaces other than U+0020) escaped as <c>\\</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\uXXXX</c> or <c>\UXXXXXXXX</c>.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                // An unpaired surrogate.
                output.Append(CultureInfo.InvariantCulture, $"\\u{(int)text[i]:X4}");
                i++;
                continue;
            }

            string? escaped = rune.Value switch
            {
                '\\' => @"\\",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                ' ' => null,
                _ => Rune.GetUnicodeCategory(rune) switch
                {
                    UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator
                        or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned =>
                        rune.IsBmp
                            ? string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}")
                            : string.Create(CultureInfo.InvariantCulture, $"\\U{rune.Value:X8}"),
                    _ => null,
                },
            };

            if (escaped is null)
            {
                output.Append(text, i, consumed);
            }
            else
            {
                output.Append(escaped);
            }

            i += consumed;
        }

        return output.ToString();
    }

    static IdentifierReport EpcUrn(string value)
    {
        if (value.StartsWith("urn:epc:tag:sgtin-96:", StringComparison.Ordinal))
        {
            return Sgtin96.TryParseTagUrn(value, out var epc, out var error)
                ? IdentifierReport.Valid(value, $"SGTIN-96 tag URN = EPC {epc.Value} = {epc.ElementString}")
                : IdentifierReport.Invalid(value, error);
        }

        if (value.StartsWith("urn:epc:tag:sscc-96:", StringComparison.Ordinal))
        {
            return Sscc96.TryParseTagUrn(value, out var epc, out var error)
                ? IdentifierReport.Valid(value, $"SSCC-96 tag URN = EPC {epc.Value} = {epc.ElementString}")
                : IdentifierReport.Invalid(value, error);
        }

        if (value.StartsWith("urn:epc:id:sgtin:", StringComparison.Ordinal))
        {
            return Sgtin96.TryParsePureIdentityUrn(value, 0, out var epc, out var error)
                ? IdentifierReport.Valid(value, $"SGTIN pure identity URN = {epc.ElementString}")
                : IdentifierReport.Invalid(value, error);
        }

        if (value.StartsWith("urn:epc:id:sscc:", StringComparison.Ordinal))
        {
            return Sscc96.TryParsePureIdentityUrn(value, 0, out var epc, out var error)
                ? IdentifierReport.Valid(value, $"SSCC pure identity URN = {epc.ElementString}")
                : IdentifierReport.Invalid(value, error);
        }

        return IdentifierReport.Invalid(value, "EPC URN not supported; known are urn:epc:tag:sgtin-96:, urn:epc:tag:sscc-96:, urn:epc:id:sgtin: and urn:epc:id:sscc: (lower case)");
    }

    static IdentifierReport EpcHex(string value)
    {
        string header = value[..2].ToUpperInvariant();
        return header switch
        {
            "30" => Sgtin96.TryParse(value, out var sgtin, out var error)
                ? IdentifierReport.Valid(value, $"SGTIN-96 EPC = {sgtin.PureIdentityUrn} = {sgtin.ElementString}")
                : IdentifierReport.Invalid(value, error),
            "31" => Sscc96.TryParse(value, out var sscc, out var error)
                ? IdentifierReport.Valid(value, $"SSCC-96 EPC = {sscc.PureIdentityUrn} = {sscc.ElementString}")
                : IdentifierReport.Invalid(value, error),
            _ => IdentifierReport.Invalid(value, $"EPC header 0x{header} is neither SGTIN-96 (0x30) nor SSCC-96 (0x31)"),
        };
    }

    /// <summary>An SSCC, a unified social credit code or a resident identity number; null when shaped like none.</summary>
    static IdentifierReport? EighteenCharacters(string value, TimeProvider clock)
    {
        // 17 digits then anything, or digits with one X somewhere (an identity number whose X was moved by a typo).
        int nonDigits = value.Count(c => !char.IsAsciiDigit(c));
        bool identityShaped = Gs1.IsAllDigits(value.AsSpan(0, 17)) || (nonDigits == 1 && value.Any(c => c is 'X' or 'x'));
        bool ssccShaped = nonDigits == 0;
        bool creditCodeShaped = IsUpperAlphanumeric(value);
        if (!(identityShaped || ssccShaped || creditCodeShaped))
        {
            return null;
        }

        var valid = new List<string>();
        var reasons = new List<string>();
        if (ssccShaped)
        {
            Try(Sscc.TryParse(value, out _, out var error), SsccKind, error);
        }

        if (creditCodeShaped)
        {
            Try(UnifiedSocialCreditCode.TryParse(value, out _, out var error), UsccKind, error);
        }

        bool identityValid = false;
        if (identityShaped)
        {
            identityValid = ResidentIdentityNumber.TryParse(value, clock, out _, out var error);
            Try(identityValid, RinKind, error);
        }

        // A (possibly mistyped) identity number is personal data: show it masked unless it is plainly something else.
        bool mask = identityShaped && (identityValid || valid.Count == 0);
        string shown = mask ? ResidentIdentityNumber.Mask(value) : value;
        if (valid.Count > 0)
        {
            return IdentifierReport.Valid(shown, valid[0], valid[1..]);
        }

        string reason = string.Join("; ", reasons);
        return IdentifierReport.Invalid(shown, mask ? reason.Replace(value, shown, StringComparison.Ordinal) : reason);

        void Try(bool ok, string kind, string? error)
        {
            if (ok)
            {
                valid.Add(kind);
            }
            else
            {
                reasons.Add(error!);
            }
        }
    }

    static bool IsUpperAlphanumeric(string value)
    {
        foreach (char c in value)
        {
            if (!(char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)))
            {
                return false;
            }
        }

        return true;
    }
}
