using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Iot.Contracts.Messages;
using Iot.Contracts.Validation;
using Iot.Edge.Outbox;
using Iot.Testing;
using Iot.Testing.InfluxDb;
using Iot.Testing.Processes;
using Microsoft.Data.Sqlite;

namespace Iot.Cloud.Tests.EndToEnd;

/// <summary>
/// The real <c>iot-cloud</c> as a child process: its own HTTP port, its own SQLite file, and the same command line for
/// every (re)start, so a restart after kill -9 finds the same broker port, client id and storage.
/// </summary>
public sealed class CloudProcess : IDisposable
{
    readonly string _folder;
    readonly string[] _args;
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    readonly StringBuilder _earlierOutput = new();
    AppProcess _process;

    CloudProcess(string folder, string[] args, int httpPort, int brokerPort)
    {
        _folder = folder;
        _args = args;
        HttpPort = httpPort;
        BrokerPort = brokerPort;
        _http.BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/");
        _process = AppProcess.Start("iot-cloud", folder, args);
    }

    /// <summary>The HTTP port (health, API).</summary>
    public int HttpPort { get; }

    /// <summary>Embedded: the port gateways connect to; External: the broker's port.</summary>
    public int BrokerPort { get; }

    /// <summary>How many times it was started.</summary>
    public int Starts { get; private set; } = 1;

    /// <summary>What every run so far wrote, oldest first.</summary>
    public string Output => _earlierOutput + _process.Output;

    /// <summary>What the current run wrote.</summary>
    public string CurrentOutput => _process.Output;

    /// <summary>
    /// Starts the cloud in <paramref name="folder"/> writing to <paramref name="database"/> on <paramref name="influx"/>,
    /// taking traffic from <paramref name="gatewayId"/>: with its embedded broker on a free port, or (when
    /// <paramref name="externalBrokerPort"/> is given) through a shared subscription on that broker.
    /// </summary>
    public static CloudProcess Start(string folder, InfluxDbServer influx, string database, string gatewayId, int? externalBrokerPort = null, params string[] extra)
    {
        int httpPort = FreePort.Next();
        int brokerPort = externalBrokerPort ?? FreePort.Next();
        var args = new List<string>
        {
            $"--Urls=http://127.0.0.1:{httpPort}",
            $"--Broker:Mode={(externalBrokerPort is null ? "Embedded" : "External")}",
            "--Broker:Host=127.0.0.1",
            string.Create(CultureInfo.InvariantCulture, $"--Broker:Port={brokerPort}"),
            "--Broker:ClientId=ingest-e2e",
            $"--InfluxDb:Url={influx.BaseUri}",
            $"--InfluxDb:Database={database}",
            $"--Storage:Path={Path.Combine(folder, "cloud.db")}",
            $"--Registry:Gateways:0:Id={gatewayId}",
            "--Logging:LogLevel:Default=Information",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
            "--Logging:LogLevel:System.Net.Http.HttpClient=Warning",
        };
        args.AddRange(extra);
        return new CloudProcess(folder, [.. args], httpPort, brokerPort);
    }

    /// <summary>GET /healthz/ready: the status code and the body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> ReadinessAsync()
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("healthz/ready", UriKind.Relative));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e)
        {
            return (0, e.Message);
        }
        catch (TaskCanceledException e)
        {
            return (0, e.Message);
        }
    }

    /// <summary>The status (<c>Healthy</c>, <c>Unhealthy</c>) /healthz/ready gives the check <paramref name="name"/>, from its JSON body.</summary>
    public static string? CheckStatus(string body, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty("checks").TryGetProperty(name, out var check)
                ? check.GetProperty("status").GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Waits until /healthz/ready answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan deadline)
    {
        string last = "";
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"iot-cloud exited with {_process.ExitCode} before it was ready:\n{CurrentOutput}");
            }

            var (status, body) = await ReadinessAsync();
            if (status == HttpStatusCode.OK)
            {
                return;
            }

            last = $"{(int)status} {body}";
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"iot-cloud was not ready within {deadline.TotalSeconds} s; /healthz/ready said {last}\n{CurrentOutput}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The dead letters the cloud holds (GET /api/dead-letters), as JSON.</summary>
    public async Task<string> DeadLettersAsync() => await _http.GetStringAsync(new Uri("api/dead-letters", UriKind.Relative));

    /// <summary>The body of <c>GET /api/gateways/{id}/status</c> (a problem document while there is none).</summary>
    public async Task<string> GatewayStatusAsync(string gatewayId)
    {
        using var response = await _http.GetAsync(new Uri($"api/gateways/{gatewayId}/status", UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>SIGKILL: no goodbye, no flush, no PUBACK for what it holds.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM and a clean exit; returns the exit code.</summary>
    public Task<int> StopAsync(TimeSpan deadline) => _process.StopAsync(deadline);

    /// <summary>Starts it again, with the same command line, after it exited.</summary>
    public void Restart()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException("iot-cloud still runs");
        }

        _earlierOutput.Append(_process.Output).AppendLine("---- restart ----");
        _process.Dispose();
        _process = AppProcess.Start("iot-cloud", _folder, _args);
        Starts++;
    }

    public void Dispose()
    {
        _process.Dispose();
        _http.Dispose();
    }
}

/// <summary>One message the gateway stored in its outbox (and so will send): its sequence number, topic and bytes.</summary>
public sealed record SentMessage(long Seq, string Topic, byte[] Payload);

/// <summary>
/// The real <c>iot-gateway</c> as a child process on simulated hardware, sampling fast (two sensors, five quantities,
/// about 200 readings a second). What it sends is recorded by a trigger in its own outbox file: every message it stores
/// is copied, in the same transaction, to a table it never touches, so the test knows exactly what was published even
/// after the outbox deleted the acknowledged ones.
/// </summary>
public sealed class GatewayProcess : IDisposable
{
    /// <summary>The batch stamped on the gateway's one zone (a valid trace code).</summary>
    public const string Batch = Messages.Batch;

    readonly string _folder;
    readonly string[] _args;
    AppProcess _process;

    GatewayProcess(string folder, string outbox, string[] args)
    {
        _folder = folder;
        OutboxPath = outbox;
        _args = args;
        _process = AppProcess.Start("iot-gateway", folder, args);
    }

    /// <summary>The gateway's outbox file.</summary>
    public string OutboxPath { get; }

    /// <summary>What it wrote so far.</summary>
    public string Output => _process.Output;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts gateway <paramref name="gatewayId"/> in <paramref name="folder"/>, publishing to the broker on <paramref name="brokerPort"/>.</summary>
    public static GatewayProcess Start(string folder, string gatewayId, int brokerPort)
    {
        string outbox = Path.Combine(folder, "outbox.db");
        InstallRecorder(outbox, gatewayId);
        string[] args = GatewaySite.Fast(gatewayId, brokerPort, outbox, Batch);
        return new GatewayProcess(folder, outbox, args);
    }

    /// <summary>
    /// Creates the outbox with the gateway's own code, then adds the recorder: a table and an insert trigger. The
    /// gateway only ever inserts into and deletes from <c>outbox</c>, so the recording is complete and untouched.
    /// </summary>
    static void InstallRecorder(string outbox, string gatewayId)
    {
        SqliteOutbox.Open(outbox, gatewayId, 256L * 1024 * 1024).Dispose();
        using var db = Open(outbox, readOnly: false);
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            CREATE TABLE sent (seq INTEGER PRIMARY KEY, topic TEXT NOT NULL, payload BLOB NOT NULL);
            CREATE TRIGGER record_sent AFTER INSERT ON outbox
            BEGIN
                INSERT INTO sent (seq, topic, payload) VALUES (new.seq, new.topic, new.payload);
            END;
            """;
        cmd.ExecuteNonQuery();
    }

    static SqliteConnection Open(string path, bool readOnly)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        db.Open();
        using var busy = db.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout=10000;";
        busy.ExecuteNonQuery();
        return db;
    }

    /// <summary>Every message the gateway stored so far (so sent, or will send), in sequence order.</summary>
    public List<SentMessage> Sent()
    {
        using var db = Open(OutboxPath, readOnly: true);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT seq, topic, payload FROM sent ORDER BY seq";
        using var reader = cmd.ExecuteReader();
        var list = new List<SentMessage>();
        while (reader.Read())
        {
            list.Add(new SentMessage(reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        }

        return list;
    }

    /// <summary>The sequence numbers still in the outbox: stored and not yet acknowledged by the broker.</summary>
    public List<long> Waiting()
    {
        using var db = Open(OutboxPath, readOnly: true);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT seq FROM outbox ORDER BY seq";
        using var reader = cmd.ExecuteReader();
        var list = new List<long>();
        while (reader.Read())
        {
            list.Add(reader.GetInt64(0));
        }

        return list;
    }

    /// <summary>The highest sequence number stored so far (0 before the first).</summary>
    public long LastSeq()
    {
        using var db = Open(OutboxPath, readOnly: true);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM sent";
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>Waits until <paramref name="messages"/> more messages were stored than now.</summary>
    public async Task WaitForMoreAsync(int messages, TimeSpan deadline)
    {
        int target = Sent().Count + messages;
        await Eventually.TrueAsync(() => HasExited || Sent().Count >= target, deadline, () => $"the gateway to store {messages} more messages");
        Assert.False(HasExited, $"the gateway exited:\n{Output}");
    }

    /// <summary>
    /// SIGTERM once the outbox is (almost) empty, so the drain on the way out has little to do; asserts clean exits
    /// and, after at most two more starts for what the drain could not send in time, an empty outbox: every stored
    /// message was acknowledged.
    /// </summary>
    public async Task StopDrainedAsync(TimeSpan deadline)
    {
        await Eventually.TrueAsync(() => HasExited || Waiting().Count < 50, deadline, () => $"the gateway's outbox to drain (now {Waiting().Count} waiting)");
        Assert.False(HasExited, $"the gateway exited:\n{Output}");
        int code = await _process.StopAsync(deadline);
        Assert.True(code == 0, $"the gateway exited with {code}:\n{Output}");

        // The drain on the way out has Mqtt:Timeout; on a loaded machine a last PUBACK (held until InfluxDB stored the
        // points) can miss it. What was not acknowledged then waits in the outbox: the gateway's next start sends it,
        // so start it again (at most twice) until the outbox is empty.
        for (int again = 0; again < 2 && Waiting().Count > 0; again++)
        {
            Restart();
            await Eventually.TrueAsync(() => HasExited || Waiting().Count == 0, deadline, () => $"the restarted gateway to send the {Waiting().Count} messages left");
            code = await _process.StopAsync(deadline);
            Assert.True(code == 0, $"the gateway exited with {code}:\n{Output}");
        }

        var left = Waiting();
        Assert.True(left.Count == 0, $"{left.Count} messages were never acknowledged (first seq {left.FirstOrDefault()}):\n{Output}");
    }

    /// <summary>Starts it again with the same outbox (and recorder) after it exited.</summary>
    public void Restart()
    {
        _process.Dispose();
        _process = AppProcess.Start("iot-gateway", _folder, _args);
    }

    public void Dispose() => _process.Dispose();
}

/// <summary>What the readings of the sent messages must have become in InfluxDB, and what InfluxDB holds.</summary>
public static class StoredPoints
{
    /// <summary>
    /// The point each reading of <paramref name="sent"/> makes, as "measurement,tags time-ms", with the seq of its
    /// message. Asserts that no two readings make the same point (else a lost one could hide behind a duplicate).
    /// </summary>
    public static Dictionary<string, long> Expected(IEnumerable<SentMessage> sent)
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var message in sent)
        {
            var read = ContractReader.Read(message.Topic, message.Payload);
            if (read.Message is EventsMessage events)
            {
                // The batchEntered events a gateway announces at first start: one trace_event point each.
                Assert.Equal(message.Seq, events.Seq);
                foreach (var traceEvent in events.Events)
                {
                    string stamp = string.Join(',', traceEvent.TraceCodes.Order(StringComparer.Ordinal));
                    long at = new DateTimeOffset(DateTime.SpecifyKind(traceEvent.Time, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
                    string eventKey = Key("trace_event", events.GatewayId, traceEvent.Zone, "", stamp, at);
                    Assert.True(expected.TryAdd(eventKey, events.Seq), $"two events make the point {eventKey}");
                }

                continue;
            }

            var readings = Assert.IsType<ReadingsMessage>(read.Message);
            Assert.Equal(message.Seq, readings.Seq);
            foreach (var reading in readings.Readings)
            {
                string batch = string.Join(',', reading.TraceCodes.Order(StringComparer.Ordinal));
                long ms = new DateTimeOffset(DateTime.SpecifyKind(reading.Time, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
                string key = Key(reading.Type.ToString(), readings.GatewayId, reading.Zone, reading.SensorId, batch, ms);
                Assert.True(expected.TryAdd(key, readings.Seq), $"two readings make the point {key}");
            }
        }

        return expected;
    }

    /// <summary>Every point in <paramref name="database"/>, keyed like <see cref="Expected"/>, with its <c>seq</c> field.</summary>
    public static async Task<Dictionary<string, long>> ReadAsync(InfluxDbServer influx, string database)
    {
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        var measurements = new List<string>();
        using (var document = await influx.QueryAsync(database, "SHOW MEASUREMENTS"))
        {
            if (document.RootElement.GetProperty("results")[0].TryGetProperty("series", out var series))
            {
                measurements.AddRange(series[0].GetProperty("values").EnumerateArray().Select(v => v[0].GetString()!));
            }
        }

        foreach (string measurement in measurements)
        {
            using var document = await influx.QueryAsync(database, $"SELECT \"seq\", \"quality\" FROM {InfluxDbServer.QuoteIdentifier(measurement)} GROUP BY *");
            if (!document.RootElement.GetProperty("results")[0].TryGetProperty("series", out var series))
            {
                continue;
            }

            foreach (var s in series.EnumerateArray())
            {
                var tags = s.GetProperty("tags");
                string Tag(string name) => tags.TryGetProperty(name, out var t) ? t.GetString() ?? "" : "";
                foreach (var row in s.GetProperty("values").EnumerateArray())
                {
                    string key = Key(measurement, Tag("gateway"), Tag("zone"), Tag("sensor"), Tag("batch"), row[0].GetInt64());
                    Assert.True(stored.TryAdd(key, row[1].ValueKind == JsonValueKind.Number ? row[1].GetInt64() : -1), $"InfluxDB returned {key} twice");
                }
            }
        }

        return stored;
    }

    /// <summary>How many points <paramref name="database"/> holds, all measurements together.</summary>
    public static async Task<long> CountAsync(InfluxDbServer influx, string database)
    {
        using var document = await influx.QueryAsync(database, "SELECT COUNT(\"quality\") FROM /.*/");
        long total = 0;
        if (document.RootElement.GetProperty("results")[0].TryGetProperty("series", out var series))
        {
            foreach (var s in series.EnumerateArray())
            {
                total += s.GetProperty("values")[0][1].GetInt64();
            }
        }

        return total;
    }

    /// <summary>
    /// Asserts InfluxDB holds exactly the points of <paramref name="sent"/>: the same set of (measurement, tags, time),
    /// so as many as readings sent, none missing, none extra (a duplicate at another time would be an extra), each
    /// with the seq of the message it came in.
    /// </summary>
    public static void AssertExactly(IReadOnlyList<SentMessage> sent, Dictionary<string, long> stored, Func<string> context)
    {
        var expected = Expected(sent);
        int readings = sent.Sum(m => ContractReader.Read(m.Topic, m.Payload).Message switch
        {
            ReadingsMessage r => r.Readings.Count,
            EventsMessage e => e.Events.Count,
            _ => 0,
        });
        Assert.Equal(readings, expected.Count);
        var missing = expected.Keys.Where(k => !stored.ContainsKey(k)).ToList();
        var extra = stored.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var wrongSeq = expected.Where(e => stored.TryGetValue(e.Key, out long seq) && seq != e.Value).Select(e => $"{e.Key} seq {stored[e.Key]} (sent in {e.Value})").ToList();
        if (missing.Count > 0 || extra.Count > 0 || wrongSeq.Count > 0 || stored.Count != expected.Count)
        {
            var perSeries = expected.Keys.Select(Series).GroupBy(s => s).Select(g =>
                $"{g.Key}: sent {g.Count()}, stored {stored.Keys.Count(k => Series(k) == g.Key)}");
            Assert.Fail($"""
                {sent.Count} messages with {expected.Count} readings were sent; InfluxDB holds {stored.Count} points.
                missing {missing.Count}: {string.Join("; ", missing.Take(5))}
                extra {extra.Count}: {string.Join("; ", extra.Take(5))}
                wrong seq {wrongSeq.Count}: {string.Join("; ", wrongSeq.Take(5))}
                per series: {string.Join("; ", perSeries)}
                messages with a missing reading: {Ranges(missing.Select(k => expected[k]))}
                {context()}
                """);
        }
    }

    /// <summary>Sequence numbers as ranges, e.g. "3-7, 12".</summary>
    static string Ranges(IEnumerable<long> seqs)
    {
        var sorted = seqs.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            parts.Add(i == j ? sorted[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{sorted[i]}-{sorted[j]}"));
            i = j + 1;
        }

        return string.Join(", ", parts);
    }

    static string Key(string measurement, string gateway, string zone, string sensor, string batch, long ms) =>
        string.Create(CultureInfo.InvariantCulture, $"{measurement},gateway={gateway},zone={zone},sensor={sensor},batch={batch} {ms}");

    static string Series(string key) => key[..key.LastIndexOf(' ')];
}
