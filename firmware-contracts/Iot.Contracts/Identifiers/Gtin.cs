using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// A GS1 Global Trade Item Number: GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14, the last digit a GS1
/// check digit (<see cref="Gs1"/>).
/// </summary>
/// <remarks>
/// The four lengths name the same key space: a shorter GTIN is the GTIN-14 with leading zeros left out, which is how
/// GS1 Digital Link and the EPC SGTIN carry it (<see cref="ToGtin14"/>). A 13-digit number may equally be a GLN; only
/// the context tells.
/// </remarks>
public sealed class Gtin : IEquatable<Gtin>
{
    const string KindName = "GTIN";

    Gtin(string value) => Value = value;

    /// <summary>The digits as given: 8, 12, 13 or 14 of them, check digit last.</summary>
    public string Value { get; }

    /// <summary><c>GTIN-8</c>, <c>GTIN-12</c>, <c>GTIN-13</c> or <c>GTIN-14</c>.</summary>
    public string Format => FormatOf(Value.Length);

    /// <summary>The check digit.</summary>
    public char CheckDigit => Value[^1];

    /// <summary>Whether <paramref name="length"/> is a GTIN length: 8, 12, 13 or 14.</summary>
    public static bool IsGtinLength(int length) => length is 8 or 12 or 13 or 14;

    /// <summary>Checks length, digits and check digit.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out Gtin? gtin, [NotNullWhen(false)] out string? error)
    {
        gtin = null;
        if (string.IsNullOrEmpty(value))
        {
            error = $"{KindName} is empty";
            return false;
        }

        if (!IsGtinLength(value.Length))
        {
            error = $"{KindName} must be 8, 12, 13 or 14 digits, got {value.Length} characters";
            return false;
        }

        if (!Gs1.TryCheckKey(value, FormatOf(value.Length), out error))
        {
            return false;
        }

        gtin = new Gtin(value);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Gtin Parse(string value) =>
        TryParse(value, out var gtin, out var error) ? gtin : throw new FormatException(error);

    /// <summary>Builds a GTIN from 7, 11, 12 or 13 digits by appending their check digit.</summary>
    /// <exception cref="FormatException">Wrong length or a character that is not a digit.</exception>
    public static Gtin FromDigitsWithoutCheck(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (!IsGtinLength(digits.Length + 1))
        {
            throw new FormatException($"{KindName} without its check digit must be 7, 11, 12 or 13 digits, got {digits.Length} characters");
        }

        if (!Gs1.TryDigits(digits, FormatOf(digits.Length + 1), out var error))
        {
            throw new FormatException(error);
        }

        return new Gtin(digits + Gs1.CheckDigit(digits));
    }

    /// <summary>The same GTIN as 14 digits, padded with leading zeros (the check digit does not change).</summary>
    public Gtin ToGtin14() => Value.Length == 14 ? this : new Gtin(Value.PadLeft(14, '0'));

    /// <summary>The GS1 element string, always with the GTIN-14: <c>(01)09521234543213</c>.</summary>
    public string ElementString => "(01)" + ToGtin14().Value;

    static string FormatOf(int length) => length switch
    {
        8 => "GTIN-8",
        12 => "GTIN-12",
        13 => "GTIN-13",
        _ => "GTIN-14",
    };

    /// <summary>Equal when the digits are equal; compare <see cref="ToGtin14"/> to treat GTIN-13 and its padded GTIN-14 as one.</summary>
    public bool Equals(Gtin? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Gtin);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
