using System.ComponentModel.DataAnnotations;

namespace Iot.Cloud.History.Rollups;

/// <summary>The hourly rollups: <c>Rollup:*</c>.</summary>
public sealed class RollupOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Rollup";

    /// <summary>How often dirty hours are rolled up and coverage extended. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "must be between 00:00:01 and 01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}
