using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Iot.Contracts.Identifiers.Epc;

/// <summary>
/// An SGTIN-96: the 96-bit EPC of a UHF RFID tag naming one serialised trade item, a GTIN plus a numeric serial
/// (GS1 Tag Data Standard).
/// </summary>
/// <remarks>
/// <para>Bits, most significant first: header <c>0x30</c> (8), filter (3), partition (3), company prefix and item
/// reference (44 together, split by the partition), serial (38).</para>
/// <para>Partition p gives the company prefix 40/37/34/30/27/24/20 bits and 12/11/10/9/8/7/6 digits for p = 0..6; the
/// item reference takes the other 44 - bits and 13 - digits, its first digit being the GTIN's indicator digit.
/// Partition 7 and a field whose value has more digits than the partition allows are refused.</para>
/// <para>Filter 3 and 5 are marked reserved in the SGTIN filter table. They are accepted (GS1's own worked example,
/// <c>3074257BF7194E4000001A85</c>, uses filter 3, and a reader must not refuse tags written under a later version of
/// the standard); <see cref="IsFilterReserved"/> tells.</para>
/// <para>The serial of an SGTIN-96 is a number of at most 38 bits with no leading zeros; alphanumeric serials need
/// SGTIN-198, which this type does not implement.</para>
/// </remarks>
public sealed class Sgtin96 : IEquatable<Sgtin96>
{
    /// <summary>The header byte.</summary>
    public const byte Header = Epc96.SgtinHeader;

    /// <summary>Largest serial: 2^38 - 1.</summary>
    public const long MaxSerial = (1L << SerialBits) - 1;

    const int SerialBits = 38;
    const int KeyDigits = 13;
    const string KindName = "SGTIN-96";
    const string TagUrnPrefix = "urn:epc:tag:sgtin-96:";
    const string IdUrnPrefix = "urn:epc:id:sgtin:";

    Sgtin96(int filter, string companyPrefix, string itemReference, long serial)
    {
        Filter = filter;
        Partition = Epc96.PartitionForPrefixDigits(companyPrefix.Length);
        CompanyPrefix = companyPrefix;
        ItemReference = itemReference;
        Serial = serial;

        UInt128 bits = Epc96.EncodeKey(Header, filter, companyPrefix, Epc96.SgtinKeyBits, itemReference);
        bits = Epc96.WithField(bits, 58, SerialBits, (ulong)serial);
        Value = Epc96.ToHex(bits);
    }

    /// <summary>The 96 bits as 24 upper-case hex digits, as on the tag and on the wire.</summary>
    public string Value { get; }

    /// <summary>Filter value 0 to 7 (0 all others, 1 point-of-sale item, 2 full case, 4 inner pack, 6 unit load, 7 unit inside trade item).</summary>
    public int Filter { get; }

    /// <summary>Whether the filter value is one the standard reserves (3 or 5).</summary>
    public bool IsFilterReserved => Filter is 3 or 5;

    /// <summary>Partition value 0 to 6: where the company prefix ends.</summary>
    public int Partition { get; }

    /// <summary>The GS1 company prefix, 6 to 12 digits.</summary>
    public string CompanyPrefix { get; }

    /// <summary>The indicator digit followed by the item reference: 13 digits minus the company prefix's.</summary>
    public string ItemReference { get; }

    /// <summary>The serial number, 0 to <see cref="MaxSerial"/>.</summary>
    public long Serial { get; }

    /// <summary>The tag URN, filter included: <c>urn:epc:tag:sgtin-96:3.0614141.812345.6789</c>.</summary>
    public string TagUrn => string.Create(CultureInfo.InvariantCulture, $"{TagUrnPrefix}{Filter}.{CompanyPrefix}.{ItemReference}.{Serial}");

    /// <summary>The pure identity URN: <c>urn:epc:id:sgtin:0614141.812345.6789</c>.</summary>
    public string PureIdentityUrn => string.Create(CultureInfo.InvariantCulture, $"{IdUrnPrefix}{CompanyPrefix}.{ItemReference}.{Serial}");

    /// <summary>The GTIN-14: indicator digit, company prefix, rest of the item reference, check digit.</summary>
    public Gtin Gtin => Gtin.FromDigitsWithoutCheck(string.Concat(ItemReference.AsSpan(0, 1), CompanyPrefix, ItemReference.AsSpan(1)));

    /// <summary>The GS1 element string: <c>(01)80614141123458 (21)6789</c>.</summary>
    public string ElementString => string.Create(CultureInfo.InvariantCulture, $"{Gtin.ElementString} (21){Serial}");

    /// <summary>Decodes 24 hex digits (either case), naming what is wrong: length, character, header, partition, overflow.</summary>
    public static bool TryParse(string? hex, [NotNullWhen(true)] out Sgtin96? epc, [NotNullWhen(false)] out string? error)
    {
        epc = null;
        if (!Epc96.TryDecodeKey(hex, KindName, Header, Epc96.SgtinKeyBits, KeyDigits, "item reference", out var bits, out int filter, out var prefix, out var item, out error))
        {
            return false;
        }

        long serial = (long)Epc96.Field(bits, 58, SerialBits);
        epc = new Sgtin96(filter, prefix, item, serial);
        return true;
    }

    /// <summary>Decodes 24 hex digits or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Sgtin96 Parse(string hex) =>
        TryParse(hex, out var epc, out var error) ? epc : throw new FormatException(error);

    /// <summary>Parses a tag URN, <c>urn:epc:tag:sgtin-96:F.CP.IR.SER</c>.</summary>
    public static bool TryParseTagUrn(string? urn, [NotNullWhen(true)] out Sgtin96? epc, [NotNullWhen(false)] out string? error)
    {
        epc = null;
        if (!Epc96.TrySplitUrn(urn, KindName, TagUrnPrefix, "F.CP.IR.SER", 4, out var parts, out error))
        {
            return false;
        }

        return Epc96.TryParseFilter(parts[0], KindName, out int filter, out error)
            && TryFromParts(filter, parts[1], parts[2], parts[3], out epc, out error);
    }

    /// <summary>Parses a tag URN or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Sgtin96 ParseTagUrn(string urn) =>
        TryParseTagUrn(urn, out var epc, out var error) ? epc : throw new FormatException(error);

    /// <summary>
    /// Parses a pure identity URN, <c>urn:epc:id:sgtin:CP.IR.SER</c>, for encoding with <paramref name="filter"/>
    /// (the pure identity carries none). The serial must be one SGTIN-96 can carry.
    /// </summary>
    public static bool TryParsePureIdentityUrn(string? urn, int filter, [NotNullWhen(true)] out Sgtin96? epc, [NotNullWhen(false)] out string? error)
    {
        epc = null;
        if (!Epc96.TrySplitUrn(urn, KindName, IdUrnPrefix, "CP.IR.SER", 3, out var parts, out error))
        {
            return false;
        }

        return TryFromParts(filter, parts[0], parts[1], parts[2], out epc, out error);
    }

    /// <summary>Builds an SGTIN-96 from its fields, saying what is wrong with them.</summary>
    public static bool TryCreate(int filter, string companyPrefix, string itemReference, long serial, [NotNullWhen(true)] out Sgtin96? epc, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(companyPrefix);
        ArgumentNullException.ThrowIfNull(itemReference);
        epc = null;
        if (!Epc96.TryCheckFilter(filter, KindName, out error) || !TryKey(companyPrefix, itemReference, out error))
        {
            return false;
        }

        if (serial is < 0 or > MaxSerial)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{KindName} serial must be 0 to {MaxSerial}, got {serial}");
            return false;
        }

        epc = new Sgtin96(filter, companyPrefix, itemReference, serial);
        return true;
    }

    /// <summary>Builds an SGTIN-96 from its fields or throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static Sgtin96 Create(int filter, string companyPrefix, string itemReference, long serial) =>
        TryCreate(filter, companyPrefix, itemReference, serial, out var epc, out var error) ? epc : throw new ArgumentException(error);

    /// <summary>
    /// Builds the SGTIN-96 of a GTIN and serial. The GTIN does not show where its company prefix ends, so the
    /// caller says how many digits it has (6 to 12).
    /// </summary>
    public static Sgtin96 FromGtin(Gtin gtin, int companyPrefixDigits, long serial, int filter)
    {
        ArgumentNullException.ThrowIfNull(gtin);
        var (prefix, item) = Epc96.SplitKey(gtin.ToGtin14().Value, companyPrefixDigits);
        return Create(filter, prefix, item, serial);
    }

    static bool TryFromParts(int filter, string prefix, string item, string serialText, [NotNullWhen(true)] out Sgtin96? epc, [NotNullWhen(false)] out string? error)
    {
        epc = null;
        if (!TryKey(prefix, item, out error)
            || !Epc96.TryParseSerial(serialText, KindName, "serial", MaxSerial, out ulong serial, out error))
        {
            return false;
        }

        epc = new Sgtin96(filter, prefix, item, (long)serial);
        return true;
    }

    static bool TryKey(string prefix, string item, [NotNullWhen(false)] out string? error) =>
        Epc96.TryCheckKey(prefix, item, KindName, KeyDigits, "item reference", "indicator digit", out error);

    /// <summary>Equal when the 96 bits are equal (filter included).</summary>
    public bool Equals(Sgtin96? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Sgtin96);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The 24 hex digits (<see cref="Value"/>).</summary>
    public override string ToString() => Value;
}
