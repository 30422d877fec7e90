namespace Iot.Contracts.Messages;

/// <summary>A physical amount: a value and its UN/ECE Rec 20 unit. Our own small type, since UnitsNet is not served here.</summary>
public readonly record struct Quantity(double Value, Unit Unit)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Value} {Unit.Code()}");
}
