using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// A GS1 Serial Shipping Container Code (AI 00): 18 digits, an extension digit, the GS1 company prefix and serial
/// reference (17 digits together; where the prefix ends is not visible in the number), then a GS1 check digit.
/// </summary>
public sealed class Sscc : IEquatable<Sscc>
{
    /// <summary>Digits in an SSCC.</summary>
    public const int Length = 18;

    const string KindName = "SSCC";

    Sscc(string value) => Value = value;

    /// <summary>The 18 digits.</summary>
    public string Value { get; }

    /// <summary>The first digit, chosen by the company to extend the serial reference's capacity.</summary>
    public char ExtensionDigit => Value[0];

    /// <summary>The check digit.</summary>
    public char CheckDigit => Value[^1];

    /// <summary>Checks length, digits and check digit.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out Sscc? sscc, [NotNullWhen(false)] out string? error)
    {
        if (!Gs1.TryCheckFixedLengthKey(value, Length, KindName, out error))
        {
            sscc = null;
            return false;
        }

        sscc = new Sscc(value);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Sscc Parse(string value) =>
        TryParse(value, out var sscc, out var error) ? sscc : throw new FormatException(error);

    /// <summary>Builds an SSCC from 17 digits by appending their check digit.</summary>
    /// <exception cref="FormatException">Wrong length or a character that is not a digit.</exception>
    public static Sscc FromDigitsWithoutCheck(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Length != Length - 1)
        {
            throw new FormatException($"{KindName} without its check digit must be {Length - 1} digits, got {digits.Length} characters");
        }

        if (!Gs1.TryDigits(digits, KindName, out var error))
        {
            throw new FormatException(error);
        }

        return new Sscc(digits + Gs1.CheckDigit(digits));
    }

    /// <summary>The GS1 element string, <c>(00)106141412345678908</c>.</summary>
    public string ElementString => "(00)" + Value;

    /// <inheritdoc/>
    public bool Equals(Sscc? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Sscc);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
