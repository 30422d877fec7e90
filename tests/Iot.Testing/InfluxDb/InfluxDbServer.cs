using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Iot.Testing.InfluxDb;

/// <summary>
/// A real InfluxDB 1.x (<c>influxd</c>) on loopback, in its own temp folder, for one test class,
/// collection, or test.
/// </summary>
/// <remarks>
/// The generated config (keys from the Debian package's /etc/influxdb/influxdb.conf, InfluxDB 1.6):
/// HTTP on 127.0.0.1:<see cref="LocalServer.Port"/>, the backup/restore RPC service on
/// 127.0.0.1:<see cref="RpcPort"/> (default :8088 would collide between instances), the ifql RPC
/// service off (default :8082), no usage reporting, no self-monitoring database, no auth, no HTTP
/// request or query logs. meta, data and wal live in the temp folder.
/// </remarks>
public sealed class InfluxDbServer : LocalServer
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private readonly InfluxDbOptions options;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private InfluxDbServer(string executable, InfluxDbOptions options)
        : base("influxd", executable, options.StartTimeout, options.StopTimeout, options.WatchedProcessId)
    {
        this.options = options;
        ConfigPath = Path.Combine(DirectoryPath, "influxdb.conf");
    }

    /// <summary>http://127.0.0.1:port/ — the v1 HTTP API (/ping, /write, /query).</summary>
    public Uri BaseUri => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary>The backup/restore RPC port, moved off the default 8088.</summary>
    public int RpcPort { get; private set; }

    /// <summary>The generated influxdb.conf.</summary>
    public string ConfigPath { get; }

    private protected override IReadOnlyList<string> Arguments => ["-config", ConfigPath];

    private protected override string ReadinessDescription => $"GET {BaseUri}ping to answer 204";

    /// <summary>Starts a new influxd in a fresh temp folder and waits until it answers /ping.</summary>
    /// <exception cref="ServerException">influxd is not installed (the message names the Debian package), or did not get ready in time (the message has the log tail).</exception>
    public static async Task<InfluxDbServer> StartNewAsync(InfluxDbOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new InfluxDbOptions();
        var executable = ServerBinary.Find("influxd", "influxdb", options.ExecutablePath);
        var server = new InfluxDbServer(executable, options);
        try
        {
            await server.StartFirstTimeAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>CREATE DATABASE "<paramref name="database"/>" (POST /query). Creating an existing database is not an error.</summary>
    public async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        using var document = await PostQueryAsync($"CREATE DATABASE {QuoteIdentifier(database)}", cancellationToken);
    }

    /// <summary>Creates a database with a name no other test uses (see <see cref="UniqueNames.Database"/>) and returns the name.</summary>
    public async Task<string> CreateUniqueDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var database = UniqueNames.Database(prefix);
        await CreateDatabaseAsync(database, cancellationToken);
        return database;
    }

    /// <summary>
    /// Runs a read-only InfluxQL query (GET /query, timestamps as epoch milliseconds) and returns
    /// the response body. Throws when the HTTP status is not 2xx or a statement reports an error.
    /// </summary>
    public async Task<JsonDocument> QueryAsync(string database, string influxQl, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(BaseUri, "query?" + FormEncode(("db", database), ("q", influxQl), ("epoch", "ms")));
        using var response = await http.GetAsync(uri, cancellationToken);
        return await ReadQueryResponseAsync(response, influxQl, cancellationToken);
    }

    /// <summary>Quotes an InfluxQL identifier: "name", with \ and " escaped.</summary>
    public static string QuoteIdentifier(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return "\"" + identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private protected override async ValueTask DisposeAsyncCore()
    {
        try
        {
            await base.DisposeAsyncCore();
        }
        finally
        {
            http.Dispose();
        }
    }

    private protected override void ChoosePorts()
    {
        Port = FreePort.Next();
        RpcPort = FreePort.Next();
    }

    private protected override void WriteConfiguration()
    {
        var config = $"""
            # Generated by Iot.Testing for one test server; keys as in /etc/influxdb/influxdb.conf (1.6).
            reporting-enabled = false
            bind-address = "127.0.0.1:{RpcPort}"

            [meta]
              dir = {TomlString(Path.Combine(DirectoryPath, "meta"))}
              logging-enabled = false

            [data]
              dir = {TomlString(Path.Combine(DirectoryPath, "data"))}
              wal-dir = {TomlString(Path.Combine(DirectoryPath, "wal"))}
              query-log-enabled = false

            [monitor]
              store-enabled = false

            [http]
              enabled = true
              bind-address = "127.0.0.1:{Port}"
              auth-enabled = false
              log-enabled = false

            [ifql]
              enabled = false

            [continuous_queries]
              log-enabled = false

            [logging]
              level = {TomlString(options.LogLevel)}
              suppress-logo = true
            """;
        File.WriteAllText(ConfigPath, config.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    private protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(ProbeTimeout);
        try
        {
            using var response = await http.GetAsync(new Uri(BaseUri, "ping"), probe.Token);
            return response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string TomlString(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string FormEncode(params (string Name, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"));

    private async Task<JsonDocument> PostQueryAsync(string influxQl, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", influxQl)]);
        using var response = await http.PostAsync(new Uri(BaseUri, "query"), content, cancellationToken);
        return await ReadQueryResponseAsync(response, influxQl, cancellationToken);
    }

    private async Task<JsonDocument> ReadQueryResponseAsync(HttpResponseMessage response, string influxQl, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure($"{Name} answered {(int)response.StatusCode} to '{influxQl}': {body}");
        }

        var document = JsonDocument.Parse(body);
        foreach (var result in document.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                document.Dispose();
                throw Failure($"{Name} reported an error for '{influxQl}': {error.GetString()}");
            }
        }

        return document;
    }
}
