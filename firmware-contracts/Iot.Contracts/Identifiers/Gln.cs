using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers;

/// <summary>A GS1 Global Location Number: 13 digits, the last a GS1 check digit (<see cref="Gs1"/>).</summary>
/// <remarks>A GLN has the shape of a GTIN-13; only the context says which one a 13-digit number is.</remarks>
public sealed class Gln : IEquatable<Gln>
{
    /// <summary>Digits in a GLN.</summary>
    public const int Length = 13;

    const string KindName = "GLN";

    Gln(string value) => Value = value;

    /// <summary>The 13 digits.</summary>
    public string Value { get; }

    /// <summary>Checks length, digits and check digit.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out Gln? gln, [NotNullWhen(false)] out string? error)
    {
        if (!Gs1.TryCheckFixedLengthKey(value, Length, KindName, out error))
        {
            gln = null;
            return false;
        }

        gln = new Gln(value);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Gln Parse(string value) =>
        TryParse(value, out var gln, out var error) ? gln : throw new FormatException(error);

    /// <inheritdoc/>
    public bool Equals(Gln? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Gln);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
