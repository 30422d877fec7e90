using System.ComponentModel.DataAnnotations;

namespace Iot.Cloud.Storage;

/// <summary>Where the cloud keeps its own records (registry, dead letters): <c>Storage:*</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Storage";

    /// <summary>The SQLite file; its folder is created if missing.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "var/cloud.db";
}
