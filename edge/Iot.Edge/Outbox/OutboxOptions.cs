using System.ComponentModel.DataAnnotations;

namespace Iot.Edge.Outbox;

/// <summary>Configuration section <c>Outbox</c>: where readings wait while the network is down, and how much may wait.</summary>
public sealed class OutboxOptions
{
    /// <summary>Section name in configuration.</summary>
    public const string Section = "Outbox";

    /// <summary>The SQLite file. Relative paths are relative to the working directory.</summary>
    [Required]
    public string Path { get; set; } = "var/outbox.db";

    /// <summary>
    /// Most payload bytes the outbox holds. When full, the oldest plain readings are dropped (and counted); trace events
    /// and command results are never dropped, even if that takes the outbox over this bound.
    /// </summary>
    [Range(64 * 1024, long.MaxValue)]
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;
}
