using System.Globalization;

namespace Iot.InfluxDb.LineProtocol;

/// <summary>The type of a field value.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "These are InfluxDB's own names for its four field types.")]
public enum FieldKind
{
    /// <summary>64-bit float, written in its shortest round-trippable form.</summary>
    Double,

    /// <summary>64-bit signed integer, written with the suffix <c>i</c>.</summary>
    Integer,

    /// <summary>Boolean, written <c>t</c> or <c>f</c>.</summary>
    Boolean,

    /// <summary>String, written in double quotes with <c>"</c> and <c>\</c> escaped.</summary>
    String,
}

/// <summary>A field value: one of double, long, bool or string, without boxing.</summary>
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private readonly long integer;
    private readonly double number;
    private readonly string? text;

    private FieldValue(FieldKind kind, long integer, double number, string? text)
    {
        Kind = kind;
        this.integer = integer;
        this.number = number;
        this.text = text;
    }

    /// <summary>Which of the four types this value is.</summary>
    public FieldKind Kind { get; }

    /// <summary>The double; only for <see cref="FieldKind.Double"/>.</summary>
    public double AsDouble => Kind == FieldKind.Double ? number : throw WrongKind(FieldKind.Double);

    /// <summary>The integer; only for <see cref="FieldKind.Integer"/>.</summary>
    public long AsInteger => Kind == FieldKind.Integer ? integer : throw WrongKind(FieldKind.Integer);

    /// <summary>The boolean; only for <see cref="FieldKind.Boolean"/>.</summary>
    public bool AsBoolean => Kind == FieldKind.Boolean ? integer != 0 : throw WrongKind(FieldKind.Boolean);

    /// <summary>The string; only for <see cref="FieldKind.String"/>.</summary>
    public string AsString => Kind == FieldKind.String ? text! : throw WrongKind(FieldKind.String);

    /// <summary>A double field. NaN and infinities are refused by <see cref="Point.Field(string, double)"/>.</summary>
    public static FieldValue FromDouble(double value) => new(FieldKind.Double, 0, value, null);

    /// <summary>An integer field.</summary>
    public static FieldValue FromInteger(long value) => new(FieldKind.Integer, value, 0, null);

    /// <summary>A boolean field.</summary>
    public static FieldValue FromBoolean(bool value) => new(FieldKind.Boolean, value ? 1 : 0, 0, null);

    /// <summary>A string field.</summary>
    public static FieldValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(FieldKind.String, 0, 0, value);
    }

    /// <inheritdoc/>
    public bool Equals(FieldValue other) =>
        Kind == other.Kind && integer == other.integer && number.Equals(other.number) && string.Equals(text, other.text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, integer, number, text);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        FieldKind.Double => number.ToString("R", CultureInfo.InvariantCulture),
        FieldKind.Integer => integer.ToString(CultureInfo.InvariantCulture) + "i",
        FieldKind.Boolean => integer != 0 ? "t" : "f",
        _ => text!,
    };

    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);

    private InvalidOperationException WrongKind(FieldKind wanted) => new($"the field value is {Kind}, not {wanted}");
}
