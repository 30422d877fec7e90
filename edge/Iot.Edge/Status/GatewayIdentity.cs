using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Iot.Contracts.Identifiers;

namespace Iot.Edge.Status;

/// <summary>Configuration section <c>Gateway</c>: who this gateway is.</summary>
public sealed class GatewayOptions : IValidatableObject
{
    /// <summary>Section name in configuration.</summary>
    public const string Section = "Gateway";

    /// <summary>The gateway id: its MQTT client id and the second level of its topics. Registered in the cloud.</summary>
    [Required]
    public string Id { get; set; } = string.Empty;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!LocalId.IsValid(Id, "gateway id", out var error))
        {
            yield return new ValidationResult(error, [nameof(Id)]);
        }
    }

    /// <summary>This build's version, as the status message reports it.</summary>
    public static string Version { get; } =
        typeof(GatewayOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
