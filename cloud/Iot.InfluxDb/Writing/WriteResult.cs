using Iot.InfluxDb.LineProtocol;

namespace Iot.InfluxDb.Writing;

/// <summary>A point the server refused for what it is (type conflict, unparseable, too large): retrying cannot help; dead-letter it.</summary>
/// <param name="Point">The point.</param>
/// <param name="StatusCode">The HTTP status of the refusal (400, 413, 422).</param>
/// <param name="Reason">The server's own words.</param>
public sealed record RejectedPoint(Point Point, int StatusCode, string Reason);

/// <summary>Why a write stopped before every point was written or rejected.</summary>
public enum WriteFailureKind
{
    /// <summary>429, 5xx, connection refused or reset, timeouts, until the attempts or the deadline ran out. Try again later; stop acknowledging input meanwhile.</summary>
    Unavailable,

    /// <summary>401 or 403: the credentials are wrong or lack write permission. Not retried.</summary>
    Unauthorized,

    /// <summary>404: the database (v1) or bucket (v2) does not exist. Not retried.</summary>
    NotFound,

    /// <summary>Any other answer the client does not know how to classify. Not retried.</summary>
    UnexpectedResponse,
}

/// <summary>What stopped a write.</summary>
/// <param name="Kind">The class of failure.</param>
/// <param name="Message">A sentence naming the server, the database or bucket, and the last error.</param>
/// <param name="StatusCode">The last HTTP status, or null when no answer came (connection failure, timeout).</param>
/// <param name="Attempts">How many attempts the failing request body had.</param>
public sealed record WriteFailure(WriteFailureKind Kind, string Message, int? StatusCode, int Attempts);

/// <summary>
/// The outcome of <see cref="InfluxWriteClient.WriteAsync"/>: every input point is in exactly one
/// of <see cref="Written"/>, <see cref="Rejected"/> and <see cref="NotWritten"/>.
/// </summary>
public sealed class WriteResult
{
    internal WriteResult(IReadOnlyList<Point> written, IReadOnlyList<RejectedPoint> rejected, IReadOnlyList<Point> notWritten, WriteFailure? failure, int requests)
    {
        Written = written;
        Rejected = rejected;
        NotWritten = notWritten;
        Failure = failure;
        Requests = requests;
    }

    /// <summary>Points the server acknowledged.</summary>
    public IReadOnlyList<Point> Written { get; }

    /// <summary>Points the server refused, each with the reason; never because it was down.</summary>
    public IReadOnlyList<RejectedPoint> Rejected { get; }

    /// <summary>Points not written because of <see cref="Failure"/>; empty when <see cref="IsComplete"/>.</summary>
    public IReadOnlyList<Point> NotWritten { get; }

    /// <summary>Why the write stopped, or null.</summary>
    public WriteFailure? Failure { get; }

    /// <summary>True when every point was written or rejected.</summary>
    public bool IsComplete => Failure is null;

    /// <summary>HTTP requests sent, retries and splits included.</summary>
    public int Requests { get; }

    /// <summary>Throws <see cref="InfluxWriteException"/> when <see cref="Failure"/> is set.</summary>
    public WriteResult ThrowIfFailed() => Failure is null ? this : throw new InfluxWriteException(Failure, NotWritten.Count);
}

/// <summary>A write that stopped: the server is unavailable, refused the credentials, or has no such database.</summary>
public sealed class InfluxWriteException : Exception
{
    public InfluxWriteException()
        : this("InfluxDB write failed")
    {
    }

    public InfluxWriteException(string message)
        : base(message)
    {
        Failure = new WriteFailure(WriteFailureKind.UnexpectedResponse, message, null, 0);
    }

    public InfluxWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = new WriteFailure(WriteFailureKind.UnexpectedResponse, message, null, 0);
    }

    public InfluxWriteException(WriteFailure failure, int notWritten)
        : base($"{failure?.Message} ({notWritten} point(s) not written)")
    {
        ArgumentNullException.ThrowIfNull(failure);
        Failure = failure;
    }

    /// <summary>The failure.</summary>
    public WriteFailure Failure { get; }
}
