using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MQTTnet;
using MQTTnet.Exceptions;

namespace Iot.Testing.Mosquitto;

/// <summary>
/// A real Mosquitto 2.0 broker on loopback, in its own temp folder, with persistence on, so a
/// restart keeps persistent sessions and their queued QoS 1 messages.
/// </summary>
/// <remarks>
/// The generated mosquitto.conf: <c>listener PORT 127.0.0.1</c>, allow_anonymous, persistence in
/// the temp folder, log to stderr (the watchdog appends it to <see cref="LocalServer.LogPath"/>),
/// the inflight/queue limits from <see cref="MosquittoOptions"/>, and, when run as root,
/// <c>user root</c> (otherwise Mosquitto switches to the "mosquitto" user and cannot write the
/// temp folder).
/// </remarks>
public sealed class MosquittoServer : LocalServer
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private readonly MosquittoOptions options;
    private readonly MqttClientFactory factory = new();

    private MosquittoServer(string executable, MosquittoOptions options)
        : base("mosquitto", executable, options.StartTimeout, options.StopTimeout, options.WatchedProcessId)
    {
        this.options = options;
        ConfigPath = Path.Combine(DirectoryPath, "mosquitto.conf");
        PersistencePath = Path.Combine(DirectoryPath, "persistence");
        PasswordFilePath = Path.Combine(DirectoryPath, "passwords");
    }

    /// <summary>The address clients connect to.</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>The generated mosquitto.conf.</summary>
    public string ConfigPath { get; }

    /// <summary>The folder holding mosquitto.db.</summary>
    public string PersistencePath { get; }

    /// <summary>The password file, when <see cref="MosquittoOptions.Users"/> is not empty.</summary>
    public string PasswordFilePath { get; }

    private protected override IReadOnlyList<string> Arguments => ["-c", ConfigPath];

    private protected override string ReadinessDescription =>
        string.Create(CultureInfo.InvariantCulture, $"a TCP connection to {Host}:{Port} and an accepted MQTT CONNECT");

    /// <summary>Starts a new mosquitto in a fresh temp folder and waits until it accepts an MQTT connection.</summary>
    /// <exception cref="ServerException">mosquitto is not installed (the message names the Debian package), or did not get ready in time (the message has the log tail).</exception>
    public static async Task<MosquittoServer> StartNewAsync(MosquittoOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MosquittoOptions();
        if (!options.AllowAnonymous && options.Users.Count == 0)
        {
            throw new ArgumentException("AllowAnonymous is false but no Users are given: no client could connect", nameof(options));
        }

        var executable = ServerBinary.Find("mosquitto", "mosquitto", options.ExecutablePath);
        var server = new MosquittoServer(executable, options);
        try
        {
            await server.WritePasswordFileAsync(cancellationToken);
            await server.StartFirstTimeAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Client options aimed at this broker: TCP to <see cref="Host"/>:<see cref="LocalServer.Port"/>,
    /// a 10 s timeout. Add the client id, session and protocol settings the test needs.
    /// </summary>
    public MqttClientOptionsBuilder CreateClientOptionsBuilder() =>
        new MqttClientOptionsBuilder()
            .WithTcpServer(Host, Port)
            .WithTimeout(TimeSpan.FromSeconds(10));

    /// <summary>
    /// Leaves on the broker what the cloud's ingestion keeps there: a persistent session (client id
    /// <c>ingestion-stand-in</c>, kept a day) subscribed at QoS 1 to every gateway's readings and events. With it a
    /// gateway's PUBACK says Success; without any subscriber, MQTT 5 brokers answer "no matching subscribers", which a
    /// gateway rightly does not take as delivered. Mosquitto persists the session across restarts of this server.
    /// </summary>
    public async Task KeepIngestionSessionAsync(string? username = null, string? password = null, CancellationToken cancellationToken = default)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = CreateClientOptionsBuilder()
            .WithClientId("ingestion-stand-in")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(24 * 3600);
        if (username is not null)
        {
            options.WithCredentials(username, password);
        }

        await client.ConnectAsync(options.Build(), cancellationToken).ConfigureAwait(false);
        await client.SubscribeAsync(
            new MqttClientFactory().CreateSubscribeOptionsBuilder()
                .WithTopicFilter("agri/v1/+/readings", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter("agri/v1/+/events", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(),
            cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken).ConfigureAwait(false);
    }

    private protected override void ChoosePorts() => Port = FreePort.Next();

    private protected override void WriteConfiguration()
    {
        Directory.CreateDirectory(PersistencePath);
        var config = new StringBuilder();
        config.AppendLine("# Generated by Iot.Testing for one test broker; see mosquitto.conf(5).");
        if (Environment.UserName == "root")
        {
            config.AppendLine("user root");
        }

        config.AppendLine(CultureInfo.InvariantCulture, $"listener {Port} {Host}");
        config.AppendLine(CultureInfo.InvariantCulture, $"allow_anonymous {(options.AllowAnonymous ? "true" : "false")}");
        if (options.Users.Count > 0)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"password_file {PasswordFilePath}");
        }

        config.AppendLine("persistence true");

        // Mosquitto appends the file name to the location as a string: the trailing slash matters.
        config.AppendLine(CultureInfo.InvariantCulture, $"persistence_location {PersistencePath}/");
        config.AppendLine(CultureInfo.InvariantCulture, $"autosave_interval {(int)options.AutosaveInterval.TotalSeconds}");
        config.AppendLine(CultureInfo.InvariantCulture, $"autosave_on_changes {(options.AutosaveOnChanges ? "true" : "false")}");
        config.AppendLine(CultureInfo.InvariantCulture, $"max_inflight_messages {options.MaxInflightMessages}");
        config.AppendLine(CultureInfo.InvariantCulture, $"max_queued_messages {options.MaxQueuedMessages}");
        config.AppendLine("log_dest stderr");
        config.AppendLine("log_timestamp_format %Y-%m-%dT%H:%M:%S");
        foreach (var line in options.AdditionalConfiguration)
        {
            config.AppendLine(line);
        }

        File.WriteAllText(ConfigPath, config.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    private protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(ProbeTimeout);
        try
        {
            using (var tcp = new TcpClient())
            {
                await tcp.ConnectAsync(IPAddress.Loopback, Port, probe.Token);
            }

            using var client = factory.CreateMqttClient();
            var builder = CreateClientOptionsBuilder()
                .WithClientId(UniqueNames.ClientId("ready"))
                .WithCleanSession(true)
                .WithTimeout(ProbeTimeout);
            if (!options.AllowAnonymous && options.Users.Count > 0)
            {
                var user = options.Users.First();
                builder = builder.WithCredentials(user.Key, user.Value);
            }

            var result = await client.ConnectAsync(builder.Build(), probe.Token);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                return false;
            }

            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), probe.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (MqttCommunicationException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task WritePasswordFileAsync(CancellationToken cancellationToken)
    {
        if (options.Users.Count == 0)
        {
            return;
        }

        var tool = ServerBinary.Find("mosquitto_passwd", "mosquitto", null);
        var create = true;
        foreach (var (user, password) in options.Users)
        {
            var startInfo = new ProcessStartInfo(tool)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (create)
            {
                startInfo.ArgumentList.Add("-c");
            }

            startInfo.ArgumentList.Add("-b");
            startInfo.ArgumentList.Add(PasswordFilePath);
            startInfo.ArgumentList.Add(user);
            startInfo.ArgumentList.Add(password);
            create = false;

            using var process = Process.Start(startInfo) ?? throw new ServerException($"could not start {tool}");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill();
                throw new ServerException($"{tool} did not add user '{user}' within 10 s");
            }

            if (process.ExitCode != 0)
            {
                throw new ServerException($"{tool} failed to add user '{user}' (exit {process.ExitCode}): {await output}{await errors}");
            }
        }
    }
}
