using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Iot.Contracts.Identifiers.Epc;

/// <summary>Bits, hex and the partition table shared by the 96-bit EPC encodings (GS1 Tag Data Standard).</summary>
internal static class Epc96
{
    /// <summary>Hex digits in a 96-bit EPC.</summary>
    public const int HexLength = 24;

    /// <summary>Header of SGTIN-96.</summary>
    public const byte SgtinHeader = 0x30;

    /// <summary>Header of SSCC-96.</summary>
    public const byte SsccHeader = 0x31;

    /// <summary>Bits of company prefix and the other key part together: SGTIN-96 44, SSCC-96 58.</summary>
    public const int SgtinKeyBits = 44;

    /// <inheritdoc cref="SgtinKeyBits"/>
    public const int SsccKeyBits = 58;

    /// <summary>Tag Data Standard partition table: company prefix bits and digits for partition values 0 to 6.</summary>
    static readonly (int Bits, int Digits)[] CompanyPrefix = [(40, 12), (37, 11), (34, 10), (30, 9), (27, 8), (24, 7), (20, 6)];

    static readonly ulong[] PowersOf10 = BuildPowersOf10();

    public static (int Bits, int Digits) CompanyPrefixOf(int partition) => CompanyPrefix[partition];

    /// <summary>The partition for a company prefix of <paramref name="digits"/> digits, or -1 for a length outside 6..12.</summary>
    public static int PartitionForPrefixDigits(int digits) => digits is >= 6 and <= 12 ? 12 - digits : -1;

    /// <summary>Reads 24 hex digits (either case) into 96 bits, naming a wrong length or character.</summary>
    public static bool TryParseHex(string? value, string kind, out UInt128 bits, [NotNullWhen(false)] out string? error)
    {
        bits = UInt128.Zero;
        if (string.IsNullOrEmpty(value))
        {
            error = $"{kind} is empty";
            return false;
        }

        if (value.Length != HexLength)
        {
            error = $"{kind} must be {HexLength} hex digits (96 bits), got {value.Length} characters";
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            int nibble = HexValue(value[i]);
            if (nibble < 0)
            {
                error = $"{kind}: character {Mod31.Describe(value[i])} at position {i + 1} is not a hex digit";
                return false;
            }

            bits = (bits << 4) | (uint)nibble;
        }

        error = null;
        return true;
    }

    public static bool IsHex(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if (HexValue(c) < 0)
            {
                return false;
            }
        }

        return true;
    }

    static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    public static string ToHex(UInt128 bits) => bits.ToString("X24", CultureInfo.InvariantCulture);

    /// <summary>The field of <paramref name="width"/> bits starting <paramref name="offset"/> bits from the most significant end.</summary>
    public static ulong Field(UInt128 bits, int offset, int width) =>
        (ulong)((bits >> (96 - offset - width)) & ((UInt128.One << width) - 1));

    /// <summary><paramref name="bits"/> with <paramref name="value"/> placed in the field (which must be zero so far).</summary>
    public static UInt128 WithField(UInt128 bits, int offset, int width, ulong value) =>
        bits | ((UInt128)value << (96 - offset - width));

    /// <summary>Whether <paramref name="value"/> fits in <paramref name="digits"/> decimal digits.</summary>
    public static bool FitsDigits(ulong value, int digits) => digits >= 20 || value < PowersOf10[digits];

    public static string Digits(ulong value, int digits) => value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');

    public static ulong Number(ReadOnlySpan<char> digits) => ulong.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a URN's numeric serial: digits, no leading zero (except "0" itself), at most <paramref name="max"/>; the rule
    /// of the Tag Data Standard for serials that a 96-bit encoding can carry.
    /// </summary>
    public static bool TryParseSerial(string text, string kind, string what, ulong max, out ulong serial, [NotNullWhen(false)] out string? error)
    {
        serial = 0;
        string limit = max.ToString(CultureInfo.InvariantCulture);
        if (text.Length == 0 || !Gs1.IsAllDigits(text) || (text.Length > 1 && text[0] == '0') || text.Length > limit.Length
            || !ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out serial) || serial > max)
        {
            error = $"{kind} {what} must be a number from 0 to {limit} without leading zeros, got '{text}'";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Reads a URN's filter value: one digit 0 to 7.</summary>
    public static bool TryParseFilter(string text, string kind, out int filter, [NotNullWhen(false)] out string? error)
    {
        if (text.Length != 1 || text[0] is < '0' or > '7')
        {
            filter = 0;
            error = $"{kind} filter must be one digit 0 to 7, got '{text}'";
            return false;
        }

        filter = text[0] - '0';
        error = null;
        return true;
    }

    /// <summary>Splits what follows <paramref name="prefix"/> in a URN at dots into <paramref name="count"/> parts.</summary>
    public static bool TrySplitUrn(string? urn, string kind, string prefix, string shape, int count, [NotNullWhen(true)] out string[]? parts, [NotNullWhen(false)] out string? error)
    {
        parts = null;
        if (string.IsNullOrEmpty(urn) || !urn.StartsWith(prefix, StringComparison.Ordinal))
        {
            error = $"{kind} URN must look like {prefix}{shape}";
            return false;
        }

        parts = urn[prefix.Length..].Split('.');
        if (parts.Length != count)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{kind} URN must look like {prefix}{shape}: {count} parts separated by '.', got {parts.Length}");
            parts = null;
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Checks a GS1 company prefix as a URN gives it: 6 to 12 digits.</summary>
    public static bool TryCompanyPrefix(string prefix, string kind, [NotNullWhen(false)] out string? error)
    {
        if (prefix.Length is < 6 or > 12 || !Gs1.IsAllDigits(prefix))
        {
            error = $"{kind} company prefix must be 6 to 12 digits, got '{prefix}'";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// The first 14 + <paramref name="keyBits"/> bits of a 96-bit EPC keyed by a GS1 company prefix: header, filter,
    /// partition (from the prefix's length), company prefix and the key's other part; later fields are left zero.
    /// </summary>
    public static UInt128 EncodeKey(byte header, int filter, string companyPrefix, int keyBits, string keyRest)
    {
        int partition = PartitionForPrefixDigits(companyPrefix.Length);
        var (prefixBits, _) = CompanyPrefixOf(partition);
        UInt128 bits = WithField(UInt128.Zero, 0, 8, header);
        bits = WithField(bits, 8, 3, (ulong)filter);
        bits = WithField(bits, 11, 3, (ulong)partition);
        bits = WithField(bits, 14, prefixBits, Number(companyPrefix));
        return WithField(bits, 14 + prefixBits, keyBits - prefixBits, Number(keyRest));
    }

    /// <summary>
    /// Decodes 24 hex digits as far as the key: checks the header, the partition and that the company prefix and the
    /// key's other part (named <paramref name="restName"/>, <paramref name="keyDigits"/> digits with the prefix) fit
    /// the digits the partition gives them. The caller reads the fields after the key from <paramref name="bits"/>.
    /// </summary>
    public static bool TryDecodeKey(
        string? hex, string kind, byte header, int keyBits, int keyDigits, string restName,
        out UInt128 bits, out int filter, [NotNullWhen(true)] out string? companyPrefix, [NotNullWhen(true)] out string? keyRest, [NotNullWhen(false)] out string? error)
    {
        filter = 0;
        companyPrefix = null;
        keyRest = null;
        if (!TryParseHex(hex, kind, out bits, out error))
        {
            return false;
        }

        ulong actualHeader = Field(bits, 0, 8);
        if (actualHeader != header)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{kind} header is 0x{actualHeader:X2}, expected 0x{header:X2}");
            return false;
        }

        filter = (int)Field(bits, 8, 3);
        int partition = (int)Field(bits, 11, 3);
        if (partition > 6)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{kind} partition {partition} is invalid; partitions are 0 to 6");
            return false;
        }

        var (prefixBits, prefixDigits) = CompanyPrefixOf(partition);
        ulong prefix = Field(bits, 14, prefixBits);
        ulong rest = Field(bits, 14 + prefixBits, keyBits - prefixBits);
        int restDigits = keyDigits - prefixDigits;
        if (!FitsDigits(prefix, prefixDigits))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{kind} company prefix {prefix} has more than the {prefixDigits} digits partition {partition} allows");
            return false;
        }

        if (!FitsDigits(rest, restDigits))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{kind} {restName} {rest} has more than the {restDigits} digits partition {partition} allows");
            return false;
        }

        companyPrefix = Digits(prefix, prefixDigits);
        keyRest = Digits(rest, restDigits);
        return true;
    }

    /// <summary>Checks a filter value given as a number: 0 to 7.</summary>
    public static bool TryCheckFilter(int filter, string kind, [NotNullWhen(false)] out string? error)
    {
        if (filter is < 0 or > 7)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{kind} filter must be 0 to 7, got {filter}");
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Checks a company prefix and the key's other part (<paramref name="restName"/>, first digit
    /// <paramref name="leadDigit"/>): together <paramref name="keyDigits"/> digits.
    /// </summary>
    public static bool TryCheckKey(string prefix, string rest, string kind, int keyDigits, string restName, string leadDigit, [NotNullWhen(false)] out string? error)
    {
        if (!TryCompanyPrefix(prefix, kind, out error))
        {
            return false;
        }

        int restDigits = keyDigits - prefix.Length;
        if (rest.Length != restDigits || !Gs1.IsAllDigits(rest))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{kind} {restName} must be {restDigits} digits ({leadDigit} first) with a {prefix.Length}-digit company prefix, got '{rest}'");
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Splits a GS1 key (lead digit, company prefix, rest, check digit) where a company prefix of
    /// <paramref name="companyPrefixDigits"/> digits ends: the prefix, and the lead digit followed by the rest.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The prefix length is outside 6 to 12.</exception>
    public static (string CompanyPrefix, string KeyRest) SplitKey(string key, int companyPrefixDigits)
    {
        if (companyPrefixDigits is < 6 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(companyPrefixDigits), companyPrefixDigits, "a GS1 company prefix has 6 to 12 digits");
        }

        string prefix = key.Substring(1, companyPrefixDigits);
        string rest = string.Concat(key.AsSpan(0, 1), key.AsSpan(1 + companyPrefixDigits, key.Length - 2 - companyPrefixDigits));
        return (prefix, rest);
    }

    static ulong[] BuildPowersOf10()
    {
        var powers = new ulong[20];
        powers[0] = 1;
        for (int i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
