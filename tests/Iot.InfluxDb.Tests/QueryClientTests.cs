using System.Text.Json;
using Iot.InfluxDb.LineProtocol;
using Iot.InfluxDb.Querying;
using Iot.InfluxDb.Writing;
using Iot.Testing.InfluxDb;

namespace Iot.InfluxDb.Tests;

[Collection(InfluxDbFixture.CollectionName)]
public sealed class QueryClientTests(InfluxDbFixture influx) : IDisposable
{
    private readonly HttpClient http = new();

    public void Dispose() => http.Dispose();

    [Theory]
    [InlineData("zone A, row 3")]
    [InlineData("k=v,k2=v 2")]
    [InlineData("say \"hi\" and 'bye'")]
    [InlineData("a\\b = c")]
    [InlineData("ünï cødé ✓")]
    public async Task A_tag_value_with_special_characters_round_trips_exactly_through_influxd(string tagValue)
    {
        var database = await influx.CreateDatabaseAsync();
        await WriteAsync(database,
            Point.Measurement("air temp,°C").Tag("zone", tagValue).Tag("sensor", "s=1, x").Field("value", 21.5).Field("note", tagValue).Timestamp(Points.Start),
            Point.Measurement("air temp,°C").Tag("zone", "other").Tag("sensor", "s2").Field("value", 1.0).Timestamp(Points.Start));
        var client = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = influx.Server.BaseUri });

        var result = await client.QueryAsync(database, "SELECT value, note, zone, sensor FROM \"air temp,°C\" WHERE zone = $zone", new QueryParameters().Add("zone", tagValue));

        var series = Assert.Single(result.Series);
        Assert.Equal("air temp,°C", series.Name);
        var row = Assert.Single(series.Values);
        Assert.Equal(Points.Start.ToUnixTimeMilliseconds(), row[0].GetInt64());
        Assert.Equal(21.5, series.Value(0, "value").GetDouble());
        Assert.Equal(tagValue, series.Value(0, "note").GetString());
        Assert.Equal(tagValue, series.Value(0, "zone").GetString());
        Assert.Equal("s=1, x", series.Value(0, "sensor").GetString());
    }

    [Fact]
    public async Task An_injection_attempt_in_a_parameter_is_stored_and_queried_literally()
    {
        var database = await influx.CreateDatabaseAsync();
        const string Evil = "x' OR zone =~ /.*/ OR zone = 'y";
        await WriteAsync(database,
            Point.Measurement("m").Tag("zone", "A1").Field("value", 1.0).Timestamp(Points.Start),
            Point.Measurement("m").Tag("zone", "B2").Field("value", 2.0).Timestamp(Points.Start),
            Point.Measurement("m").Tag("zone", Evil).Field("value", 3.0).Timestamp(Points.Start));
        var client = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = influx.Server.BaseUri });

        var literal = await client.QueryAsync(database, "SELECT value, zone FROM m WHERE zone = $zone", new QueryParameters().Add("zone", Evil));
        var nothing = await client.QueryAsync(database, "SELECT value FROM m WHERE zone = $zone", new QueryParameters().Add("zone", "nobody' OR '1'='1"));
        var all = await client.QueryAsync(database, "SELECT count(value) FROM m");

        var row = Assert.Single(Assert.Single(literal.Series).Values);
        Assert.Equal(3.0, row[1].GetDouble());
        Assert.Equal(Evil, row[2].GetString());
        Assert.Empty(nothing.Series);
        Assert.Equal(3, all.Series[0].Value(0, "count").GetInt64());
    }

    [Fact]
    public async Task Numbers_and_booleans_bind_too_and_group_by_tags_come_back_per_series()
    {
        var database = await influx.CreateDatabaseAsync();
        await WriteAsync(database, [.. Enumerable.Range(0, 10).Select(i =>
            Point.Measurement("m").Tag("zone", i % 2 == 0 ? "even" : "odd").Field("value", (double)i).Field("n", (long)i).Field("ok", i < 5).Timestamp(Points.Start.AddSeconds(i)))]);
        var client = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = influx.Server.BaseUri, Epoch = WritePrecision.Seconds });

        var result = await client.QueryAsync(database, "SELECT count(value) FROM m WHERE n >= $n AND value < $max AND ok = $ok GROUP BY zone",
            new QueryParameters().Add("n", 2L).Add("max", 8.5).Add("ok", true));

        Assert.Equal(2, result.Series.Count);
        var bySeries = result.Series.ToDictionary(s => s.Tags["zone"], s => s.Value(0, "count").GetInt64());
        Assert.Equal(2, bySeries["even"]); // 2, 4
        Assert.Equal(1, bySeries["odd"]);  // 3
        Assert.Equal(0, result.Series[0].Value(0, "time").GetInt64());
    }

    [Fact]
    public async Task A_statement_error_inside_a_200_answer_raises()
    {
        var client = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = influx.Server.BaseUri });

        var error = await Assert.ThrowsAsync<InfluxQueryException>(() => client.ExecuteAsync(null, "SHOW RETENTION POLICIES ON \"no_such_database\""));

        Assert.Equal(200, error.StatusCode);
        Assert.Equal(0, error.StatementId);
        Assert.Contains("database not found", error.ServerError, StringComparison.Ordinal);
        Assert.Contains("no_such_database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parse_error_raises_with_the_server_words()
    {
        var database = await influx.CreateDatabaseAsync();
        var client = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = influx.Server.BaseUri });

        var error = await Assert.ThrowsAsync<InfluxQueryException>(() => client.QueryAsync(database, "SELEC nothing"));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("error parsing query", error.ServerError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_posts_statements_such_as_create_database()
    {
        var client = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = influx.Server.BaseUri });
        var name = Iot.Testing.UniqueNames.Database("created");

        await client.ExecuteAsync(null, $"CREATE DATABASE \"{name}\"");
        var result = await client.QueryAsync(null, "SHOW DATABASES");

        Assert.Contains(result.Series[0].Values, row => row[0].GetString() == name);
    }

    [Fact]
    public async Task Parameters_travel_as_the_params_argument_not_in_the_query_text()
    {
        // The recording server stands in for a remote InfluxDB so the exact request can be read.
        await using var server = new RecordingServer((_, _) => new Reply(200, "{\"results\":[{\"statement_id\":0}]}"));
        var client = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = server.BaseUri, Token = "tok" });

        var result = await client.QueryAsync("farm", "SELECT * FROM m WHERE zone = $zone", new QueryParameters().Add("zone", "A1'; DROP DATABASE farm"));
        await client.ExecuteAsync("farm", "SELECT * INTO m2 FROM m WHERE n = $n", new QueryParameters().Add("n", 3L));

        Assert.Empty(result.Series);
        var get = server.Requests[0];
        Assert.Equal("GET", get.Method);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(server.BaseUri, get.PathAndQuery).Query);
        Assert.Equal("farm", query["db"]);
        Assert.Equal("SELECT * FROM m WHERE zone = $zone", query["q"]);
        Assert.Equal("ms", query["epoch"]);
        Assert.Equal("A1'; DROP DATABASE farm", JsonDocument.Parse(query["params"]!).RootElement.GetProperty("zone").GetString());
        Assert.Equal("Token tok", get.Headers["Authorization"]);
        var post = server.Requests[1];
        Assert.Equal("POST", post.Method);
        Assert.Equal("/query", post.PathAndQuery);
        var form = System.Web.HttpUtility.ParseQueryString(post.Text);
        Assert.Equal("SELECT * INTO m2 FROM m WHERE n = $n", form["q"]);
        Assert.Equal(3, JsonDocument.Parse(form["params"]!).RootElement.GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task A_statement_error_among_several_results_raises_naming_the_statement()
    {
        await using var server = new RecordingServer((_, _) => new Reply(200,
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"m\",\"columns\":[\"time\",\"v\"],\"values\":[[1,2]]}]},{\"statement_id\":1,\"error\":\"shard 7 unavailable\"}]}"));
        var client = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = server.BaseUri });

        var error = await Assert.ThrowsAsync<InfluxQueryException>(() => client.QueryAsync("farm", "SELECT v FROM m; SELECT v FROM n"));

        Assert.Equal(1, error.StatementId);
        Assert.Equal("shard 7 unavailable", error.ServerError);
    }

    private async Task WriteAsync(string database, params Point[] points)
    {
        var writer = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = influx.Server.BaseUri, Database = database });
        var result = await writer.WriteAsync(points);
        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Empty(result.Rejected);
    }
}
