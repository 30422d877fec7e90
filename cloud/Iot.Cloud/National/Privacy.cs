using System.Text.RegularExpressions;

namespace Iot.Cloud.National;

/// <summary>
/// Keeps resident identity numbers (personal data) out of reports and exports: masked as
/// <c>110105********002X</c> (first 6, 8 stars, last 4) wherever one might appear.
/// </summary>
public static partial class Privacy
{
    /// <summary>
    /// <paramref name="text"/> masked as a resident identity number is: 18 characters keep their first 6 and last 4,
    /// anything else becomes stars. Masking a masked number gives it back unchanged.
    /// </summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 18 ? string.Concat(text.AsSpan(0, 6), "********", text.AsSpan(14)) : new string('*', text.Length);
    }

    /// <summary>
    /// <paramref name="text"/> with every value of <paramref name="sensitive"/> masked, and every run of 17 digits and a
    /// digit or X (standing alone, as an identity number would) masked too.
    /// </summary>
    public static string Scrub(string text, IEnumerable<string> sensitive)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sensitive);
        foreach (string value in sensitive)
        {
            foreach (string form in new[] { value, value.Trim(), value.Trim().ToUpperInvariant() })
            {
                if (form.Length >= 4)
                {
                    text = text.Replace(form, Mask(form), StringComparison.Ordinal);
                }
            }
        }

        return IdentityShaped().Replace(text, m => Mask(m.Value));
    }

    [GeneratedRegex("(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex IdentityShaped();
}
