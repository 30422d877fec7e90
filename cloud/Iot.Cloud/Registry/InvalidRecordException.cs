namespace Iot.Cloud.Registry;

/// <summary>A record refused at the registry's boundary: which field, and why, in words for the person who sent it.</summary>
public sealed class InvalidRecordException : Exception
{
    /// <summary>Creates the refusal of <paramref name="field"/> for <paramref name="reason"/>.</summary>
    public InvalidRecordException(string field, string reason)
        : base($"{field}: {reason}")
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>Creates a refusal without a field.</summary>
    public InvalidRecordException()
        : this("", "invalid record")
    {
    }

    /// <summary>Creates a refusal without a field.</summary>
    public InvalidRecordException(string message)
        : this("", message)
    {
    }

    /// <summary>Creates a refusal without a field.</summary>
    public InvalidRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "";
        Reason = message;
    }

    /// <summary>The field, as named in the API (<c>id</c>, <c>name</c>).</summary>
    public string Field { get; }

    /// <summary>Why it is refused.</summary>
    public string Reason { get; }
}
