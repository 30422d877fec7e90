using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers.Epc;

/// <summary>
/// The UID of an HF tag (ISO/IEC 14443 type A, as an MFRC522 reader sees it): 4, 7 or 10 bytes (single, double or
/// triple size), written as 8, 14 or 20 hex digits.
/// </summary>
/// <remarks>
/// A UID names the chip, not a product: it is recorded as a UID and never turned into an SGTIN or any other EPC.
/// A 4-byte UID may even be random, drawn anew each time the card is powered (first byte <c>08</c>).
/// </remarks>
public sealed class HfTagUid : IEquatable<HfTagUid>
{
    const string KindName = "HF tag UID";

    HfTagUid(string value) => Value = value;

    /// <summary>The UID as upper-case hex digits, first byte first.</summary>
    public string Value { get; }

    /// <summary>Bytes in the UID: 4, 7 or 10.</summary>
    public int Length => Value.Length / 2;

    /// <summary>Whether <paramref name="hexDigits"/> is the length of a UID in hex: 8, 14 or 20.</summary>
    public static bool IsUidHexLength(int hexDigits) => hexDigits is 8 or 14 or 20;

    /// <summary>Checks 8, 14 or 20 hex digits (either case).</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out HfTagUid? uid, [NotNullWhen(false)] out string? error)
    {
        uid = null;
        if (string.IsNullOrEmpty(value))
        {
            error = $"{KindName} is empty";
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (!char.IsAsciiHexDigit(value[i]))
            {
                error = $"{KindName}: character {Mod31.Describe(value[i])} at position {i + 1} is not a hex digit";
                return false;
            }
        }

        if (!IsUidHexLength(value.Length))
        {
            error = $"{KindName} must be 4, 7 or 10 bytes (8, 14 or 20 hex digits), got {value.Length} hex digits";
            return false;
        }

        uid = new HfTagUid(value.ToUpperInvariant());
        error = null;
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static HfTagUid Parse(string value) =>
        TryParse(value, out var uid, out var error) ? uid : throw new FormatException(error);

    /// <summary>A UID from the bytes a reader returned.</summary>
    /// <exception cref="ArgumentException">Not 4, 7 or 10 bytes.</exception>
    public static HfTagUid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is not (4 or 7 or 10))
        {
            throw new ArgumentException($"{KindName} must be 4, 7 or 10 bytes, got {bytes.Length}", nameof(bytes));
        }

        return new HfTagUid(Convert.ToHexString(bytes));
    }

    /// <summary>The UID's bytes, first byte first (a new array each call).</summary>
    public byte[] ToBytes() => Convert.FromHexString(Value);

    /// <inheritdoc/>
    public bool Equals(HfTagUid? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as HfTagUid);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
