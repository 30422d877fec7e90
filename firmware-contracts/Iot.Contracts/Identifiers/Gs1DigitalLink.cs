using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// A GS1 Digital Link URI as our QR labels carry it:
/// <c>https://{domain}/01/{GTIN-14}[/22/{cpv}][/10/{batch}][/21/{serial}][?17=YYMMDD]</c>, or
/// <c>https://{domain}/00/{SSCC}</c> for a logistic unit.
/// </summary>
/// <remarks>
/// <para>The qualifiers keep that order (22 consumer product variant, 10 batch or lot, 21 serial), each at most once.
/// Their values are 1 to 20 characters of the GS1 AI encodable character set 82 (<c>A-Z a-z 0-9</c> and
/// <c>! " % &amp; ' ( ) * + , - . / : ; &lt; = &gt; ? _</c>); in the URI every character other than
/// <c>A-Z a-z 0-9 - . _</c> is percent-encoded, and parsing decodes it. The expiry date (AI 17, <c>YYMMDD</c>, day
/// <c>00</c> meaning the end of the month) is the only query parameter.</para>
/// <para>Parsing verifies the check digit of the GTIN or SSCC, accepts a GTIN-8/12/13 and pads it to 14 digits, and
/// names what is wrong: an unknown AI, the wrong order, a bad check digit, a value too long.
/// Only <c>https</c> is accepted; the domain is a host name (letters, digits, hyphens, dots), optionally with a port.</para>
/// </remarks>
public sealed class Gs1DigitalLink : IEquatable<Gs1DigitalLink>
{
    /// <summary>Longest value of AI 22, 10 or 21.</summary>
    public const int MaxQualifierLength = 20;

    const string KindName = "GS1 Digital Link";
    const string Scheme = "https://";
    const string Set82Punctuation = "!\"%&'()*+,-./:;<=>?_";

    Gs1DigitalLink(string domain, Gtin? gtin, Sscc? sscc, string? cpv, string? batch, string? serial, string? expiry)
    {
        Domain = domain;
        Gtin = gtin;
        Sscc = sscc;
        ConsumerProductVariant = cpv;
        Batch = batch;
        Serial = serial;
        ExpiryDate = expiry;
        Value = Build();
    }

    /// <summary>The canonical URI: https, lower-case domain, GTIN-14, qualifiers in order, percent-encoded.</summary>
    public string Value { get; }

    /// <summary>The host (lower case), with its port if one was given.</summary>
    public string Domain { get; }

    /// <summary>AI 01, as a GTIN-14; null for an SSCC link.</summary>
    public Gtin? Gtin { get; }

    /// <summary>AI 00; null for a GTIN link.</summary>
    public Sscc? Sscc { get; }

    /// <summary>AI 22, the consumer product variant, decoded.</summary>
    public string? ConsumerProductVariant { get; }

    /// <summary>AI 10, the batch or lot number, decoded.</summary>
    public string? Batch { get; }

    /// <summary>AI 21, the serial number, decoded.</summary>
    public string? Serial { get; }

    /// <summary>AI 17, the expiry date as <c>YYMMDD</c>.</summary>
    public string? ExpiryDate { get; }

    /// <summary>The same data as a GS1 element string: <c>(01)09521234543213 (10)LOT 7 (17)261231</c>.</summary>
    public string ElementString
    {
        get
        {
            var text = new StringBuilder();
            text.Append(Gtin is not null ? Gtin.ElementString : Sscc!.ElementString);
            Append("22", ConsumerProductVariant);
            Append("10", Batch);
            Append("21", Serial);
            Append("17", ExpiryDate);
            return text.ToString();

            void Append(string ai, string? value)
            {
                if (value is not null)
                {
                    text.Append(" (").Append(ai).Append(')').Append(value);
                }
            }
        }
    }

    /// <summary>Builds the link of a trade item, its GTIN padded to 14 digits.</summary>
    /// <exception cref="ArgumentException">A bad domain, a qualifier too long or with a character outside set 82, a bad expiry date.</exception>
    public static Gs1DigitalLink ForGtin(string domain, Gtin gtin, string? consumerProductVariant = null, string? batch = null, string? serial = null, string? expiryDate = null)
    {
        ArgumentNullException.ThrowIfNull(gtin);
        string host = CheckedDomain(domain);
        Check(Qualifier("22", consumerProductVariant), nameof(consumerProductVariant));
        Check(Qualifier("10", batch), nameof(batch));
        Check(Qualifier("21", serial), nameof(serial));
        Check(expiryDate is null ? null : ExpiryError(expiryDate), nameof(expiryDate));
        return new Gs1DigitalLink(host, gtin.ToGtin14(), null, consumerProductVariant, batch, serial, expiryDate);

        static void Check(string? error, string parameter)
        {
            if (error is not null)
            {
                throw new ArgumentException(error, parameter);
            }
        }

        static string? Qualifier(string ai, string? value) => value is null ? null : QualifierError(ai, value);
    }

    /// <summary>Builds the link of a logistic unit.</summary>
    /// <exception cref="ArgumentException">A bad domain.</exception>
    public static Gs1DigitalLink ForSscc(string domain, Sscc sscc)
    {
        ArgumentNullException.ThrowIfNull(sscc);
        return new Gs1DigitalLink(CheckedDomain(domain), null, sscc, null, null, null, null);
    }

    /// <summary>Parses a link, naming what is wrong.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out Gs1DigitalLink? link, [NotNullWhen(false)] out string? error)
    {
        link = null;
        if (string.IsNullOrEmpty(value))
        {
            error = $"{KindName} is empty";
            return false;
        }

        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            error = value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                ? $"{KindName} must use https, not http"
                : $"{KindName} must start with {Scheme}";
            return false;
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            error = $"{KindName} must not have a fragment ('#')";
            return false;
        }

        string rest = value[Scheme.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        int question = rest.IndexOf('?', StringComparison.Ordinal);
        if (slash < 0 || (question >= 0 && question < slash))
        {
            error = $"{KindName} has no path; expected /01/{{GTIN}} or /00/{{SSCC}} after the domain";
            return false;
        }

        if (DomainError(rest[..slash]) is { } domainError)
        {
            error = domainError;
            return false;
        }

        string domain = rest[..slash].ToLowerInvariant();
        string path = question < 0 ? rest[(slash + 1)..] : rest[(slash + 1)..question];
        string? query = question < 0 ? null : rest[(question + 1)..];
        if (!TryPath(path, out var key, out var qualifiers, out error))
        {
            return false;
        }

        string? expiry = null;
        if (query is not null && !TryQuery(query, out expiry, out error))
        {
            return false;
        }

        Gtin? gtin = null;
        Sscc? sscc = null;
        if (key.Ai == "01")
        {
            if (!Gtin.TryParse(key.Value, out gtin, out error))
            {
                error = $"{KindName} AI 01: {error}";
                return false;
            }

            gtin = gtin.ToGtin14();
        }
        else
        {
            if (expiry is not null)
            {
                error = $"{KindName}: an SSCC (AI 00) takes no expiry date (AI 17)";
                return false;
            }

            if (!Sscc.TryParse(key.Value, out sscc, out error))
            {
                error = $"{KindName} AI 00: {error}";
                return false;
            }
        }

        qualifiers.TryGetValue("22", out var cpv);
        qualifiers.TryGetValue("10", out var batch);
        qualifiers.TryGetValue("21", out var serial);
        link = new Gs1DigitalLink(domain, gtin, sscc, cpv, batch, serial, expiry);
        error = null;
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Gs1DigitalLink Parse(string value) =>
        TryParse(value, out var link, out var error) ? link : throw new FormatException(error);

    /// <summary>Splits the path into the primary key and its qualifiers, checking AIs, order and values.</summary>
    static bool TryPath(string path, out (string Ai, string Value) key, out Dictionary<string, string> qualifiers, [NotNullWhen(false)] out string? error)
    {
        key = default;
        qualifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] segments = path.Split('/');
        if (Array.IndexOf(segments, string.Empty) is int empty and >= 0)
        {
            error = empty == segments.Length - 1 && segments.Length > 1
                ? $"{KindName} path ends with '/'"
                : $"{KindName} path has an empty segment (two '/' in a row, or nothing after the domain)";
            return false;
        }

        string primary = segments[0];
        if (primary is not ("01" or "00"))
        {
            error = IsQualifier(primary) || primary == "17"
                ? $"{KindName} path must start with AI 01 (GTIN) or AI 00 (SSCC), got AI {Shown(primary)} first"
                : $"{KindName}: unknown AI {Shown(primary)} where the path must start with AI 01 (GTIN) or AI 00 (SSCC)";
            return false;
        }

        if (segments.Length % 2 != 0)
        {
            error = $"{KindName}: AI {Shown(segments[^1])} has no value";
            return false;
        }

        key = (primary, segments[1]);
        int lastRank = 0;
        for (int i = 2; i < segments.Length; i += 2)
        {
            string ai = segments[i];
            if (primary == "00")
            {
                error = $"{KindName}: an SSCC (AI 00) takes no qualifiers, got AI {Shown(ai)}";
                return false;
            }

            int rank = ai switch { "22" => 1, "10" => 2, "21" => 3, _ => 0 };
            if (rank == 0)
            {
                error = ai switch
                {
                    "17" => $"{KindName}: AI 17 (expiry date) belongs in the query, ?17=YYMMDD",
                    "01" or "00" => $"{KindName}: AI {ai} given twice or after a qualifier",
                    _ => $"{KindName}: unknown AI {Shown(ai)}; after AI 01 only 22, 10 and 21 may follow, in that order",
                };
                return false;
            }

            if (rank == lastRank)
            {
                error = $"{KindName}: AI {ai} given twice";
                return false;
            }

            if (rank < lastRank)
            {
                error = $"{KindName}: AI {ai} is out of order; qualifiers go 22, 10, 21";
                return false;
            }

            lastRank = rank;
            if (!TryDecode(segments[i + 1], ai, out var decoded, out error))
            {
                return false;
            }

            error = QualifierError(ai, decoded);
            if (error is not null)
            {
                return false;
            }

            qualifiers[ai] = decoded;
        }

        error = null;
        return true;
    }

    static bool TryQuery(string query, out string? expiry, [NotNullWhen(false)] out string? error)
    {
        expiry = null;
        foreach (string pair in query.Split('&'))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? pair : pair[..equals];
            if (name != "17")
            {
                error = $"{KindName}: unknown query parameter {Shown(name)}; only 17 (expiry date) is allowed";
                return false;
            }

            if (expiry is not null)
            {
                error = $"{KindName}: AI 17 given twice";
                return false;
            }

            expiry = equals < 0 ? string.Empty : pair[(equals + 1)..];
            if (ExpiryError(expiry) is { } expiryError)
            {
                error = expiryError;
                return false;
            }
        }

        error = null;
        return true;
    }

    /// <summary>Decodes %XX escapes; every decoded byte must be ASCII (set 82 is ASCII).</summary>
    static bool TryDecode(string segment, string ai, [NotNullWhen(true)] out string? decoded, [NotNullWhen(false)] out string? error)
    {
        var text = new StringBuilder(segment.Length);
        for (int i = 0; i < segment.Length; i++)
        {
            char c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !char.IsAsciiHexDigit(segment[i + 1]) || !char.IsAsciiHexDigit(segment[i + 2]))
                {
                    decoded = null;
                    error = $"{KindName}: AI {ai} has a '%' not followed by two hex digits";
                    return false;
                }

                byte b = Convert.ToByte(segment.Substring(i + 1, 2), 16);
                if (b >= 0x80)
                {
                    decoded = null;
                    error = $"{KindName}: AI {ai}: %{segment.Substring(i + 1, 2)} is not an ASCII character; the GS1 AI character set 82 is ASCII only";
                    return false;
                }

                text.Append((char)b);
                i += 2;
            }
            else if (char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@".Contains(c, StringComparison.Ordinal))
            {
                text.Append(c);
            }
            else
            {
                decoded = null;
                error = $"{KindName}: AI {ai}: character {Mod31.Describe(c)} must be percent-encoded";
                return false;
            }
        }

        decoded = text.ToString();
        error = null;
        return true;
    }

    /// <summary>What is wrong with a qualifier value (decoded), or null.</summary>
    static string? QualifierError(string ai, string value)
    {
        if (value.Length == 0)
        {
            return $"{KindName}: AI {ai} is empty";
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (!IsSet82(value[i]))
            {
                return $"{KindName}: AI {ai}: character {Mod31.Describe(value[i])} at position {i + 1} is not in the GS1 AI character set 82";
            }
        }

        if (value.Length > MaxQualifierLength)
        {
            return $"{KindName}: AI {ai} is too long: at most {MaxQualifierLength} characters, got {value.Length}";
        }

        return null;
    }

    /// <summary>What is wrong with an expiry date <c>YYMMDD</c> (day 00: end of month), or null.</summary>
    static string? ExpiryError(string value)
    {
        if (value.Length != 6 || !Gs1.IsAllDigits(value))
        {
            return $"{KindName}: AI 17 (expiry date) must be 6 digits YYMMDD";
        }

        int year = int.Parse(value.AsSpan(0, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
        int month = int.Parse(value.AsSpan(2, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
        int day = int.Parse(value.AsSpan(4, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
        if (month is < 1 or > 12)
        {
            return $"{KindName}: AI 17 (expiry date) month must be 01 to 12";
        }

        // Two-digit years fall in 1950..2049 under GS1's rule for any plausible label date; YY % 4 then tells leap years.
        int days = month == 2 ? (year % 4 == 0 ? 29 : 28) : DateTime.DaysInMonth(2001, month);
        if (day > days)
        {
            return $"{KindName}: AI 17 (expiry date) day must be 00 to {days} for that month";
        }

        return null;
    }

    static string CheckedDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (DomainError(domain) is { } error)
        {
            throw new ArgumentException(error, nameof(domain));
        }

        return domain.ToLowerInvariant();
    }

    /// <summary>A host name of letters, digits, hyphens and dots (no empty label), optionally <c>:port</c>; or what is wrong.</summary>
    static string? DomainError(string domain)
    {
        int colon = domain.IndexOf(':', StringComparison.Ordinal);
        string host = colon < 0 ? domain : domain[..colon];
        if (colon >= 0)
        {
            string port = domain[(colon + 1)..];
            if (port.Length is 0 or > 5 || !Gs1.IsAllDigits(port) || int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) is 0 or > 65535)
            {
                return $"{KindName}: port {Shown(port)} is not a number from 1 to 65535";
            }
        }

        if (host.Length is 0 or > 253)
        {
            return $"{KindName}: the domain must be 1 to 253 characters, got {host.Length}";
        }

        foreach (string label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return $"{KindName}: the domain {Shown(host)} is not a host name";
            }

            foreach (char c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return $"{KindName}: the domain has character {Mod31.Describe(c)}; a host name has letters, digits, hyphens and dots";
                }
            }
        }

        return null;
    }

    static bool IsQualifier(string ai) => ai is "22" or "10" or "21";

    static bool IsSet82(char c) => char.IsAsciiLetterOrDigit(c) || Set82Punctuation.Contains(c, StringComparison.Ordinal);

    /// <summary>Text from the input as a message quotes it, cut short if long.</summary>
    static string Shown(string text) => text.Length <= 24 ? $"'{text}'" : $"'{text[..24]}...'";

    string Build()
    {
        var uri = new StringBuilder(Scheme).Append(Domain);
        if (Gtin is not null)
        {
            uri.Append("/01/").Append(Gtin.Value);
            Segment("22", ConsumerProductVariant);
            Segment("10", Batch);
            Segment("21", Serial);
            if (ExpiryDate is not null)
            {
                uri.Append("?17=").Append(ExpiryDate);
            }
        }
        else
        {
            uri.Append("/00/").Append(Sscc!.Value);
        }

        return uri.ToString();

        void Segment(string ai, string? value)
        {
            if (value is null)
            {
                return;
            }

            uri.Append('/').Append(ai).Append('/').Append(EncodeValue(value));
        }
    }

    /// <summary>
    /// A value of AI 22, 10 or 21 as a URI path segment: <c>A-Z a-z 0-9 - . _</c> kept, every other character of set 82
    /// percent-encoded in upper-case hex (<c>26/03-A</c> becomes <c>26%2F03-A</c>), as the GS1 Digital Link URI syntax
    /// writes its canonical form.
    /// </summary>
    public static string EncodeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(Gs1DigitalLink? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Gs1DigitalLink);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The URI (<see cref="Value"/>).</summary>
    public override string ToString() => Value;
}
