namespace Iot.Contracts.Identifiers;

/// <summary>
/// What <see cref="IdentifierCheck"/> found for one value, as one line: <c>VALUE: KIND ok</c> or
/// <c>VALUE: invalid: REASON</c>; a value valid as more than one kind reads <c>VALUE: KIND ok (also a valid KIND2)</c>.
/// </summary>
public sealed class IdentifierReport
{
    IdentifierReport(string shown, bool isValid, string? kind, IReadOnlyList<string> alsoValidAs, string? reason)
    {
        Shown = IdentifierCheck.Printable(shown);
        IsValid = isValid;
        Kind = kind is null ? null : IdentifierCheck.Printable(kind);
        AlsoValidAs = alsoValidAs;
        Reason = reason is null ? null : IdentifierCheck.Printable(reason);
    }

    /// <summary>The value as the line shows it: invisible characters escaped, a possible identity number masked.</summary>
    public string Shown { get; }

    /// <summary>Whether the value is a valid identifier of some kind.</summary>
    public bool IsValid { get; }

    /// <summary>What the value is, when valid (e.g. <c>GTIN-14</c>); otherwise null.</summary>
    public string? Kind { get; }

    /// <summary>Other kinds the value is equally valid as (e.g. an 18-digit SSCC that is also a valid credit code).</summary>
    public IReadOnlyList<string> AlsoValidAs { get; }

    /// <summary>What is wrong, when invalid; otherwise null.</summary>
    public string? Reason { get; }

    /// <summary>The report as one line, without a line break.</summary>
    public string Line => IsValid
        ? AlsoValidAs.Count == 0 ? $"{Shown}: {Kind} ok" : $"{Shown}: {Kind} ok (also a valid {string.Join(" and a valid ", AlsoValidAs)})"
        : $"{Shown}: invalid: {Reason}";

    internal static IdentifierReport Valid(string shown, string kind, params IReadOnlyList<string> alsoValidAs) => new(shown, true, kind, alsoValidAs, null);

    internal static IdentifierReport Invalid(string shown, string reason) => new(shown, false, null, [], reason);

    /// <inheritdoc cref="Line"/>
    public override string ToString() => Line;
}
