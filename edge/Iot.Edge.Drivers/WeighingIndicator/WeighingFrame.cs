using System.Globalization;
using Iot.Contracts.Messages;

namespace Iot.Edge.Drivers.WeighingIndicator;

/// <summary>Header 1 of an A&amp;D-format frame: the indicator's stability judgement.</summary>
public enum WeighingStatus
{
    /// <summary><c>ST</c>: stable weight.</summary>
    Stable,

    /// <summary><c>US</c>: the weight is moving.</summary>
    Unstable,

    /// <summary><c>OL</c>: out of range (over or under); the frame carries no weight.</summary>
    Overload,
}

/// <summary>Header 2 of an A&amp;D-format frame: which weight the frame carries.</summary>
public enum WeightKind
{
    /// <summary><c>GS</c>: gross weight.</summary>
    Gross,

    /// <summary><c>NT</c>: net weight (gross minus the indicator's tare).</summary>
    Net,

    /// <summary><c>TR</c>: the tare value.</summary>
    Tare,
}

/// <summary>
/// One frame of the indicator's continuous output, e.g. <c>ST,GS,+0012.48  kg</c>: status, weight kind and the weight
/// in kilograms or grams as the indicator sent it. <see cref="Weight"/> is null exactly when the status is overload.
/// </summary>
/// <param name="Status">Stable, unstable or overload.</param>
/// <param name="Kind">Gross, net or tare.</param>
/// <param name="Weight">The weight in <see cref="Unit.Kilogram"/> or <see cref="Unit.Gram"/>; null on overload.</param>
public readonly record struct WeighingFrame(WeighingStatus Status, WeightKind Kind, Quantity? Weight)
{
    /// <summary>Longest line the parser looks at; anything longer is not a frame of this format.</summary>
    internal const int MaxLength = 64;

    /// <summary>Whether the indicator judged the weight stable (<c>ST</c>).</summary>
    public bool IsStable => Status == WeighingStatus.Stable;

    /// <summary>Whether the weight is out of range (<c>OL</c>).</summary>
    public bool IsOverload => Status == WeighingStatus.Overload;

    /// <summary>
    /// Parses one line without its terminator. A failure says why: malformed headers or number, or a unit the contract
    /// cannot carry (only kg and g are accepted; lb, oz, t and counts are refused).
    /// </summary>
    public static DriverResult<WeighingFrame> Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return TryParse(line, out WeighingFrame frame, out string? error, out _)
            ? DriverResult<WeighingFrame>.Success(frame)
            : DriverResult<WeighingFrame>.Failure(error);
    }

    /// <summary>The parser behind <see cref="Parse"/>; <paramref name="unsupportedUnit"/> tells a well-formed frame in a refused unit from garbage.</summary>
    internal static bool TryParse(ReadOnlySpan<char> line, out WeighingFrame frame, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error, out bool unsupportedUnit)
    {
        frame = default;
        unsupportedUnit = false;
        if (line.Length > MaxLength)
        {
            error = "line too long for a frame";
            return false;
        }

        // Header 1, comma, header 2, comma: 6 characters.
        if (line.Length < 7 || line[2] != ',' || line[5] != ',')
        {
            error = "not a frame: expected 'H1,H2,' headers";
            return false;
        }

        WeighingStatus? status = line[..2] switch
        {
            "ST" => WeighingStatus.Stable,
            "US" => WeighingStatus.Unstable,
            "OL" or "LO" => WeighingStatus.Overload,
            _ => null,
        };
        if (status is null)
        {
            error = "unknown status header '" + Printable(line[..2]) + "'";
            return false;
        }

        WeightKind? kind = line[3..5] switch
        {
            "GS" or "G " => WeightKind.Gross,
            "NT" or "N " => WeightKind.Net,
            "TR" or "T " => WeightKind.Tare,
            _ => null,
        };
        if (kind is null)
        {
            error = "unknown weight header '" + Printable(line[3..5]) + "'";
            return false;
        }

        // Data and unit: sign, digits with one decimal point (dot or comma), then the unit letters, spaces anywhere between.
        ReadOnlySpan<char> rest = line[6..].TrimEnd(' ');
        int unitStart = rest.Length;
        while (unitStart > 0 && char.IsAsciiLetter(rest[unitStart - 1]))
        {
            unitStart--;
        }

        ReadOnlySpan<char> unitText = rest[unitStart..];
        ReadOnlySpan<char> number = rest[..unitStart].Trim(' ');

        if (status == WeighingStatus.Overload)
        {
            // Out of range: the digits are spaces (A&D) or nines; whatever they are, there is no weight.
            frame = new WeighingFrame(WeighingStatus.Overload, kind.Value, null);
            error = null;
            return true;
        }

        if (!TryParseNumber(number, out double value, out error))
        {
            return false;
        }

        Unit? unit = unitText.Equals("kg", StringComparison.OrdinalIgnoreCase) ? Unit.Kilogram
            : unitText.Equals("g", StringComparison.OrdinalIgnoreCase) ? Unit.Gram
            : null;
        if (unit is null)
        {
            unsupportedUnit = unitText.Length > 0;
            error = unitText.Length == 0
                ? "missing unit"
                : "unsupported unit '" + unitText.ToString() + "': the contract carries only kilograms (KGM) and grams (GRM); set the indicator to kg or g";
            return false;
        }

        frame = new WeighingFrame(status.Value, kind.Value, new Quantity(value, unit.Value));
        error = null;
        return true;
    }

    static bool TryParseNumber(ReadOnlySpan<char> text, out double value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        value = 0;
        bool negative = false;
        if (text.Length > 0 && (text[0] == '+' || text[0] == '-'))
        {
            negative = text[0] == '-';
            text = text[1..].TrimStart(' ');
        }

        Span<char> digits = stackalloc char[text.Length];
        int count = 0;
        int digitCount = 0;
        bool point = false;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
                digitCount++;
            }
            else if ((c == '.' || c == ',') && !point)
            {
                digits[count++] = '.';
                point = true;
            }
            else
            {
                error = "malformed weight '" + Printable(text) + "'";
                return false;
            }
        }

        if (digitCount == 0)
        {
            error = "missing weight value";
            return false;
        }

        value = double.Parse(digits[..count], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (negative)
        {
            value = -value;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// The inverse of <see cref="Parse"/>: an 18-character A&amp;D line without terminator,
    /// <c>H1,H2,</c> + sign + 7 characters with the decimal point + the unit right-aligned in 4, e.g. <c>ST,GS,+0012.48  kg</c>.
    /// Overload replaces the digits with spaces and keeps the decimal point.
    /// </summary>
    internal static string Format(WeighingStatus status, WeightKind kind, double value, int decimals, string unit)
    {
        string h1 = status switch
        {
            WeighingStatus.Stable => "ST",
            WeighingStatus.Unstable => "US",
            _ => "OL",
        };
        string h2 = kind switch
        {
            WeightKind.Gross => "GS",
            WeightKind.Net => "NT",
            _ => "TR",
        };
        double rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        char sign = rounded < 0 ? '-' : '+'; // zero is "+" (A&D)
        string magnitude = Math.Abs(rounded).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).PadLeft(7, '0');
        if (status == WeighingStatus.Overload)
        {
            magnitude = new string(magnitude.Select(c => c == '.' ? '.' : ' ').ToArray());
        }

        return h1 + "," + h2 + "," + sign + magnitude + unit.PadLeft(4);
    }

    static string Printable(ReadOnlySpan<char> text)
    {
        Span<char> copy = stackalloc char[Math.Min(text.Length, 24)];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = text[i] is >= ' ' and <= '~' ? text[i] : '?';
        }

        return copy.ToString();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        string weight = Weight is { } w ? w.ToString() : "out of range";
        return string.Create(CultureInfo.InvariantCulture, $"{Status} {Kind} {weight}");
    }
}
