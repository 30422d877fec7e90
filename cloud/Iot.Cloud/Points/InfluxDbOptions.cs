using System.ComponentModel.DataAnnotations;
using Iot.InfluxDb.Writing;

namespace Iot.Cloud.Points;

/// <summary>Where the time series go: <c>InfluxDb:*</c>.</summary>
public sealed class InfluxDbOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "InfluxDb";

    /// <summary>The server, e.g. <c>http://127.0.0.1:8086</c>.</summary>
    [Required]
    public Uri? Url { get; set; } = new("http://127.0.0.1:8086");

    /// <summary><c>V1</c> (InfluxDB 1.x, or 2.x/3.x through v1 compatibility) or <c>V2</c>.</summary>
    public InfluxApiVersion ApiVersion { get; set; } = InfluxApiVersion.V1;

    /// <summary>V1: the database. Created at start if missing (<see cref="CreateDatabase"/>).</summary>
    public string Database { get; set; } = "farm";

    /// <summary>V1: the retention policy; empty for the database's default.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>V1: create <see cref="Database"/> at start if it does not exist. Default true.</summary>
    public bool CreateDatabase { get; set; } = true;

    /// <summary>V2: organisation.</summary>
    public string? Organization { get; set; }

    /// <summary>V2: bucket.</summary>
    public string? Bucket { get; set; }

    /// <summary>V2 token (or a 2.x/3.x token for the v1 API).</summary>
    public string? Token { get; set; }

    /// <summary>V1 user name.</summary>
    public string? Username { get; set; }

    /// <summary>V1 password.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// Gzip request bodies. Default true: it saves most of the bytes across a network; with InfluxDB on the same
    /// machine it only costs CPU, so turn it off there.
    /// </summary>
    public bool Gzip { get; set; } = true;

    /// <summary>Lines per write request. Default 5,000.</summary>
    [Range(1, 100_000, ErrorMessage = "must be between 1 and 100000")]
    public int BatchSize { get; set; } = 5_000;

    /// <summary>How long one batch keeps gathering while messages keep arriving; a batch never waits for messages that are not there. Default 50 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = "must be between 00:00:00.001 and 00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>At most this many messages wait for the writer; more wait unacknowledged at the broker. Default 1,000.</summary>
    [Range(1, 100_000, ErrorMessage = "must be between 1 and 100000")]
    public int MaxQueuedMessages { get; set; } = 1_000;

    /// <summary>Timeout of one write request. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "must be between 00:00:00.100 and 00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between attempts while InfluxDB is unavailable. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "must be between 00:00:00.100 and 00:10:00")]
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Url is { IsAbsoluteUri: true } url && url.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"must be an http or https address, got '{url}'", [nameof(Url)]);
        }

        if (ApiVersion == InfluxApiVersion.V1 && !Iot.Contracts.Identifiers.LocalId.IsValid(Database, "database name", out string? error))
        {
            yield return new ValidationResult(error, [nameof(Database)]);
        }

        if (ApiVersion == InfluxApiVersion.V2)
        {
            foreach (var (value, name) in new[] { (Organization, nameof(Organization)), (Bucket, nameof(Bucket)), (Token, nameof(Token)) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    yield return new ValidationResult("is required with ApiVersion V2", [name]);
                }
            }
        }
    }

    /// <summary>The write client's options.</summary>
    public InfluxWriteOptions ToWriteOptions() => new()
    {
        BaseUri = Url!,
        ApiVersion = ApiVersion,
        Database = Database,
        RetentionPolicy = string.IsNullOrEmpty(RetentionPolicy) ? null : RetentionPolicy,
        Organization = Organization,
        Bucket = Bucket,
        Token = Token,
        Username = Username,
        Password = Password,
        BatchSize = BatchSize,
        Gzip = Gzip,
        Precision = Iot.InfluxDb.LineProtocol.WritePrecision.Nanoseconds,
        RequestTimeout = RequestTimeout,

        // The writer retries for ever itself (nothing acknowledged may be dropped); one write call gives up quickly so
        // the writer can report InfluxDB as down and keep its own, bounded, backoff.
        MaxAttempts = 2,
        RetryDeadline = RequestTimeout * 2,
    };
}
