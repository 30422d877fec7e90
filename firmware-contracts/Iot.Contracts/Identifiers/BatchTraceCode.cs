using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// Our batch trace code: 16 characters from the 31-character alphabet of GB 32100
/// (<c>0-9</c> and <c>A-Z</c> without I, O, S, V, Z), the last one a check character.
/// </summary>
/// <remarks>
/// <para>Design (see firmware-contracts/README.md, "Batch trace code"):</para>
/// <list type="bullet">
/// <item>15 payload characters drawn at random by the registry (31^15 ≈ 2^74, so codes cannot be guessed or enumerated
/// from the public lookup page), then one check character.</item>
/// <item>Check: Σ wᵢ·vᵢ ≡ 0 (mod 31) over all 16 positions, with weight 3^(16-i) mod 31 for position i (the check
/// character has weight 1). 31 is prime and 3 has order 30 modulo 31, so the 16 weights are distinct and non-zero:
/// every single substitution changes the sum by wᵢ·(a-b) ≢ 0 and every transposition of two positions, adjacent or
/// not, by (wᵢ-wⱼ)·(a-b) ≢ 0. Both are proved exhaustively in the tests.</item>
/// <item>The alphabet is a subset of QR alphanumeric mode, so a label URL carrying the code can be encoded compactly.</item>
/// </list>
/// </remarks>
public sealed class BatchTraceCode : IEquatable<BatchTraceCode>
{
    /// <summary>Characters in a code, check character included.</summary>
    public const int Length = 16;

    /// <summary>The GB 32100 alphabet; a character's value is its index.</summary>
    public const string Alphabet = Mod31.Alphabet;

    const string KindName = "batch trace code";

    BatchTraceCode(string value) => Value = value;

    /// <summary>The canonical form: 16 upper-case characters, no separators.</summary>
    public string Value { get; }

    /// <summary>
    /// <paramref name="text"/> as people read it: in four groups of four when it is a valid code (see
    /// <see cref="Grouped"/>), otherwise as it is.
    /// </summary>
    public static string GroupedOrAsIs(string text) => TryParse(text, out var code, out _) ? code.Grouped : text;

    /// <summary>The code in four groups of four for people to read aloud or type: <c>7K3M 9Q2T XW4A 1B6C</c>.</summary>
    public string Grouped => string.Create(19, Value, static (span, v) =>
    {
        for (int i = 0, j = 0; i < v.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                span[j++] = ' ';
            }

            span[j++] = v[i];
        }
    });

    /// <summary>Checks a code in its canonical form, as it travels on the wire.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out BatchTraceCode? code, [NotNullWhen(false)] out string? error)
    {
        code = null;
        if (!Mod31.TryFixedLengthValues(value, Length, KindName, out var values, out error))
        {
            return false;
        }

        int sum = 0;
        for (int i = 0; i < Length; i++)
        {
            sum += Weight(i) * values[i];
        }

        if (sum % 31 != 0)
        {
            char expected = CheckCharacter(value.AsSpan(0, Length - 1));
            error = $"{KindName} check character is '{value[^1]}', expected '{expected}' (a character is mistyped or two are swapped)";
            return false;
        }

        code = new BatchTraceCode(value);
        error = null;
        return true;
    }

    /// <summary>
    /// Checks a code as a person typed or read it: spaces and hyphens are ignored and lower case is accepted.
    /// </summary>
    public static bool TryParseTyped(string? value, [NotNullWhen(true)] out BatchTraceCode? code, [NotNullWhen(false)] out string? error)
    {
        if (value is null)
        {
            return TryParse(value, out code, out error);
        }

        var compact = new System.Text.StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (c is not (' ' or '-'))
            {
                compact.Append(char.ToUpperInvariant(c));
            }
        }

        return TryParse(compact.ToString(), out code, out error);
    }

    /// <summary>Parses the canonical form or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static BatchTraceCode Parse(string value) =>
        TryParse(value, out var code, out var error) ? code : throw new FormatException(error);

    /// <summary>Builds a code from 15 payload characters by appending their check character.</summary>
    public static BatchTraceCode FromPayload(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length != Length - 1)
        {
            throw new FormatException($"{KindName} payload must be {Length - 1} characters, got {payload.Length}");
        }

        if (!Mod31.TryValues(payload, KindName, out _, out var error))
        {
            throw new FormatException(error);
        }

        return new BatchTraceCode(payload + CheckCharacter(payload));
    }

    /// <summary>A new random code, as the registry issues them.</summary>
    public static BatchTraceCode NewRandom()
    {
        Span<char> payload = stackalloc char[Length - 1];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = Alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new BatchTraceCode(new string(payload) + CheckCharacter(payload));
    }

    /// <summary>The check character for 15 payload characters (already known to be in the alphabet).</summary>
    static char CheckCharacter(ReadOnlySpan<char> payload)
    {
        int sum = 0;
        for (int i = 0; i < payload.Length; i++)
        {
            sum += Weight(i) * Alphabet.IndexOf(payload[i], StringComparison.Ordinal);
        }

        // The check character's weight is 1, so it is whatever brings the sum to 0 mod 31.
        return Alphabet[(31 - (sum % 31)) % 31];
    }

    /// <summary>3^(15-i) mod 31 for zero-based position i; position 15 (the check character) has weight 1.</summary>
    static int Weight(int index) => Mod31.PowersOf3[Length - 1 - index];

    /// <inheritdoc/>
    public bool Equals(BatchTraceCode? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BatchTraceCode);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
