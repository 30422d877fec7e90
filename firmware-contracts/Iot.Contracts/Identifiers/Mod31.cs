using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// The 31-character alphabet of GB 32100-2015 (<c>0-9A-Z</c> without I, O, S, V, Z), shared by the unified social
/// credit code and our batch trace code.
/// </summary>
internal static class Mod31
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>3^k mod 31 for k = 0..29; 3 is a primitive root modulo 31.</summary>
    public static readonly int[] PowersOf3 = BuildPowers();

    static int[] BuildPowers()
    {
        var powers = new int[30];
        powers[0] = 1;
        for (int k = 1; k < powers.Length; k++)
        {
            powers[k] = powers[k - 1] * 3 % 31;
        }

        return powers;
    }

    /// <summary>
    /// Checks that <paramref name="value"/> is not empty and has <paramref name="length"/> characters, naming which is
    /// wrong (also used by the resident identity number, whose messages read the same).
    /// </summary>
    public static bool TryLength([NotNullWhen(true)] string? value, int length, string kind, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(value))
        {
            error = $"{kind} is empty";
            return false;
        }

        if (value.Length != length)
        {
            error = $"{kind} must be {length} characters, got {value.Length}";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary><see cref="TryLength"/>, then <see cref="TryValues"/>: a code of one fixed length in the alphabet.</summary>
    public static bool TryFixedLengthValues([NotNullWhen(true)] string? value, int length, string kind, [NotNullWhen(true)] out int[]? values, [NotNullWhen(false)] out string? error)
    {
        values = null;
        return TryLength(value, length, kind, out error) && TryValues(value, kind, out values, out error);
    }

    /// <summary>Maps each character to its value, or says which character at which (1-based) position is not allowed.</summary>
    public static bool TryValues(ReadOnlySpan<char> text, string kind, [NotNullWhen(true)] out int[]? values, [NotNullWhen(false)] out string? error)
    {
        values = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            int v = Alphabet.IndexOf(text[i], StringComparison.Ordinal);
            if (v < 0)
            {
                values = null;
                error = $"{kind}: character {Describe(text[i])} at position {i + 1} is not allowed{Hint(text[i])}; allowed are 0-9 and A-Z without I, O, S, V, Z";
                return false;
            }

            values[i] = v;
        }

        error = null;
        return true;
    }

    /// <summary>A character as an error message shows it: printable ones quoted, others as U+XXXX.</summary>
    public static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";

    static string Hint(char c) => char.ToUpperInvariant(c) switch
    {
        'O' => " (did you mean '0'?)",
        'I' => " (did you mean '1'?)",
        'S' => " (did you mean '5'?)",
        'Z' => " (did you mean '2'?)",
        'V' => " (did you mean 'U'?)",
        _ when char.IsLower(c) => " (use upper case)",
        _ => string.Empty,
    };
}
