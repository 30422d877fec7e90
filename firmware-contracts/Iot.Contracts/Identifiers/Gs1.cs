using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// The GS1 mod-10 check digit shared by GTIN-8/12/13/14, GLN and SSCC (GS1 General Specifications, "check digit
/// calculation").
/// </summary>
/// <remarks>
/// From the right, leaving out the check digit, the digits are weighted 3, 1, 3, 1, ...; the check digit is
/// (10 - sum mod 10) mod 10. Weights 1 and 3 are both coprime to 10, so every single-digit substitution is caught.
/// Two adjacent digits a, b carry weights 3 and 1 (in some order), so swapping them changes the sum by 2(a - b):
/// the swap goes unnoticed exactly when a and b differ by 5 (0/5, 1/6, 2/7, 3/8, 4/9). That is a known limit of the
/// algorithm, not of this code; the tests assert it stays that way.
/// </remarks>
public static class Gs1
{
    /// <summary>The check digit for <paramref name="digits"/>, the key without its check digit.</summary>
    /// <exception cref="ArgumentException">A character is not an ASCII digit.</exception>
    public static char CheckDigit(ReadOnlySpan<char> digits)
    {
        int sum = 0;
        int weight = 3;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            char c = digits[i];
            if (!char.IsAsciiDigit(c))
            {
                throw new ArgumentException($"character {Mod31.Describe(c)} at position {i + 1} is not a digit", nameof(digits));
            }

            sum += weight * (c - '0');
            weight = 4 - weight;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>Whether <paramref name="key"/> (check digit last) is all digits with the right check digit.</summary>
    public static bool HasValidCheckDigit(ReadOnlySpan<char> key)
    {
        if (key.Length < 2)
        {
            return false;
        }

        foreach (char c in key)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return CheckDigit(key[..^1]) == key[^1];
    }

    /// <summary>
    /// Checks a key of one fixed length (GLN, SSCC): not empty, <paramref name="length"/> characters, all digits with
    /// the right check digit, naming what is wrong.
    /// </summary>
    internal static bool TryCheckFixedLengthKey([NotNullWhen(true)] string? value, int length, string kind, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(value))
        {
            error = $"{kind} is empty";
            return false;
        }

        if (value.Length != length)
        {
            error = $"{kind} must be {length} digits, got {value.Length} characters";
            return false;
        }

        return TryCheckKey(value, kind, out error);
    }

    /// <summary>
    /// Checks that <paramref name="value"/> (length already checked) is all digits with the right check digit, naming
    /// the first wrong character or the check digit expected.
    /// </summary>
    internal static bool TryCheckKey(string value, string kind, [NotNullWhen(false)] out string? error)
    {
        if (!TryDigits(value, kind, out error))
        {
            return false;
        }

        char expected = CheckDigit(value.AsSpan(0, value.Length - 1));
        if (value[^1] != expected)
        {
            error = $"{kind} check digit is '{value[^1]}', expected '{expected}'";
            return false;
        }

        return true;
    }

    /// <summary>Says which character at which (1-based) position is not a digit.</summary>
    internal static bool TryDigits(ReadOnlySpan<char> value, string kind, [NotNullWhen(false)] out string? error)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                error = $"{kind}: character {Mod31.Describe(value[i])} at position {i + 1} is not a digit";
                return false;
            }
        }

        error = null;
        return true;
    }

    internal static bool IsAllDigits(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return value.Length > 0;
    }
}
