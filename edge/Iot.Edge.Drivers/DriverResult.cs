using System.Diagnostics.CodeAnalysis;

namespace Iot.Edge.Drivers;

/// <summary>
/// What a driver's read gives: a value, or the reason there is none (CRC mismatch, no acknowledge, data-ready
/// deadline passed). A failed read never carries a stale or made-up value.
/// </summary>
/// <typeparam name="T">The measurement.</typeparam>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "DriverResult<T>.Success(...) reads better than a separate factory class.")]
public readonly record struct DriverResult<T>
    where T : struct
{
    DriverResult(T? value, string? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The measurement, when the read succeeded.</summary>
    public T? Value { get; }

    /// <summary>Why the read failed, for the reading's <c>error</c>; null when it succeeded.</summary>
    public string? Error { get; }

    /// <summary>Whether the read gave a valid value.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Ok => Value is not null;

    /// <summary>A successful read.</summary>
    public static DriverResult<T> Success(T value) => new(value, null);

    /// <summary>A failed read and why.</summary>
    public static DriverResult<T> Failure(string error) =>
        new(null, string.IsNullOrWhiteSpace(error) ? throw new ArgumentException("a failure needs a reason", nameof(error)) : error);

    /// <inheritdoc/>
    public override string ToString() => Ok ? $"{Value}" : $"failed: {Error}";
}
