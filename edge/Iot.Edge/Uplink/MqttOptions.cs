using System.ComponentModel.DataAnnotations;

namespace Iot.Edge.Uplink;

/// <summary>Configuration section <c>Mqtt</c>: the broker the gateway publishes to.</summary>
public sealed class MqttOptions
{
    /// <summary>Section name in configuration.</summary>
    public const string Section = "Mqtt";

    /// <summary>Broker host name or address.</summary>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port (1883 plain, 8883 TLS).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>User name, when the broker uses passwords (usually the gateway id).</summary>
    public string? Username { get; set; }

    /// <summary>Password for <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Use TLS.</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM file of the CA that signed the broker's certificate; the system's trust store when empty.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>PEM file of the gateway's client certificate (mutual TLS).</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>PEM file of the client certificate's private key.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>MQTT keep-alive.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline for connecting and for each publish's PUBACK.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the broker keeps the gateway's session (its command subscription) while it is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Messages sent and not yet acknowledged, at most (keep it under the broker's receive maximum).</summary>
    [Range(1, 1000)]
    public int MaxInFlight { get; set; } = 16;

    /// <summary>First reconnect delay's cap; each failure doubles it up to <see cref="ReconnectMax"/>, with full jitter.</summary>
    public TimeSpan ReconnectMin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the retained status is refreshed.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromMinutes(1);
}
