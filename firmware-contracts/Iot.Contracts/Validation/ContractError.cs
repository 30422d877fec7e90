namespace Iot.Contracts.Validation;

/// <summary>
/// One thing wrong with a message: where (a JSON path such as <c>$.readings[3].traceCodes[0]</c>, or <c>topic</c>)
/// and why, in words an installer or firmware engineer understands.
/// </summary>
public sealed record ContractError(string Path, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>A message read from the wire: the message, or every reason it was refused (never both).</summary>
public sealed record ContractResult<T>
    where T : class
{
    ContractResult(T? message, IReadOnlyList<ContractError> errors)
    {
        Message = message;
        Errors = errors;
    }

    /// <summary>The message, when valid.</summary>
    public T? Message { get; }

    /// <summary>Why it was refused; empty when valid.</summary>
    public IReadOnlyList<ContractError> Errors { get; }

    /// <summary>Whether the message is valid.</summary>
    public bool IsValid => Message is not null;

    /// <summary>All errors in one line, for a dead letter's reason.</summary>
    public string Reason => string.Join("; ", Errors);

    internal static ContractResult<T> Valid(T message) => new(message, []);

    internal static ContractResult<T> Invalid(IReadOnlyList<ContractError> errors) =>
        errors.Count > 0 ? new(null, errors) : throw new ArgumentException("an invalid result needs a reason", nameof(errors));

    internal static ContractResult<T> Invalid(string path, string reason) => new(null, [new ContractError(path, reason)]);
}
