using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// The rule for ids a farm or our cloud chooses: gateway, sensor, zone, line, scale and command ids.
/// 1 to 64 characters of <c>A-Z a-z 0-9 . _ -</c>, starting with a letter or digit.
/// </summary>
/// <remarks>
/// A gateway id is a level of every MQTT topic, so the rule keeps out what MQTT gives meaning to (<c>/ + #</c>, a
/// leading <c>$</c>), control characters, and what InfluxDB line protocol would have to escape (space, comma, equals).
/// </remarks>
public static class LocalId
{
    /// <summary>Longest id.</summary>
    public const int MaxLength = 64;

    /// <summary>Checks <paramref name="value"/> as a <paramref name="kind"/> (e.g. "gateway id"), saying what is wrong.</summary>
    public static bool IsValid(string? value, string kind, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(value))
        {
            error = $"{kind} is empty";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"{kind} must be at most {MaxLength} characters, got {value.Length}";
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool allowed = char.IsAsciiLetterOrDigit(c) || (i > 0 && c is '.' or '_' or '-');
            if (!allowed)
            {
                error = i == 0 && c is '.' or '_' or '-'
                    ? $"{kind} must start with a letter or digit, not {Mod31.Describe(c)}"
                    : $"{kind}: character {Mod31.Describe(c)} at position {i + 1} is not allowed; allowed are A-Z, a-z, 0-9, '.', '_' and '-'";
                return false;
            }
        }

        error = null;
        return true;
    }
}
