using Iot.InfluxDb.LineProtocol;

namespace Iot.InfluxDb.Writing;

/// <summary>Which write API to speak.</summary>
public enum InfluxApiVersion
{
    /// <summary><c>POST /write?db=&amp;rp=&amp;precision=</c>: InfluxDB 1.x, and 2.x/3.x through their v1 compatibility API.</summary>
    V1,

    /// <summary><c>POST /api/v2/write?org=&amp;bucket=&amp;precision=</c> with <c>Authorization: Token …</c>: InfluxDB 1.8+, 2.x, 3.x.</summary>
    V2,
}

/// <summary>Options of <see cref="InfluxWriteClient"/>.</summary>
public sealed class InfluxWriteOptions
{
    /// <summary>The server, e.g. http://127.0.0.1:8086/ (a path prefix is kept).</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>V1 (default) or V2.</summary>
    public InfluxApiVersion ApiVersion { get; init; } = InfluxApiVersion.V1;

    /// <summary>V1: the database (<c>db</c>); required.</summary>
    public string? Database { get; init; }

    /// <summary>V1: the retention policy (<c>rp</c>); null for the database's default.</summary>
    public string? RetentionPolicy { get; init; }

    /// <summary>V2: the organisation (<c>org</c>); required.</summary>
    public string? Organization { get; init; }

    /// <summary>V2: the bucket; required.</summary>
    public string? Bucket { get; init; }

    /// <summary>V2: the API token (required). V1: if set, sent as <c>Authorization: Token …</c> instead of a user name.</summary>
    public string? Token { get; init; }

    /// <summary>V1: user name, with <see cref="Password"/>.</summary>
    public string? Username { get; init; }

    /// <summary>V1: password.</summary>
    public string? Password { get; init; }

    /// <summary>V1: send the user name and password as HTTP basic auth (default) or as <c>u=</c>/<c>p=</c> query arguments.</summary>
    public bool UseBasicAuthentication { get; init; } = true;

    /// <summary>Gzip request bodies (<c>Content-Encoding: gzip</c>). On by default.</summary>
    public bool Gzip { get; init; } = true;

    /// <summary>Lines per request; default 5,000.</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>Timestamp precision on the wire; default nanoseconds.</summary>
    public WritePrecision Precision { get; init; } = WritePrecision.Nanoseconds;

    /// <summary>How long one HTTP request may take, body and answer included; default 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per request body (the first included) while the server is unavailable; default 5.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The longest one request body keeps being retried, from its first failure; no wait goes past it. Default 60 s.</summary>
    public TimeSpan RetryDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The first backoff; doubled each retry (±20 % jitter), never less than the server's Retry-After. Default 0.5 s.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff; default 30 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>"database 'x'" or "bucket 'x' (org 'y')": how errors name the target.</summary>
    public string TargetDescription => ApiVersion == InfluxApiVersion.V1
        ? $"database '{Database}'" + (RetentionPolicy is null ? "" : $" (retention policy '{RetentionPolicy}')")
        : $"bucket '{Bucket}' (org '{Organization}')";

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseUri);
        if (!BaseUri.IsAbsoluteUri)
        {
            throw new ArgumentException($"BaseUri '{BaseUri}' must be absolute", nameof(BaseUri));
        }

        if (ApiVersion == InfluxApiVersion.V1 && string.IsNullOrEmpty(Database))
        {
            throw new ArgumentException("the v1 API needs Database", nameof(Database));
        }

        if (ApiVersion == InfluxApiVersion.V2 && (string.IsNullOrEmpty(Organization) || string.IsNullOrEmpty(Bucket) || string.IsNullOrEmpty(Token)))
        {
            throw new ArgumentException("the v2 API needs Organization, Bucket and Token", nameof(ApiVersion));
        }

        if (Password is not null && Username is null)
        {
            throw new ArgumentException("a Password needs a Username", nameof(Username));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDeadline, TimeSpan.Zero, nameof(RetryDeadline));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialBackoff, TimeSpan.Zero, nameof(InitialBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, InitialBackoff, nameof(MaxBackoff));
    }
}
