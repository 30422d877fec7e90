using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Iot.Cloud.Points;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;
using Iot.Contracts.Validation;
using Iot.InfluxDb.LineProtocol;
using Iot.Testing;
using Iot.Testing.InfluxDb;
using Iot.Testing.Mosquitto;
using Iot.Testing.Processes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Iot.Bench.Ingest;

/// <summary>
/// <c>./iot bench ingest [--quick]</c>: readings per second end to end (simulated gateways publishing contract messages
/// through Mosquitto to the real cloud process, counted in InfluxDB) against the same points written to the same influxd
/// as raw line protocol over HTTP in batches of 5,000. Last line: <c>ingest: e2e/s=N raw/s=M ratio=R</c>.
/// </summary>
internal static class IngestBench
{
    const int Gateways = 4;
    const int SensorsPerGateway = 20;
    const int ReadingsPerMessage = 500;
    const int InFlightPerGateway = 16;
    const int RawBatch = 5_000;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        bool quick = args.Contains("--quick");
        int messagesPerGateway = quick ? 30 : 150;
        Say(output, $"machine: {Environment.ProcessorCount} CPUs, load average {Figures.LoadAverage()}");

        await using var influx = await InfluxDbServer.StartNewAsync(cancellationToken: ct);
        await using var broker = await MosquittoServer.StartNewAsync(new MosquittoOptions
        {
            AdditionalConfiguration = ["set_tcp_nodelay true"],
            MaxInflightMessages = 1000,
            MaxQueuedMessages = 1_000_000,
        }, ct);
        Say(output, $"influxd on 127.0.0.1:{influx.Port}, mosquitto on 127.0.0.1:{broker.Port} (set_tcp_nodelay true)");

        string folder = Directory.CreateTempSubdirectory("iot-bench-ingest-").FullName;
        int webPort = FreePort.Next();
        var gatewayIds = Enumerable.Range(1, Gateways).Select(i => $"gw-bench-{i:D2}").ToList();
        var cloudArgs = new List<string>
        {
            $"--Urls=http://127.0.0.1:{webPort}",
            "--Broker:Mode=External",
            "--Broker:Host=127.0.0.1",
            $"--Broker:Port={broker.Port}",
            "--Broker:ClientId=bench-ingest",
            $"--InfluxDb:Url={influx.BaseUri}",
            "--InfluxDb:Database=e2e",
            // InfluxDB on the same machine: compressing the body would only cost CPU (cloud/README.md, InfluxDb:Gzip).
            "--InfluxDb:Gzip=false",
            $"--Storage:Path={Path.Combine(folder, "cloud.db")}",
            "--Logging:LogLevel:Default=Warning",
        };
        for (int i = 0; i < gatewayIds.Count; i++)
        {
            cloudArgs.Add($"--Registry:Gateways:{i}:Id={gatewayIds[i]}");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var web = new Uri($"http://127.0.0.1:{webPort}/");
        using var cloud = AppProcess.Start("iot-cloud", folder, [.. cloudArgs]);
        try
        {
            await WaitReadyAsync(http, web, cloud, ct);
            Say(output, $"cloud: pid {cloud.Id}, shared subscription on mosquitto, InfluxDB database e2e");

            // Warm-up: a small run of each path, not counted (JIT, connections, series creation).
            var warm = Workload.Build(gatewayIds, 4, DateTime.UtcNow.AddHours(-2));
            await PublishAsync(broker, warm, ct);
            await WaitForPointsAsync(http, web, warm.Readings, TimeSpan.FromMinutes(2), cloud, ct);
            await influx.CreateDatabaseAsync("raw", ct);
            await WriteRawAsync(http, influx, "raw", warm, ct);
            Say(output, $"warm-up: {warm.Readings} readings each way, not counted");

            // Rounds, each with fresh readings (later timestamps in the same series), the order of the two paths
            // alternating so neither always runs on an InfluxDB still digesting the other's writes; medians count.
            int rounds = quick ? 1 : 3;
            var e2eRates = new List<double>();
            var rawRates = new List<double>();
            bool exact = true;
            long e2eStoredBefore = warm.Readings, rawStoredBefore = warm.Readings;
            for (int round = 1; round <= rounds; round++)
            {
                var work = Workload.Build(gatewayIds, messagesPerGateway, DateTime.UtcNow.AddMinutes(-60 + (15 * (round - 1))));
                Say(output, $"round {round}: workload: {Gateways} gateways x {messagesPerGateway} messages x {ReadingsPerMessage} readings = {work.Readings} readings ({work.Bytes / 1e6:F1} MB of JSON, {SensorsPerGateway} sensors a gateway, Temperature and RelativeHumidity)");
                foreach (bool e2eFirst in round % 2 == 1 ? new[] { true, false } : [false, true])
                {
                    if (e2eFirst)
                    {
                        double before = await PointsWrittenAsync(http, web, ct);
                        long start = Stopwatch.GetTimestamp();
                        await PublishAsync(broker, work, ct);
                        double published = Stopwatch.GetElapsedTime(start).TotalSeconds;
                        long end = await WaitForPointsAsync(http, web, before + work.Readings, TimeSpan.FromMinutes(10), cloud, ct);
                        double e2eSeconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
                        long total = await CountAsync(influx, "e2e", ct);
                        long stored = total - e2eStoredBefore;
                        e2eStoredBefore = total;
                        exact &= stored == work.Readings;
                        e2eRates.Add(stored / e2eSeconds);
                        Say(output, $"round {round}: e2e: published in {published:F2} s; InfluxDB had every point {e2eSeconds:F2} s after the first publish = {stored / e2eSeconds:F0}/s; it holds {stored} of {work.Readings} new (exactly: {stored == work.Readings})");
                    }
                    else
                    {
                        long rawStart = Stopwatch.GetTimestamp();
                        int requests = await WriteRawAsync(http, influx, "raw", work, ct);
                        double rawSeconds = Stopwatch.GetElapsedTime(rawStart).TotalSeconds;
                        long total = await CountAsync(influx, "raw", ct);
                        long rawStored = total - rawStoredBefore;
                        rawStoredBefore = total;
                        exact &= rawStored == work.Readings;
                        rawRates.Add(rawStored / rawSeconds);
                        Say(output, $"round {round}: raw: {requests} POST /write of up to {RawBatch} lines, one after another, in {rawSeconds:F2} s = {rawStored / rawSeconds:F0}/s; InfluxDB holds {rawStored} of {work.Readings} new");
                    }
                }
            }

            double e2e = Figures.Median(e2eRates);
            double raw = Figures.Median(rawRates);
            double ratio = e2e / raw;
            Say(output, $"medians over {rounds} round(s): e2e {e2e:F0}/s, raw {raw:F0}/s");
            Say(output, $"machine: load average {Figures.LoadAverage()} at the end");
            Say(output, $"targets: ratio >= 0.5 ({(ratio >= 0.5 ? "met" : "MISSED")}), goal 0.8 ({(ratio >= 0.8 ? "met" : "not yet")})");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest: e2e/s={e2e:F0} raw/s={raw:F0} ratio={ratio:F2}"));
            return exact ? 0 : 1;
        }
        finally
        {
            await cloud.StopAsync(TimeSpan.FromSeconds(30));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every gateway publishes its messages at QoS 1 with at most <see cref="InFlightPerGateway"/> unacknowledged, all gateways at once.</summary>
    static async Task PublishAsync(MosquittoServer broker, Workload work, CancellationToken ct)
    {
        var factory = new MqttClientFactory();
        await Task.WhenAll(work.ByGateway.Select(async gateway =>
        {
            using var client = factory.CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", broker.Port)
                .WithClientId(gateway.Key)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithTimeout(TimeSpan.FromSeconds(60))
                .Build(), ct);
            using var window = new SemaphoreSlim(InFlightPerGateway);
            var pending = new List<Task>();
            string topic = Topic.Readings(gateway.Key).ToString();
            foreach (byte[] payload in gateway.Value)
            {
                await window.WaitAsync(ct);
                pending.Add(PublishOneAsync(client, topic, payload, window, ct));
            }

            await Task.WhenAll(pending);
            await client.DisconnectAsync(cancellationToken: ct);
        }));
    }

    static async Task PublishOneAsync(IMqttClient client, string topic, byte[] payload, SemaphoreSlim window, CancellationToken ct)
    {
        try
        {
            var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), ct);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"publish refused: {result.ReasonCode} {result.ReasonString}");
            }
        }
        finally
        {
            window.Release();
        }
    }

    /// <summary>The same points as the cloud makes, as line protocol, POSTed in batches of <see cref="RawBatch"/> lines, one after another.</summary>
    static async Task<int> WriteRawAsync(HttpClient http, InfluxDbServer influx, string database, Workload work, CancellationToken ct)
    {
        // Serialised before timing: the baseline is InfluxDB taking line protocol, nothing else.
        var bodies = new List<byte[]>();
        var body = new StringBuilder();
        int lines = 0;
        foreach (var point in work.Points())
        {
            body.Append(point.ToLineProtocol(WritePrecision.Milliseconds)).Append('\n');
            if (++lines == RawBatch)
            {
                bodies.Add(Encoding.UTF8.GetBytes(body.ToString()));
                body.Clear();
                lines = 0;
            }
        }

        if (lines > 0)
        {
            bodies.Add(Encoding.UTF8.GetBytes(body.ToString()));
        }

        var uri = new Uri(influx.BaseUri, $"write?db={database}&precision=ms");
        foreach (byte[] bytes in bodies)
        {
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            using var response = await http.PostAsync(uri, content, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"raw write answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        }

        return bodies.Count;
    }

    static async Task<long> CountAsync(InfluxDbServer influx, string database, CancellationToken ct)
    {
        long count = 0;
        foreach (string measurement in new[] { "Temperature", "RelativeHumidity" })
        {
            using var result = await influx.QueryAsync(database, $"SELECT COUNT(\"quality\") FROM \"{measurement}\"", ct);
            var statement = result.RootElement.GetProperty("results")[0];
            if (statement.TryGetProperty("series", out var series))
            {
                count += series[0].GetProperty("values")[0][1].GetInt64();
            }
        }

        return count;
    }

    /// <summary>Polls the cloud's <c>iot_ingest_points_written_total</c> until it reaches <paramref name="target"/>; returns the timestamp it did.</summary>
    static async Task<long> WaitForPointsAsync(HttpClient http, Uri web, double target, TimeSpan deadline, AppProcess cloud, CancellationToken ct)
    {
        long until = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            double written = await PointsWrittenAsync(http, web, ct);
            if (written >= target)
            {
                return Stopwatch.GetTimestamp();
            }

            if (Stopwatch.GetTimestamp() > until || cloud.HasExited)
            {
                throw new TimeoutException($"the cloud wrote {written} of {target} points within {deadline.TotalSeconds} s; its output:\n{cloud.Output}");
            }

            // Every 50 ms: a scrape of /metrics costs the cloud some CPU, which should not weigh on what is measured.
            await Task.Delay(50, ct);
        }
    }

    static async Task<double> PointsWrittenAsync(HttpClient http, Uri web, CancellationToken ct)
    {
        string metrics = await http.GetStringAsync(new Uri(web, "metrics"), ct);
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith("iot_ingest_points_written_total ", StringComparison.Ordinal))
            {
                return double.Parse(line.AsSpan("iot_ingest_points_written_total ".Length), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    internal static async Task WaitReadyAsync(HttpClient http, Uri web, AppProcess cloud, CancellationToken ct)
    {
        await Eventually.TrueAsync(() =>
        {
            if (cloud.HasExited)
            {
                throw new InvalidOperationException($"the cloud exited with {cloud.ExitCode}:\n{cloud.Output}");
            }

            try
            {
                using var response = http.GetAsync(new Uri(web, "healthz/ready"), ct).GetAwaiter().GetResult();
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), () => $"the cloud to be ready; its output:\n{cloud.Output}");
    }

    static void Say(TextWriter output, string line) => output.WriteLine($"ingest: {line}");

    /// <summary>The messages of every gateway, written with the contract's writer, and the points the cloud makes of them.</summary>
    sealed class Workload
    {
        public required Dictionary<string, List<byte[]>> ByGateway { get; init; }

        public required List<ReadingsMessage> Messages { get; init; }

        public long Readings { get; init; }

        public long Bytes { get; init; }

        public IEnumerable<Point> Points() =>
            Messages.SelectMany(m => m.Readings.Select(r => PointMapping.Reading(m, r, DateTimeOffset.UtcNow)));

        public static Workload Build(IReadOnlyList<string> gateways, int messagesPerGateway, DateTime start)
        {
            var byGateway = new Dictionary<string, List<byte[]>>();
            var messages = new List<ReadingsMessage>();
            long readings = 0, bytes = 0;
            var t0 = new DateTime(start.Ticks - (start.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
            foreach (string gateway in gateways)
            {
                var payloads = new List<byte[]>();
                for (int m = 0; m < messagesPerGateway; m++)
                {
                    var message = new ReadingsMessage
                    {
                        Schema = MessageSchemas.Readings,
                        GatewayId = gateway,
                        Seq = m + 1 + (long)(start - DateTime.UnixEpoch).TotalSeconds,
                        Clock = ClockState.Synchronized,
                        Readings = Enumerable.Range(0, ReadingsPerMessage).Select(i =>
                        {
                            // Each sensor reads every 1 ms of the message's stretch of time: strictly increasing per sensor.
                            int sensor = i % SensorsPerGateway;
                            bool humidity = sensor % 2 == 1;
                            long tick = ((long)m * ReadingsPerMessage) + i;
                            return new Reading
                            {
                                SensorId = $"s{sensor:D2}",
                                Zone = $"gh{(sensor / 10) + 1}",
                                Type = humidity ? MeasurementType.RelativeHumidity : MeasurementType.Temperature,
                                Value = humidity ? 60 + (tick % 300 / 10.0) : 18 + (tick % 120 / 10.0),
                                Unit = humidity ? Unit.Percent : Unit.DegreeCelsius,
                                Time = t0.AddMilliseconds(tick),
                                Quality = ReadingQuality.Good,
                                TraceCodes = ["7K3M9Q2TXW4A1B63"],
                            };
                        }).ToList(),
                    };
                    byte[] payload = ContractWriter.Write(message);
                    payloads.Add(payload);
                    messages.Add(message);
                    readings += message.Readings.Count;
                    bytes += payload.Length;
                }

                byGateway[gateway] = payloads;
            }

            return new Workload { ByGateway = byGateway, Messages = messages, Readings = readings, Bytes = bytes };
        }
    }
}
