using System.Globalization;

namespace Iot.Edge.Drivers.Mfrc522;

/// <summary>
/// The UID of an ISO/IEC 14443 A card: 4 (single size), 7 (double) or 10 (triple) bytes, in the order the card sends them
/// over the cascade levels (cascade tags and BCCs removed). <see cref="Hex"/> is upper case without separators:
/// 8, 14 or 20 hex digits. Two UIDs are equal when their bytes are.
/// </summary>
public readonly struct CardUid : IEquatable<CardUid>
{
    readonly string? _hex;

    CardUid(string hex) => _hex = hex;

    /// <summary>The UID as upper-case hex, e.g. <c>04A1B2C3D4E5F6</c>; empty for <c>default</c>.</summary>
    public string Hex => _hex ?? string.Empty;

    /// <summary>Number of UID bytes: 4, 7 or 10 (0 for <c>default</c>).</summary>
    public int Length => Hex.Length / 2;

    /// <summary>A copy of the UID bytes.</summary>
    public byte[] ToArray() => Convert.FromHexString(Hex);

    /// <summary>Builds a UID from its bytes.</summary>
    /// <exception cref="ArgumentException">The length is not 4, 7 or 10.</exception>
    public static CardUid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is not (4 or 7 or 10))
        {
            throw new ArgumentException($"a card UID has 4, 7 or 10 bytes, not {bytes.Length}", nameof(bytes));
        }

        return new CardUid(Convert.ToHexString(bytes));
    }

    /// <summary>Parses 8, 14 or 20 hex digits (either case).</summary>
    /// <exception cref="FormatException">Not a UID.</exception>
    public static CardUid Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length is not (8 or 14 or 20) || !hex.All(char.IsAsciiHexDigit))
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"a card UID is 8, 14 or 20 hex digits, not '{hex}'"));
        }

        return new CardUid(hex.ToUpperInvariant());
    }

    /// <inheritdoc/>
    public bool Equals(CardUid other) => string.Equals(Hex, other.Hex, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CardUid other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Hex);

    /// <inheritdoc/>
    public override string ToString() => Hex;

    /// <summary>Equality by bytes.</summary>
    public static bool operator ==(CardUid left, CardUid right) => left.Equals(right);

    /// <summary>Inequality by bytes.</summary>
    public static bool operator !=(CardUid left, CardUid right) => !left.Equals(right);
}
