using System.Globalization;
using System.Text.RegularExpressions;
using Iot.Contracts.Identifiers;
using Iot.Contracts.Validation;

namespace Iot.Cloud.Registry;

/// <summary>
/// The registry's checks at its boundary, each throwing <see cref="InvalidRecordException"/> naming the field and the
/// reason. Identifier rules live in <c>Iot.Contracts.Identifiers</c>; this says which field needs which.
/// </summary>
public static partial class RecordRules
{
    /// <summary>Longest name, category or free text accepted.</summary>
    public const int MaxText = 200;

    /// <summary>A required text of at most <see cref="MaxText"/> characters, trimmed.</summary>
    public static string Text(string field, string? value)
    {
        string text = value?.Trim() ?? "";
        return text.Length switch
        {
            0 => throw new InvalidRecordException(field, "is required"),
            > MaxText => throw new InvalidRecordException(field, $"must be at most {MaxText} characters, got {text.Length}"),
            _ when text.Any(char.IsControl) => throw new InvalidRecordException(field, "must not contain control characters"),
            _ => text,
        };
    }

    /// <summary>An optional text (null when absent or blank).</summary>
    public static string? OptionalText(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Text(field, value);

    /// <summary>One of <paramref name="names"/>, as written in the API (camelCase).</summary>
    public static TEnum Choice<TEnum>(string field, string? value)
        where TEnum : struct, Enum
    {
        string[] names = Enum.GetValues<TEnum>().Select(Names.Of).ToArray();
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidRecordException(field, $"is required: one of {string.Join(", ", names)}");
        }

        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Names.Of(candidate), value, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new InvalidRecordException(field, $"'{IdentifierCheck.Printable(value)}' is not one of {string.Join(", ", names)}");
    }

    /// <summary>A six-digit GB/T 2260 administrative division code.</summary>
    public static string DivisionCode(string field, string? value)
    {
        if (value is null || value.Length != 6 || !value.All(char.IsAsciiDigit))
        {
            throw new InvalidRecordException(field, "must be a 6-digit administrative division code (GB/T 2260), e.g. 350200");
        }

        if (!Provinces.ByPrefix.ContainsKey(value[..2]))
        {
            throw new InvalidRecordException(field, $"'{value}' does not start with a province code (GB/T 2260: 11 to 82)");
        }

        return value;
    }

    /// <summary>
    /// A unified social credit code. Strict: the check character must be right; lenient (imports): a wrong check
    /// character is kept and returned as a warning, since real registries hold a few such codes.
    /// </summary>
    public static (string Code, string? Warning) CreditCode(string field, string? value, bool lenient)
    {
        string text = value?.Trim().ToUpperInvariant() ?? "";
        if (!UnifiedSocialCreditCode.TryParseLenient(text, out var code, out string? error))
        {
            throw new InvalidRecordException(field, error);
        }

        if (code.CheckWarning is { } warning)
        {
            return lenient ? (code.Value, warning) : throw new InvalidRecordException(field, warning);
        }

        return (code.Value, null);
    }

    /// <summary>A resident identity number; the error never repeats its digits.</summary>
    public static ResidentIdentityNumber ResidentId(string field, string? value, TimeProvider time) =>
        ResidentIdentityNumber.TryParse(value?.Trim().ToUpperInvariant(), time, out var number, out string? error)
            ? number
            : throw new InvalidRecordException(field, error);

    /// <summary>The national platform's entity code (主体码) or trace code (追溯码): opaque, but checked for shape.</summary>
    public static string? NationalCode(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : NationalTraceCode.TryParse(value.Trim(), out var code, out string? error) ? code.Value
        : throw new InvalidRecordException(field, error.Replace("national trace code", "national code", StringComparison.Ordinal));

    /// <summary>A GTIN (8, 12, 13 or 14 digits, check digit right), returned as GTIN-14.</summary>
    public static string? Gtin(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : Iot.Contracts.Identifiers.Gtin.TryParse(value.Trim(), out var gtin, out string? error) ? gtin.ToGtin14().Value
        : throw new InvalidRecordException(field, error);

    /// <summary>A batch trace code, with the character that is wrong named.</summary>
    public static string BatchCode(string field, string? value) =>
        BatchTraceCode.TryParse(value?.Trim().ToUpperInvariant(), out var code, out string? error)
            ? code.Value
            : throw new InvalidRecordException(field, error);

    /// <summary>A GS1 lot (AI 10): 1 to 20 characters of GS1's AI encodable set 82 (no spaces).</summary>
    public static string? Lot(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return value.Length <= 20 && Gs1Lot().IsMatch(value)
            ? value
            : throw new InvalidRecordException(field, "must be 1 to 20 characters of GS1's set 82 (letters, digits and !\"%&'()*+,-./:;<=>?_), no spaces");
    }

    /// <summary>An id as gateways, sensors and zones have (1 to 64 of <c>A-Z a-z 0-9 . _ -</c>).</summary>
    public static string LocalIdentifier(string field, string? value, string kind) =>
        LocalId.IsValid(value, kind, out string? error) ? value! : throw new InvalidRecordException(field, error);

    /// <summary>A crate tag: <c>{"epc": 24 hex digits}</c> or <c>{"uid": HF UID hex}</c>, exactly one.</summary>
    public static (string Kind, string Identifier) CrateTag(string field, string? epc, string? uid)
    {
        if ((epc is null) == (uid is null))
        {
            throw new InvalidRecordException(field, "must have exactly one of epc (a UHF tag's 96-bit EPC) and uid (an HF tag's UID)");
        }

        if (epc is not null)
        {
            return RfidTags.IsValidEpc(epc, out string? error) ? (LinkKinds.Epc, epc) : throw new InvalidRecordException($"{field}.epc", error);
        }

        return RfidTags.IsValidUid(uid!, out string? uidError) ? (LinkKinds.Uid, uid!) : throw new InvalidRecordException($"{field}.uid", uidError);
    }

    /// <summary>A UTC time no more than five minutes ahead of now.</summary>
    public static DateTimeOffset PastTime(string field, DateTimeOffset? value, TimeProvider time)
    {
        if (value is not { } at)
        {
            throw new InvalidRecordException(field, "is required (ISO 8601, e.g. 2026-11-24T09:27:19.123Z)");
        }

        if (at > time.GetUtcNow().AddMinutes(5))
        {
            throw new InvalidRecordException(field, $"{Times.Text(at)} is in the future");
        }

        return at.ToUniversalTime();
    }

    /// <summary>A positive amount with a unit from <paramref name="units"/>.</summary>
    public static (double Value, string Unit) Amount(string field, double? value, string? unit, params string[] units)
    {
        if (value is not { } v || !double.IsFinite(v) || v <= 0)
        {
            throw new InvalidRecordException($"{field}.value", "must be a number greater than 0");
        }

        if (unit is null || !units.Contains(unit, StringComparer.Ordinal))
        {
            throw new InvalidRecordException($"{field}.unit", $"must be one of {string.Join(", ", units)} (UN/ECE Recommendation 20)");
        }

        return (v, unit);
    }

    /// <summary>A pesticide registration number (农药登记证号), as the contract checks it.</summary>
    public static string PesticideRegistration(string field, string? value) =>
        value is not null && PesticideNumber().IsMatch(value)
            ? value
            : throw new InvalidRecordException(field, "must be a pesticide registration number: PD, WP, LS or WL, then 5 to 8 digits, optionally -N (e.g. PD20080123)");

    /// <summary>Parses a number in the registry's invariant form.</summary>
    public static long? Number(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;

    [GeneratedRegex("^[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{1,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex Gs1Lot();

    [GeneratedRegex("^(PD|WP|LS|WL)[0-9]{5,8}(-[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PesticideNumber();
}

/// <summary>The API's names for enumeration values: camelCase of the member name.</summary>
public static class Names
{
    /// <summary><c>ColdRoom</c> → <c>coldRoom</c>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        string name = value.ToString();
        return string.Concat(name[..1].ToLowerInvariant(), name.AsSpan(1));
    }
}

/// <summary>How the registry writes times: ISO 8601 UTC with milliseconds, which sorts as text in time order.</summary>
public static class Times
{
    /// <summary><c>2026-11-24T09:27:19.123Z</c>.</summary>
    public static string Text(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads <see cref="Text"/>'s form back.</summary>
    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
