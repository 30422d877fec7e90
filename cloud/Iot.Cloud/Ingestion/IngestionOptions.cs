using System.ComponentModel.DataAnnotations;

namespace Iot.Cloud.Ingestion;

/// <summary>Rules beyond the wire contract and the limits of ingestion: <c>Ingestion:*</c>.</summary>
public sealed class IngestionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ingestion";

    /// <summary>No timestamp from a synchronised clock may lie before this (UTC). Default 2020-01-01.</summary>
    public DateTime EarliestTime { get; set; } = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>How far ahead of the cloud's clock a timestamp from a synchronised clock may lie. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be between 00:00:00 and 1.00:00:00")]
    public TimeSpan MaxAhead { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many (gateway, seq) pairs are remembered to recognise redeliveries. Default 100,000.</summary>
    [Range(1_000, 10_000_000, ErrorMessage = "must be between 1000 and 10000000")]
    public int RememberedMessages { get; set; } = 100_000;

    /// <summary>At most this many refusals are named in one dead letter's reason; the rest are counted. Default 20.</summary>
    [Range(1, 1_000, ErrorMessage = "must be between 1 and 1000")]
    public int NamedRefusals { get; set; } = 20;
}
