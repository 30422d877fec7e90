using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// A resident identity number (公民身份号码, GB 11643-1999): 18 characters, 17 digits then a digit or <c>X</c>.
/// Personal data: it shows itself masked (<c>110105********002X</c>) and gives the full number only through
/// <see cref="RevealUnmasked"/>.
/// </summary>
/// <remarks>
/// <para>Layout: address code (6 digits, GB/T 2260), birth date (8 digits, <c>yyyyMMdd</c>), sequence (3 digits, odd
/// for men, even for women), check character (1).</para>
/// <para>Check: with weights <c>7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2</c> for positions 1..17, the check character is
/// <c>"10X98765432"[Σ wᵢ·dᵢ mod 11]</c>. 11 is prime, the weights are non-zero mod 11 and adjacent ones differ, so
/// every single substitution and every adjacent transposition is caught.</para>
/// <para>Positions 7-14 must be a real date from 1900-01-01 up to today (in China, UTC+8).</para>
/// <para>Privacy: there is deliberately no <c>Value</c> property, so a serializer or a log template cannot pick up the
/// full number by accident; <see cref="ToString"/> is <see cref="Masked"/>, and no error message repeats a digit of
/// the input (they name positions, and the check character expected and found).</para>
/// </remarks>
public sealed class ResidentIdentityNumber : IEquatable<ResidentIdentityNumber>
{
    /// <summary>Characters in a number, check character included.</summary>
    public const int Length = 18;

    const string KindName = "resident identity number";
    const string CheckCharacters = "10X98765432";
    static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    static readonly DateOnly Earliest = new(1900, 1, 1);
    static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    readonly string value;

    ResidentIdentityNumber(string value) => this.value = value;

    /// <summary>The number masked for logs, pages and exports: first 6 and last 4 characters, 8 stars between.</summary>
    public string Masked => Mask(value);

    /// <summary>The full number. Call it only where the full number is truly needed (e.g. to submit it to the registry).</summary>
    public string RevealUnmasked() => value;

    /// <summary>Checks shape, birth date (against today's date in China) and check character.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out ResidentIdentityNumber? number, [NotNullWhen(false)] out string? error) =>
        TryParse(value, TimeProvider.System, out number, out error);

    /// <summary>Checks shape, birth date (not after today's date in China by <paramref name="clock"/>) and check character.</summary>
    public static bool TryParse(string? value, TimeProvider clock, [NotNullWhen(true)] out ResidentIdentityNumber? number, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(clock);
        number = null;
        if (!Mod31.TryLength(value, Length, KindName, out error))
        {
            return false;
        }

        int sum = 0;
        for (int i = 0; i < Length - 1; i++)
        {
            char c = value[i];
            if (!char.IsAsciiDigit(c))
            {
                error = $"{KindName}: character {Mod31.Describe(c)} at position {i + 1} is not a digit; positions 1-17 are digits";
                return false;
            }

            sum += Weights[i] * (c - '0');
        }

        char last = value[^1];
        if (!(char.IsAsciiDigit(last) || last == 'X'))
        {
            string hint = last == 'x' ? " (use upper case 'X')" : string.Empty;
            error = $"{KindName}: character {Mod31.Describe(last)} at position {Length} is not allowed{hint}; the check character is a digit or 'X'";
            return false;
        }

        char expected = CheckCharacters[sum % 11];
        if (last != expected)
        {
            error = $"{KindName} check character is '{last}', expected '{expected}' (a digit is mistyped or two are swapped)";
            return false;
        }

        if (!TryBirthDate(value.AsSpan(6, 8), TodayInChina(clock), out error))
        {
            return false;
        }

        number = new ResidentIdentityNumber(value);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> naming what is wrong (never the number itself).</summary>
    public static ResidentIdentityNumber Parse(string value) =>
        TryParse(value, out var number, out var error) ? number : throw new FormatException(error);

    /// <summary>
    /// Masks any 18-character text as a resident identity number is masked: first 6, 8 stars, last 4. Used to show a
    /// value that might be a (mistyped) resident identity number.
    /// </summary>
    internal static string Mask(string text) =>
        text.Length == Length ? string.Concat(text.AsSpan(0, 6), "********", text.AsSpan(Length - 4)) : new string('*', text.Length);

    static DateOnly TodayInChina(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaStandardTime).DateTime);

    /// <summary>Checks the birth date digits without repeating them.</summary>
    static bool TryBirthDate(ReadOnlySpan<char> digits, DateOnly today, [NotNullWhen(false)] out string? error)
    {
        int year = Number(digits[..4]);
        int month = Number(digits.Slice(4, 2));
        int day = Number(digits.Slice(6, 2));
        if (month is < 1 or > 12)
        {
            error = $"{KindName}: positions 11-12 are not a month (01 to 12); positions 7-14 are the birth date yyyyMMdd";
            return false;
        }

        if (day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month))
        {
            error = $"{KindName}: positions 13-14 are not a day of that month; positions 7-14 are the birth date yyyyMMdd";
            return false;
        }

        var birth = new DateOnly(Math.Max(year, 1), month, day);
        if (birth < Earliest)
        {
            error = $"{KindName}: the birth date (positions 7-14) is before 1900";
            return false;
        }

        if (birth > today)
        {
            error = $"{KindName}: the birth date (positions 7-14) is in the future";
            return false;
        }

        error = null;
        return true;
    }

    static int Number(ReadOnlySpan<char> digits)
    {
        int n = 0;
        foreach (char c in digits)
        {
            n = (n * 10) + (c - '0');
        }

        return n;
    }

    /// <inheritdoc/>
    public bool Equals(ResidentIdentityNumber? other) => other is not null && string.Equals(value, other.value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ResidentIdentityNumber);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(value);

    /// <summary>The masked number (<see cref="Masked"/>); never the full number.</summary>
    public override string ToString() => Masked;
}
