using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Identifiers;

/// <summary>
/// A trace code (追溯码) assigned by the national agricultural product quality safety trace platform.
/// </summary>
/// <remarks>
/// The platform does not publish the format, so the code is kept as an opaque string and linked to our
/// <see cref="BatchTraceCode"/>. It is still checked: 4 to 64 characters of <c>0-9 A-Z a-z</c>, hyphen, dot and
/// underscore. That keeps it safe in MQTT topics, InfluxDB tags, URLs, CSV files and log lines.
/// </remarks>
public sealed class NationalTraceCode : IEquatable<NationalTraceCode>
{
    /// <summary>Shortest accepted code.</summary>
    public const int MinLength = 4;

    /// <summary>Longest accepted code.</summary>
    public const int MaxLength = 64;

    const string KindName = "national trace code";

    NationalTraceCode(string value) => Value = value;

    /// <summary>The code exactly as the platform assigned it.</summary>
    public string Value { get; }

    /// <summary>Checks length and characters; says which character at which position is not allowed.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out NationalTraceCode? code, [NotNullWhen(false)] out string? error)
    {
        code = null;
        if (string.IsNullOrEmpty(value))
        {
            error = $"{KindName} is empty";
            return false;
        }

        if (value.Length is < MinLength or > MaxLength)
        {
            error = $"{KindName} must be {MinLength} to {MaxLength} characters, got {value.Length}";
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                error = $"{KindName}: character {Mod31.Describe(c)} at position {i + 1} is not allowed; allowed are 0-9, A-Z, a-z, '-', '.' and '_'";
                return false;
            }
        }

        code = new NationalTraceCode(value);
        error = null;
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static NationalTraceCode Parse(string value) =>
        TryParse(value, out var code, out var error) ? code : throw new FormatException(error);

    /// <inheritdoc/>
    public bool Equals(NationalTraceCode? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NationalTraceCode);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
