using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Iot.Testing;
using Iot.Testing.InfluxDb;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Iot.Cloud.DeadLetters;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Iot.Cloud.Tests;

/// <summary>
/// The cloud service in this process, wired exactly as <c>iot-cloud</c> runs (its own <c>Program</c>), with its
/// embedded broker on a free loopback port, a real influxd database of its own and its SQLite file in a temp folder.
/// HTTP goes through the in-memory test server, or, for a browser, Kestrel on a free loopback port
/// (<see cref="StartAsync"/> with <c>listen</c>); MQTT through real TCP.
/// </summary>
public sealed class CloudRig : IAsyncDisposable
{
    readonly WebApplicationFactory<Program> _factory;

    CloudRig(WebApplicationFactory<Program> factory, InfluxDbServer influx, string database, string folder, int brokerPort)
    {
        _factory = factory;
        Influx = influx;
        Database = database;
        Folder = folder;
        BrokerPort = brokerPort;
        Http = factory.CreateClient();
    }

    public InfluxDbServer Influx { get; }

    public string Database { get; }

    public string Folder { get; }

    public int BrokerPort { get; }

    public HttpClient Http { get; }

    /// <summary>Where a browser reaches the service (only when started with <c>listen</c>; otherwise the test server's placeholder).</summary>
    public Uri BaseAddress => Http.BaseAddress!;

    public IServiceProvider Services => _factory.Services;

    /// <summary>A client of the same server that shows redirects instead of following them.</summary>
    public HttpClient CreateClientWithoutRedirects() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Starts the cloud against <paramref name="influx"/> with <paramref name="gateways"/> registered and <paramref name="settings"/> on top.</summary>
    public static async Task<CloudRig> StartAsync(InfluxDbServer influx, IEnumerable<string> gateways, IDictionary<string, string>? settings = null, bool listen = false)
    {
        string database = UniqueNames.Database("cloud");
        string folder = Directory.CreateTempSubdirectory("iot-cloud-test-").FullName;
        int brokerPort = FreePort.Next();
        var all = new Dictionary<string, string>
        {
            ["Broker:Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
            ["InfluxDb:Url"] = influx.BaseUri.ToString(),
            ["InfluxDb:Database"] = database,
            ["InfluxDb:FlushInterval"] = "00:00:00.020",
            ["Storage:Path"] = Path.Combine(folder, "cloud.db"),
        };
        int i = 0;
        foreach (string gateway in gateways)
        {
            all[$"Registry:Gateways:{i++}:Id"] = gateway;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in all)
            {
                web.UseSetting(key, value);
            }
        });
        if (listen)
        {
            int httpPort = FreePort.Next();
            factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, httpPort));
            factory.StartServer();
        }

        var rig = new CloudRig(factory, influx, database, folder, brokerPort);
        await rig.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return rig;
    }

    public async Task WaitUntilReadyAsync(TimeSpan deadline)
    {
        string last = "";
        await Eventually.TrueAsync(() =>
        {
            using var response = Http.GetAsync(new Uri("/healthz/ready", UriKind.Relative)).GetAwaiter().GetResult();
            last = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }, deadline, () => $"the cloud to be ready; /healthz/ready said {last}");
    }

    /// <summary>An MQTT 5 client connected to the embedded broker as <paramref name="clientId"/>.</summary>
    public async Task<IMqttClient> ConnectAsync(string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", BrokerPort)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(60))
            .Build());
        return client;
    }

    /// <summary>Runs an InfluxQL query on the rig's database and returns the first series' rows (column name to value).</summary>
    public async Task<List<Dictionary<string, JsonElement>>> QueryAsync(string influxQl)
    {
        using var document = await Influx.QueryAsync(Database, influxQl);
        var rows = new List<Dictionary<string, JsonElement>>();
        var result = document.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"InfluxQL error: {error}");
        }

        if (!result.TryGetProperty("series", out var series))
        {
            return rows;
        }

        foreach (var s in series.EnumerateArray())
        {
            var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
            foreach (var row in s.GetProperty("values").EnumerateArray())
            {
                var values = row.EnumerateArray().ToList();
                var dict = new Dictionary<string, JsonElement>();
                for (int c = 0; c < columns.Count; c++)
                {
                    dict[columns[c]] = values[c].Clone();
                }

                if (s.TryGetProperty("tags", out var tags))
                {
                    foreach (var tag in tags.EnumerateObject())
                    {
                        dict[tag.Name] = tag.Value.Clone();
                    }
                }

                rows.Add(dict);
            }
        }

        return rows;
    }

    /// <summary>How many points the measurement holds (counting the always-present <c>quality</c> or <c>json</c> field).</summary>
    public async Task<long> CountAsync(string measurement, string field = "quality")
    {
        var rows = await QueryAsync($"SELECT COUNT(\"{field}\") FROM \"{measurement}\"");
        return rows.Count == 0 ? 0 : rows[0]["count"].GetInt64();
    }

    /// <summary>Publishes <paramref name="payload"/> on <paramref name="topic"/> at QoS 1 and returns the PUBACK.</summary>
    public static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
    }

    /// <summary><c>GET /api/dead-letters</c> with <paramref name="query"/> (e.g. <c>?reason=time&amp;limit=5</c>).</summary>
    public async Task<List<DeadLetterView>> DeadLettersAsync(string query = "") =>
        await GetJsonAsync<List<DeadLetterView>>("/api/dead-letters" + query) ?? [];

    /// <summary>The value of one sample in <c>/metrics</c>, e.g. <c>iot_ingest_refusals_total{reason="time"}</c>; 0 when absent.</summary>
    public async Task<double> MetricAsync(string sample)
    {
        string text = await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(sample + " ", StringComparison.Ordinal))
            {
                return double.Parse(line.AsSpan(sample.Length + 1), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public async Task<T?> GetJsonAsync<T>(string path) => await Http.GetFromJsonAsync<T>(new Uri(path, UriKind.Relative));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
