namespace Iot.Testing.Mosquitto;

/// <summary>How a <see cref="MosquittoServer"/> is started. Keys are mosquitto.conf(5) of Mosquitto 2.0.</summary>
public sealed class MosquittoOptions
{
    /// <summary>mosquitto to run; null searches PATH and /usr/sbin (Debian package "mosquitto").</summary>
    public string? ExecutablePath { get; init; }

    /// <summary>How long a start may take until an MQTT CONNECT is accepted.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stop waits after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// max_inflight_messages: QoS 1/2 messages the broker sends a client before it must acknowledge
    /// them (0 = no limit; Mosquitto's default is 20). For MQTT 5 clients Mosquitto also announces it
    /// as Receive Maximum in CONNACK, which bounds the client's own unacknowledged publishes.
    /// The default 1000 lets a consumer that acknowledges only after storing hold a whole batch open;
    /// with 20 it could never batch more than 20 messages.
    /// </summary>
    public int MaxInflightMessages { get; init; } = 1000;

    /// <summary>
    /// max_queued_messages: QoS 1/2 messages queued per client above those in flight, e.g. for a
    /// persistent subscriber that is offline. Beyond it Mosquitto drops messages silently (it only
    /// logs). Mosquitto's default is 1000; 100000 keeps tests that queue a lot honest.
    /// </summary>
    public int MaxQueuedMessages { get; init; } = 100_000;

    /// <summary>
    /// autosave_interval: how often the in-memory state (sessions, queued messages, retained
    /// messages) is written to mosquitto.db. It is always written on a clean stop (SIGTERM);
    /// after SIGKILL everything since the last save is lost. Mosquitto's default is 30 minutes.
    /// </summary>
    public TimeSpan AutosaveInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>autosave_on_changes: count changes instead of seconds for <see cref="AutosaveInterval"/>.</summary>
    public bool AutosaveOnChanges { get; init; }

    /// <summary>allow_anonymous: clients without a user name may connect.</summary>
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>Users for a password_file (made with mosquitto_passwd), user name to password; empty for none.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>Lines appended to the generated mosquitto.conf as they are (e.g. an acl_file line).</summary>
    public IReadOnlyList<string> AdditionalConfiguration { get; init; } = [];

    /// <summary>The pid whose death stops the server; the test host unless a test of the watchdog says otherwise.</summary>
    internal int? WatchedProcessId { get; init; }
}
