namespace Iot.Cloud.Registry;

/// <summary>
/// Registry seed from configuration (<c>Registry:*</c>): gateways registered at start, so a deployment can be brought
/// up from its configuration alone. <c>POST /api/gateways</c> registers more at run time.
/// </summary>
public sealed class RegistryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Registry";

    /// <summary>Gateways to register at start (already registered ones are left as they are).</summary>
    public List<GatewayRegistration> Gateways { get; } = [];
}

/// <summary>A gateway as registered: its id (the MQTT client id and topic level) and a name people know it by.</summary>
public sealed class GatewayRegistration
{
    /// <summary>The gateway id.</summary>
    public string Id { get; set; } = "";

    /// <summary>A name for people, e.g. "Greenhouse 1 shed".</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// Its MQTT password for the embedded broker (set at every start when given; at least 16 characters). Keep it out
    /// of files: pass it as an environment variable, e.g. <c>Registry__Gateways__0__Secret</c>.
    /// </summary>
    public string? Secret { get; set; }
}
