using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Iot.InfluxDb.LineProtocol;
using Iot.InfluxDb.Writing;
using Iot.Testing;
using Iot.Testing.InfluxDb;

namespace Iot.InfluxDb.Tests;

/// <summary>Writes against the real influxd 1.6.7.</summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class WriteClientTests(InfluxDbFixture influx) : IDisposable
{
    private readonly HttpClient http = new();

    public void Dispose() => http.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task V1_write_then_query_round_trips_with_gzip_on_and_off(bool gzip)
    {
        var database = await influx.CreateDatabaseAsync();
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = influx.Server.BaseUri, Database = database, Gzip = gzip, Precision = WritePrecision.Milliseconds });
        var points = Points.Many(250);
        points.Add(Point.Measurement("mixed").Tag("zone", "A 1").Field("d", 1.25).Field("i", -7L).Field("b", true).Field("s", "a \"quoted\" \\ text").Timestamp(Points.Start));

        var result = await client.WriteAsync(points);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal(251, result.Written.Count);
        Assert.Empty(result.Rejected);
        using var count = await influx.Server.QueryAsync(database, "SELECT count(value) FROM reading");
        Assert.Equal(250, Values(count)[0][1].GetInt64());
        using var mixed = await influx.Server.QueryAsync(database, "SELECT b, d, i, s, zone FROM mixed");
        var row = Values(mixed)[0];
        Assert.Equal(Points.Start.ToUnixTimeMilliseconds(), row[0].GetInt64());
        Assert.True(row[1].GetBoolean());
        Assert.Equal(1.25, row[2].GetDouble());
        Assert.Equal(-7, row[3].GetInt64());
        Assert.Equal("a \"quoted\" \\ text", row[4].GetString());
        Assert.Equal("A 1", row[5].GetString());
    }

    [Fact]
    public async Task Influx_1_6_7_stores_the_other_points_of_a_batch_with_a_type_conflict_and_answers_400_partial_write()
    {
        // What the server itself does, without our client's splitting: the fact the splitting relies on.
        var database = await influx.CreateDatabaseAsync();
        await PostLinesAsync(database, "reading value=1 1\n");
        var body = "reading value=2 2\nreading value=3i 3\nreading value=4 4\n";

        var (status, text) = await PostLinesAsync(database, body);

        Assert.Equal(400, status);
        Assert.Contains("partial write: field type conflict", text, StringComparison.Ordinal);
        Assert.Contains("dropped=1", text, StringComparison.Ordinal);
        using var count = await influx.Server.QueryAsync(database, "SELECT count(value) FROM reading");
        Assert.Equal(3, Values(count)[0][1].GetInt64());
    }

    [Fact]
    public async Task A_type_conflict_rejects_exactly_the_offending_points_and_stores_all_others()
    {
        var database = await influx.CreateDatabaseAsync();
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = influx.Server.BaseUri, Database = database });
        Assert.True((await client.WriteAsync([Point.Measurement("reading").Tag("sensor", "s1").Field("value", 0.5).Timestamp(Points.Start.AddDays(-1))])).IsComplete);
        var points = Points.Many(200);
        int[] conflicting = [7, 100, 163];
        foreach (var i in conflicting)
        {
            points[i] = Point.Measurement("reading").Tag("sensor", "s1").Field("value", (long)i).Timestamp(Points.Start.AddSeconds(i));
        }

        var result = await client.WriteAsync(points);

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal(conflicting.Select(i => points[i]), result.Rejected.Select(r => r.Point));
        Assert.All(result.Rejected, r =>
        {
            Assert.Equal(400, r.StatusCode);
            Assert.Contains("field type conflict", r.Reason, StringComparison.Ordinal);
        });
        Assert.Equal(197, result.Written.Count);
        Assert.Empty(result.NotWritten);
        using var count = await influx.Server.QueryAsync(database, "SELECT count(value) FROM reading");
        Assert.Equal(198, Values(count)[0][1].GetInt64());
    }

    [Fact]
    public async Task A_missing_database_is_a_clear_error_naming_it_and_nothing_is_rejected()
    {
        var database = UniqueNames.Database("missing");
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = influx.Server.BaseUri, Database = database });

        var result = await client.WriteAsync(Points.Many(10));

        Assert.Equal(WriteFailureKind.NotFound, result.Failure?.Kind);
        Assert.Contains($"database '{database}'", result.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("database not found", result.Failure.Message, StringComparison.Ordinal);
        Assert.Empty(result.Rejected);
        Assert.Equal(10, result.NotWritten.Count);
        Assert.Equal(1, result.Requests);
        Assert.Equal(WriteFailureKind.NotFound, Assert.Throws<InfluxWriteException>(() => result.ThrowIfFailed()).Failure.Kind);
    }

    [Fact]
    public async Task Everything_is_written_once_a_stopped_influxd_is_back()
    {
        await using var server = await InfluxDbServer.StartNewAsync();
        var database = await server.CreateUniqueDatabaseAsync();
        var client = new InfluxWriteClient(http, new InfluxWriteOptions
        {
            BaseUri = server.BaseUri,
            Database = database,
            BatchSize = 1_000,
            MaxAttempts = 100,
            RetryDeadline = TimeSpan.FromSeconds(60),
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromMilliseconds(500),
            RequestTimeout = TimeSpan.FromSeconds(5),
        });
        await server.StopAsync();

        var writing = client.WriteAsync(Points.Many(3_000));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(writing.IsCompleted);
        await server.StartAsync();
        var result = await writing.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal(3_000, result.Written.Count);
        Assert.True(result.Requests > 3, $"{result.Requests} requests: the first must have failed while influxd was down");
        using var count = await server.QueryAsync(database, "SELECT count(value) FROM reading");
        Assert.Equal(3_000, Values(count)[0][1].GetInt64());
    }

    internal static List<List<System.Text.Json.JsonElement>> Values(System.Text.Json.JsonDocument document) =>
        [.. document.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(r => r.EnumerateArray().ToList())];

    private async Task<(int Status, string Body)> PostLinesAsync(string database, string lines)
    {
        using var content = new StringContent(lines, Encoding.UTF8, "text/plain");
        using var response = await http.PostAsync(new Uri(influx.Server.BaseUri, "write?db=" + Uri.EscapeDataString(database) + "&precision=s"), content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>
/// Error classification against the recording server: it stands in for remote servers that answer
/// 413, 429, 5xx, Retry-After or nothing at all on demand, and for InfluxDB 2.x's /api/v2/write.
/// </summary>
public sealed class WriteClassificationTests : IDisposable
{
    private readonly HttpClient http = new();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task Twelve_thousand_points_go_in_three_requests_of_at_most_five_thousand_lines()
    {
        await using var server = new RecordingServer((_, _) => new Reply(204));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm" });

        var result = await client.WriteAsync(Points.Many(12_000));

        Assert.True(result.IsComplete);
        Assert.Equal(12_000, result.Written.Count);
        Assert.Equal([5_000, 5_000, 2_000], server.Requests.Select(r => r.LineCount));
        Assert.All(server.Requests, r => Assert.Equal("gzip", r.Headers["Content-Encoding"]));
        Assert.All(server.Requests, r => Assert.Equal("/write?db=farm&precision=ns", r.PathAndQuery));
        var expected = string.Concat(Points.Many(12_000).Select(p => p.ToLineProtocol() + "\n"));
        Assert.Equal(expected, string.Concat(server.Requests.Select(r => r.Text)));
    }

    [Fact]
    public async Task A_413_splits_the_body_until_the_halves_fit()
    {
        const int Limit = 20_000;
        await using var server = new RecordingServer((r, _) => r.Body.Length > Limit ? new Reply(413, "{\"error\":\"Request Entity Too Large\"}") : new Reply(204));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm", Gzip = false });
        var points = Points.Many(1_000);

        var result = await client.WriteAsync(points);

        Assert.True(result.IsComplete);
        Assert.Equal(points, result.Written);
        Assert.Empty(result.Rejected);
        var accepted = server.Requests.Where(r => r.Body.Length <= Limit).ToList();
        Assert.Contains(server.Requests, r => r.Body.Length > Limit);
        Assert.Equal(string.Concat(points.Select(p => p.ToLineProtocol() + "\n")), string.Concat(accepted.Select(r => r.Text)));
    }

    [Fact]
    public async Task A_single_line_too_large_for_the_server_is_rejected_with_413_not_retried_forever()
    {
        await using var server = new RecordingServer((r, _) => r.Body.Length > 100 ? new Reply(413) : new Reply(204));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm", Gzip = false });
        var big = Point.Measurement("m").Field("s", new string('x', 500)).Timestamp(Points.Start);
        var small = Point.Measurement("m").Field("s", "x").Timestamp(Points.Start);

        var result = await client.WriteAsync([small, big, small]);

        Assert.True(result.IsComplete);
        Assert.Equal(big, Assert.Single(result.Rejected).Point);
        Assert.Equal(413, result.Rejected[0].StatusCode);
        Assert.Equal(2, result.Written.Count);
    }

    [Fact]
    public async Task A_429_with_Retry_After_seconds_is_retried_no_sooner_than_it_says()
    {
        await using var server = new RecordingServer((_, i) => i == 0 ? new Reply(429, "{\"error\":\"slow down\"}", new Dictionary<string, string> { ["Retry-After"] = "1" }) : new Reply(204));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm", InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(1) });

        var result = await client.WriteAsync(Points.Many(10));

        Assert.True(result.IsComplete);
        Assert.Equal(10, result.Written.Count);
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(Stopwatch.GetElapsedTime(requests[0].ReceivedAt, requests[1].ReceivedAt) >= TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(20));
        Assert.Equal(requests[0].Text, requests[1].Text);
    }

    [Fact]
    public async Task A_503_with_Retry_After_as_an_http_date_is_honoured()
    {
        await using var server = new RecordingServer((_, i) => i == 0
            ? new Reply(503, "", new Dictionary<string, string> { ["Retry-After"] = DateTimeOffset.UtcNow.AddSeconds(3).ToString("R", CultureInfo.InvariantCulture) })
            : new Reply(204));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm", InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(1) });

        var result = await client.WriteAsync(Points.Many(1));

        Assert.True(result.IsComplete);
        var requests = server.Requests;
        // The date has a resolution of one second, so three seconds ahead is at least two.
        Assert.True(Stopwatch.GetElapsedTime(requests[0].ReceivedAt, requests[1].ReceivedAt) >= TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task A_503_forever_ends_unavailable_after_the_configured_attempts_with_nothing_rejected()
    {
        await using var server = new RecordingServer((_, _) => new Reply(503, "{\"error\":\"overloaded\"}"));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm", BatchSize = 4, MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(10) });
        var points = Points.Many(10);

        var result = await client.WriteAsync(points);

        Assert.False(result.IsComplete);
        Assert.Equal(WriteFailureKind.Unavailable, result.Failure!.Kind);
        Assert.Equal(503, result.Failure.StatusCode);
        Assert.Equal(3, result.Failure.Attempts);
        Assert.StartsWith("InfluxDB unavailable", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("overloaded", result.Failure.Message, StringComparison.Ordinal);
        Assert.Empty(result.Rejected);
        Assert.Empty(result.Written);
        Assert.Equal(points, result.NotWritten);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(3, result.Requests);
        Assert.StartsWith("InfluxDB unavailable", Assert.Throws<InfluxWriteException>(() => result.ThrowIfFailed()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_retry_deadline_stops_retries_before_the_attempts_run_out()
    {
        await using var server = new RecordingServer((_, _) => new Reply(503, "", new Dictionary<string, string> { ["Retry-After"] = "30" }));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm", MaxAttempts = 10, RetryDeadline = TimeSpan.FromSeconds(5) });

        var result = await client.WriteAsync(Points.Many(2));

        Assert.Equal(WriteFailureKind.Unavailable, result.Failure?.Kind);
        Assert.Contains("retry deadline", result.Failure!.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        Assert.Equal(2, result.NotWritten.Count);
    }

    [Fact]
    public async Task A_timeout_is_retried()
    {
        await using var server = new RecordingServer((_, i) =>
        {
            if (i == 0)
            {
                Thread.Sleep(1_500); // longer than the request timeout below
            }

            return new Reply(204);
        });
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm", RequestTimeout = TimeSpan.FromMilliseconds(300), InitialBackoff = TimeSpan.FromMilliseconds(10) });

        var result = await client.WriteAsync(Points.Many(3));

        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Equal(3, result.Written.Count);
        Assert.True(result.Requests >= 2);
    }

    [Fact]
    public async Task Connection_refused_is_unavailable_not_rejected()
    {
        var port = FreePort.Next(); // nobody listens there
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = new Uri($"http://127.0.0.1:{port}/"), Database = "farm", MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(10) });

        var result = await client.WriteAsync(Points.Many(5));

        Assert.Equal(WriteFailureKind.Unavailable, result.Failure?.Kind);
        Assert.Null(result.Failure!.StatusCode);
        Assert.Contains("connection failed", result.Failure.Message, StringComparison.Ordinal);
        Assert.Empty(result.Rejected);
        Assert.Equal(5, result.NotWritten.Count);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Refused_credentials_are_not_retried_and_name_the_database(int status)
    {
        await using var server = new RecordingServer((_, _) => new Reply(status, "{\"error\":\"authorization failed\"}"));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm", Username = "ingest", Password = "wrong" });

        var result = await client.WriteAsync(Points.Many(5));

        Assert.Equal(WriteFailureKind.Unauthorized, result.Failure?.Kind);
        Assert.Contains("database 'farm'", result.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("authorization failed", result.Failure.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ingest:wrong")), server.Requests[0].Headers["Authorization"]);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public async Task V1_credentials_can_go_as_u_and_p_query_arguments()
    {
        await using var server = new RecordingServer((_, _) => new Reply(204));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm db", RetentionPolicy = "one year", Username = "in gest", Password = "p&w", UseBasicAuthentication = false, Precision = WritePrecision.Seconds });

        await client.WriteAsync(Points.Many(1));

        Assert.Equal("/write?db=farm%20db&rp=one%20year&u=in%20gest&p=p%26w&precision=s", server.Requests[0].PathAndQuery);
        Assert.False(server.Requests[0].Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task V2_request_bytes_path_query_token_and_gzip_body()
    {
        await using var server = new RecordingServer((_, _) => new Reply(204));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions
        {
            BaseUri = server.BaseUri,
            ApiVersion = InfluxApiVersion.V2,
            Organization = "farm org",
            Bucket = "trace/raw",
            Token = "s3cr3t==",
            Precision = WritePrecision.Milliseconds,
        });
        Point[] points =
        [
            Point.Measurement("air_temperature").Tag("zone", "A1").Tag("gateway", "gw 1").Field("value", 21.5).Timestamp(1_714_521_600_123, WritePrecision.Milliseconds),
            Point.Measurement("door").Tag("zone", "A1").Field("open", false).Field("count", 2L).Timestamp(1_714_521_601_000, WritePrecision.Milliseconds),
        ];

        var result = await client.WriteAsync(points);

        Assert.True(result.IsComplete);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v2/write?org=farm%20org&bucket=trace%2Fraw&precision=ms", request.PathAndQuery);
        Assert.Equal("Token s3cr3t==", request.Headers["Authorization"]);
        Assert.Equal("gzip", request.Headers["Content-Encoding"]);
        Assert.Equal("text/plain; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal(0x1f, request.Body[0]);
        Assert.Equal(0x8b, request.Body[1]);
        Assert.Equal(
            "air_temperature,gateway=gw\\ 1,zone=A1 value=21.5 1714521600123\ndoor,zone=A1 open=f,count=2i 1714521601000\n",
            request.Text);
    }

    [Fact]
    public async Task V2_unprocessable_entity_rejects_the_point_with_the_message()
    {
        await using var server = new RecordingServer((r, _) => r.Text.Contains("count=", StringComparison.Ordinal)
            ? new Reply(422, "{\"code\":\"unprocessable entity\",\"message\":\"failure writing points to database: partial write: field type conflict\"}")
            : new Reply(204));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, ApiVersion = InfluxApiVersion.V2, Organization = "o", Bucket = "b", Token = "t" });
        var bad = Point.Measurement("door").Field("count", 2L).Timestamp(Points.Start);

        var result = await client.WriteAsync([.. Points.Many(5), bad, .. Points.Many(5)]);

        Assert.True(result.IsComplete);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(bad, rejected.Point);
        Assert.Equal(422, rejected.StatusCode);
        Assert.Equal("failure writing points to database: partial write: field type conflict", rejected.Reason);
        Assert.Equal(10, result.Written.Count);
    }

    [Fact]
    public async Task A_newline_never_reaches_the_server()
    {
        await using var server = new RecordingServer((_, _) => new Reply(204));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm" });

        Assert.Throws<ArgumentException>(() => Point.Measurement("m").Tag("zone", "A1\nevil,zone=B v=1"));
        Assert.Throws<ArgumentException>(() => Point.Measurement("m").Field("note", "x\" \ninjected v=1"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.WriteAsync([Point.Measurement("m").Tag("only", "tags")]));

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Points_without_a_timestamp_get_the_time_of_the_call_so_splits_do_not_duplicate_them()
    {
        await using var server = new RecordingServer((_, _) => new Reply(204));
        var client = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = "farm", Precision = WritePrecision.Seconds });
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await client.WriteAsync([Point.Measurement("m").Field("v", 1L)]);

        var stamp = long.Parse(server.Requests[0].Text.Trim().Split(' ')[^1], CultureInfo.InvariantCulture);
        Assert.InRange(stamp, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
