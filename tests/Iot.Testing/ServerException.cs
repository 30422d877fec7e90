namespace Iot.Testing;

/// <summary>
/// A test server could not be found, started, made ready or stopped. The message says what was
/// waited for and ends with the tail of the server's log.
/// </summary>
public sealed class ServerException : Exception
{
    public ServerException()
    {
    }

    public ServerException(string message)
        : base(message)
    {
    }

    public ServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
