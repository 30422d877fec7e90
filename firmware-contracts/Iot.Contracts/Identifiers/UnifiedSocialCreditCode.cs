using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// A unified social credit code (统一社会信用代码, GB 32100-2015): the 18-character id of every company, co-operative,
/// public institution and other organisation in China, e.g. a farm enterprise or a farmers' co-operative.
/// </summary>
/// <remarks>
/// <para>Layout: registration authority (1), organisation type (1), administrative division code (6 digits,
/// GB/T 2260), organisation identifier (9, the GB 11714 organisation code), check character (1). Characters come from
/// the GB 32100 alphabet <c>0123456789ABCDEFGHJKLMNPQRTUWXY</c> (values 0 to 30).</para>
/// <para>Check: with weights 3^(i-1) mod 31 for positions i = 1..17, the check value is 31 - (Σ wᵢ·vᵢ mod 31), and 31
/// becomes 0. Every single substitution and every adjacent transposition is caught (31 is prime, the weights are
/// non-zero and adjacent ones differ).</para>
/// <para>Some codes issued in the wild fail the formula. <see cref="TryParse"/> refuses them;
/// <see cref="TryParseLenient"/> accepts a code of the right shape whatever its check character and says in
/// <see cref="CheckWarning"/> what is wrong, so an importer can warn and keep rather than silently accept or drop.</para>
/// </remarks>
public sealed class UnifiedSocialCreditCode : IEquatable<UnifiedSocialCreditCode>
{
    /// <summary>Characters in a code, check character included.</summary>
    public const int Length = 18;

    /// <summary>The GB 32100 alphabet; a character's value is its index.</summary>
    public const string Alphabet = Mod31.Alphabet;

    const string KindName = "unified social credit code";

    UnifiedSocialCreditCode(string value, string? checkWarning)
    {
        Value = value;
        CheckWarning = checkWarning;
    }

    /// <summary>The canonical form: 18 upper-case characters.</summary>
    public string Value { get; }

    /// <summary>Position 1: the registration authority (e.g. 1 institutional staffing, 5 civil affairs, 9 market regulation).</summary>
    public char RegistrationAuthority => Value[0];

    /// <summary>Position 2: the organisation type within that authority (e.g. authority 9, type 1: enterprise).</summary>
    public char OrganisationType => Value[1];

    /// <summary>Positions 3-8: the administrative division code (GB/T 2260) of the registering authority.</summary>
    public string DivisionCode => Value.Substring(2, 6);

    /// <summary>Positions 9-17: the organisation identifier (GB 11714 organisation code, its own check character last).</summary>
    public string OrganisationIdentifier => Value.Substring(8, 9);

    /// <summary>Position 18: the check character.</summary>
    public char CheckCharacter => Value[^1];

    /// <summary>Whether the check character agrees with the formula; always true for a code from <see cref="TryParse"/>.</summary>
    public bool IsCheckCharacterValid => CheckWarning is null;

    /// <summary>
    /// For a code accepted by <see cref="TryParseLenient"/> whose check character is wrong, the message saying so
    /// (expected and actual); otherwise null.
    /// </summary>
    public string? CheckWarning { get; }

    /// <summary>Checks shape and check character.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out UnifiedSocialCreditCode? code, [NotNullWhen(false)] out string? error)
    {
        if (!TryParseLenient(value, out code, out error))
        {
            return false;
        }

        if (code.CheckWarning is not null)
        {
            error = code.CheckWarning;
            code = null;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Checks the shape only (length, alphabet, a 6-digit division code): a code whose check character is wrong is
    /// returned with <see cref="IsCheckCharacterValid"/> false and <see cref="CheckWarning"/> saying why. Returns false
    /// only when the value is not shaped like a code at all.
    /// </summary>
    public static bool TryParseLenient(string? value, [NotNullWhen(true)] out UnifiedSocialCreditCode? code, [NotNullWhen(false)] out string? error)
    {
        code = null;
        if (!Mod31.TryFixedLengthValues(value, Length, KindName, out var values, out error))
        {
            return false;
        }

        for (int i = 2; i < 8; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                error = $"{KindName}: character '{value[i]}' at position {i + 1} is not a digit; positions 3-8 are the administrative division code";
                return false;
            }
        }

        char expected = CheckCharacterOf(values);
        string? warning = value[^1] == expected
            ? null
            : $"{KindName} check character is '{value[^1]}', expected '{expected}' (a character is mistyped or two are swapped)";
        code = new UnifiedSocialCreditCode(value, warning);
        error = null;
        return true;
    }

    /// <summary>Parses (check character included) or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static UnifiedSocialCreditCode Parse(string value) =>
        TryParse(value, out var code, out var error) ? code : throw new FormatException(error);

    /// <summary>Builds a code from its first 17 characters by appending the check character.</summary>
    /// <exception cref="FormatException">Wrong length, a character outside the alphabet or a division code that is not digits.</exception>
    public static UnifiedSocialCreditCode FromPayload(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length != Length - 1)
        {
            throw new FormatException($"{KindName} payload must be {Length - 1} characters, got {payload.Length}");
        }

        // Any check character will do for the shape check; the real one replaces it.
        if (!TryParseLenient(payload + Alphabet[0], out _, out var error) || !Mod31.TryValues(payload, KindName, out var values, out error))
        {
            throw new FormatException(error);
        }

        return new UnifiedSocialCreditCode(payload + CheckCharacterOf(values), null);
    }

    /// <summary>The check character for the values of the first 17 characters (the 18th, if present, is ignored).</summary>
    static char CheckCharacterOf(int[] values)
    {
        int sum = 0;
        for (int i = 0; i < Length - 1; i++)
        {
            sum += Mod31.PowersOf3[i] * values[i];
        }

        return Alphabet[(31 - (sum % 31)) % 31];
    }

    /// <inheritdoc/>
    public bool Equals(UnifiedSocialCreditCode? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as UnifiedSocialCreditCode);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
