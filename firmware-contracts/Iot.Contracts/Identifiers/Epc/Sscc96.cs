using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Iot.Contracts.Identifiers.Epc;

/// <summary>
/// An SSCC-96: the 96-bit EPC of a UHF RFID tag naming a logistic unit (a pallet, a crate) by its SSCC
/// (GS1 Tag Data Standard).
/// </summary>
/// <remarks>
/// <para>Bits, most significant first: header <c>0x31</c> (8), filter (3), partition (3), company prefix and serial
/// reference (58 together, split by the partition), then 24 reserved bits that must be zero.</para>
/// <para>Partition p gives the company prefix 40/37/34/30/27/24/20 bits and 12/11/10/9/8/7/6 digits for p = 0..6; the
/// serial reference takes the other 58 - bits and 17 - digits, its first digit being the SSCC's extension digit.
/// Partition 7, a field whose value has more digits than the partition allows, and non-zero reserved bits are
/// refused. Every filter value is accepted (GS1's worked example uses 3).</para>
/// </remarks>
public sealed class Sscc96 : IEquatable<Sscc96>
{
    /// <summary>The header byte.</summary>
    public const byte Header = Epc96.SsccHeader;

    const int ReservedBits = 24;
    const int KeyDigits = 17;
    const string KindName = "SSCC-96";
    const string TagUrnPrefix = "urn:epc:tag:sscc-96:";
    const string IdUrnPrefix = "urn:epc:id:sscc:";

    Sscc96(int filter, string companyPrefix, string serialReference)
    {
        Filter = filter;
        Partition = Epc96.PartitionForPrefixDigits(companyPrefix.Length);
        CompanyPrefix = companyPrefix;
        SerialReference = serialReference;

        UInt128 bits = Epc96.EncodeKey(Header, filter, companyPrefix, Epc96.SsccKeyBits, serialReference);
        Value = Epc96.ToHex(bits);
    }

    /// <summary>The 96 bits as 24 upper-case hex digits, as on the tag and on the wire.</summary>
    public string Value { get; }

    /// <summary>Filter value 0 to 7 (e.g. 2 full case for transport, 6 unit load).</summary>
    public int Filter { get; }

    /// <summary>Partition value 0 to 6: where the company prefix ends.</summary>
    public int Partition { get; }

    /// <summary>The GS1 company prefix, 6 to 12 digits.</summary>
    public string CompanyPrefix { get; }

    /// <summary>The extension digit followed by the serial reference: 17 digits minus the company prefix's.</summary>
    public string SerialReference { get; }

    /// <summary>The tag URN, filter included: <c>urn:epc:tag:sscc-96:3.0614141.1234567890</c>.</summary>
    public string TagUrn => string.Create(CultureInfo.InvariantCulture, $"{TagUrnPrefix}{Filter}.{CompanyPrefix}.{SerialReference}");

    /// <summary>The pure identity URN: <c>urn:epc:id:sscc:0614141.1234567890</c>.</summary>
    public string PureIdentityUrn => $"{IdUrnPrefix}{CompanyPrefix}.{SerialReference}";

    /// <summary>The SSCC: extension digit, company prefix, rest of the serial reference, check digit.</summary>
    public Sscc Sscc => Sscc.FromDigitsWithoutCheck(string.Concat(SerialReference.AsSpan(0, 1), CompanyPrefix, SerialReference.AsSpan(1)));

    /// <summary>The GS1 element string: <c>(00)106141412345678908</c>.</summary>
    public string ElementString => Sscc.ElementString;

    /// <summary>Decodes 24 hex digits (either case), naming what is wrong: length, character, header, partition, overflow, reserved bits.</summary>
    public static bool TryParse(string? hex, [NotNullWhen(true)] out Sscc96? epc, [NotNullWhen(false)] out string? error)
    {
        epc = null;
        if (!Epc96.TryDecodeKey(hex, KindName, Header, Epc96.SsccKeyBits, KeyDigits, "serial reference", out var bits, out int filter, out var prefix, out var reference, out error))
        {
            return false;
        }

        ulong reserved = Epc96.Field(bits, 96 - ReservedBits, ReservedBits);
        if (reserved != 0)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{KindName} reserved bits (the last {ReservedBits}) must be zero, got 0x{reserved:X6}");
            return false;
        }

        epc = new Sscc96(filter, prefix, reference);
        return true;
    }

    /// <summary>Decodes 24 hex digits or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Sscc96 Parse(string hex) =>
        TryParse(hex, out var epc, out var error) ? epc : throw new FormatException(error);

    /// <summary>Parses a tag URN, <c>urn:epc:tag:sscc-96:F.CP.SR</c>.</summary>
    public static bool TryParseTagUrn(string? urn, [NotNullWhen(true)] out Sscc96? epc, [NotNullWhen(false)] out string? error)
    {
        epc = null;
        if (!Epc96.TrySplitUrn(urn, KindName, TagUrnPrefix, "F.CP.SR", 3, out var parts, out error))
        {
            return false;
        }

        return Epc96.TryParseFilter(parts[0], KindName, out int filter, out error)
            && TryCreate(filter, parts[1], parts[2], out epc, out error);
    }

    /// <summary>Parses a tag URN or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Sscc96 ParseTagUrn(string urn) =>
        TryParseTagUrn(urn, out var epc, out var error) ? epc : throw new FormatException(error);

    /// <summary>Parses a pure identity URN, <c>urn:epc:id:sscc:CP.SR</c>, for encoding with <paramref name="filter"/>.</summary>
    public static bool TryParsePureIdentityUrn(string? urn, int filter, [NotNullWhen(true)] out Sscc96? epc, [NotNullWhen(false)] out string? error)
    {
        epc = null;
        if (!Epc96.TrySplitUrn(urn, KindName, IdUrnPrefix, "CP.SR", 2, out var parts, out error))
        {
            return false;
        }

        return TryCreate(filter, parts[0], parts[1], out epc, out error);
    }

    /// <summary>Builds an SSCC-96 from its fields, saying what is wrong with them.</summary>
    public static bool TryCreate(int filter, string companyPrefix, string serialReference, [NotNullWhen(true)] out Sscc96? epc, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(companyPrefix);
        ArgumentNullException.ThrowIfNull(serialReference);
        epc = null;
        if (!Epc96.TryCheckFilter(filter, KindName, out error)
            || !Epc96.TryCheckKey(companyPrefix, serialReference, KindName, KeyDigits, "serial reference", "extension digit", out error))
        {
            return false;
        }

        epc = new Sscc96(filter, companyPrefix, serialReference);
        return true;
    }

    /// <summary>Builds an SSCC-96 from its fields or throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static Sscc96 Create(int filter, string companyPrefix, string serialReference) =>
        TryCreate(filter, companyPrefix, serialReference, out var epc, out var error) ? epc : throw new ArgumentException(error);

    /// <summary>
    /// Builds the SSCC-96 of an SSCC. The SSCC does not show where its company prefix ends, so the caller says how
    /// many digits it has (6 to 12).
    /// </summary>
    public static Sscc96 FromSscc(Sscc sscc, int companyPrefixDigits, int filter)
    {
        ArgumentNullException.ThrowIfNull(sscc);
        var (prefix, reference) = Epc96.SplitKey(sscc.Value, companyPrefixDigits);
        return Create(filter, prefix, reference);
    }

    /// <summary>Equal when the 96 bits are equal (filter included).</summary>
    public bool Equals(Sscc96? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Sscc96);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The 24 hex digits (<see cref="Value"/>).</summary>
    public override string ToString() => Value;
}
