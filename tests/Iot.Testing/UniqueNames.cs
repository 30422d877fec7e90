namespace Iot.Testing;

/// <summary>
/// Names no other test uses, so tests can share one server: a database per test, a topic prefix
/// per test, a client id per client.
/// </summary>
public static class UniqueNames
{
    /// <summary>An InfluxDB database name: prefix, underscore, 12 hex digits (letters, digits and '_' only, no quoting needed).</summary>
    public static string Database(string prefix = "test") => $"{Sanitize(prefix, '_')}_{Suffix()}";

    /// <summary>A topic prefix without a trailing slash, e.g. "test/3f2a9c0d1e4b"; topics go below it.</summary>
    public static string TopicPrefix(string prefix = "test") => $"{prefix.Trim('/')}/{Suffix()}";

    /// <summary>An MQTT client id of at most 23 characters (the MQTT 3.1.1 guaranteed length): prefix (cut to 10), '-', 12 hex digits.</summary>
    public static string ClientId(string prefix = "test")
    {
        var head = Sanitize(prefix, '-');
        return $"{head[..Math.Min(head.Length, 10)]}-{Suffix()}";
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..12];

    private static string Sanitize(string prefix, char replacement)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return new string(prefix.Select(c => char.IsAsciiLetterOrDigit(c) || c == replacement ? c : replacement).ToArray());
    }
}
