using System.ComponentModel.DataAnnotations;

namespace Iot.Cloud.Broker;

/// <summary>Which broker the gateways publish to, and how ingestion takes their messages from it.</summary>
public enum BrokerMode
{
    /// <summary>An MQTTnet server inside this process (one machine). PUBACKs wait for the points to be stored.</summary>
    Embedded,

    /// <summary>An external broker (Mosquitto, EMQX); ingestion holds a shared subscription and acknowledges after storing.</summary>
    External,
}

/// <summary>The broker: <c>Broker:*</c>.</summary>
public sealed class BrokerOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Broker";

    /// <summary><c>Embedded</c> (default) or <c>External</c>.</summary>
    public BrokerMode Mode { get; set; } = BrokerMode.Embedded;

    /// <summary>Embedded: the address to listen on; External: the broker's host. Default 127.0.0.1.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Embedded: the port to listen on; External: the broker's port. Default 1883.</summary>
    [Range(1, 65535, ErrorMessage = "must be between 1 and 65535")]
    public int Port { get; set; } = 1883;

    /// <summary>
    /// Embedded: only registered gateways with a secret may connect, as themselves (see <see cref="GatewayLogin"/>).
    /// Default false, for a broker on loopback; turn it on wherever the broker's port is reachable from a network.
    /// </summary>
    public bool RequireCredentials { get; set; }

    /// <summary>External: the client id of this ingestion instance (unique per instance; its session is persistent).</summary>
    public string ClientId { get; set; } = "iot-cloud-ingest";

    /// <summary>External: the shared-subscription group the instances split the traffic in.</summary>
    public string ShareGroup { get; set; } = "ingest";

    /// <summary>External: user name.</summary>
    public string? Username { get; set; }

    /// <summary>External: password.</summary>
    public string? Password { get; set; }

    /// <summary>External: messages received and not yet acknowledged, at most (MQTT 5 receive maximum). Default 1,000.</summary>
    [Range(1, 65535, ErrorMessage = "must be between 1 and 65535")]
    public int MaxInFlight { get; set; } = 1_000;

    /// <summary>External: how long the broker keeps the session (and queues messages) while ingestion is away. Default 7 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "49710.00:00:00", ErrorMessage = "must be between 00:00:00 and 49710.00:00:00")]
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == BrokerMode.External)
        {
            if (!Iot.Contracts.Identifiers.LocalId.IsValid(ClientId, "client id", out string? error))
            {
                yield return new ValidationResult(error, [nameof(ClientId)]);
            }

            if (!Iot.Contracts.Identifiers.LocalId.IsValid(ShareGroup, "share group", out error))
            {
                yield return new ValidationResult(error, [nameof(ShareGroup)]);
            }
        }
    }
}
