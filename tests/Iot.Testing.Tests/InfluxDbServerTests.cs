using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Iot.Testing.InfluxDb;

namespace Iot.Testing.Tests;

[Collection(InfluxDbFixture.CollectionName)]
public sealed class InfluxDbServerTests(InfluxDbFixture influx)
{
    [Fact]
    public async Task A_point_written_with_line_protocol_reads_back_with_its_value_tag_and_timestamp()
    {
        var database = await influx.CreateDatabaseAsync();
        using var http = new HttpClient { BaseAddress = influx.Server.BaseUri, Timeout = TimeSpan.FromSeconds(10) };

        using var body = new StringContent("air_temperature,zone=greenhouse-3 value=21.375 1700000000123", Encoding.UTF8, "text/plain");
        using var write = await http.PostAsync(new Uri($"write?db={database}&precision=ms", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);

        var query = Uri.EscapeDataString("SELECT value, zone FROM air_temperature");
        using var read = await http.GetAsync(new Uri($"query?db={database}&q={query}&epoch=ms", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var json = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
        var series = json.RootElement.GetProperty("results")[0].GetProperty("series")[0];
        Assert.Equal("air_temperature", series.GetProperty("name").GetString());
        Assert.Equal(["time", "value", "zone"], series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        var row = Assert.Single(series.GetProperty("values").EnumerateArray().ToList());
        Assert.Equal(1700000000123L, row[0].GetInt64());
        Assert.Equal(21.375, row[1].GetDouble());
        Assert.Equal("greenhouse-3", row[2].GetString());
    }

    [Fact]
    public async Task Databases_from_the_fixture_are_distinct_so_tests_do_not_see_each_others_points()
    {
        var first = await influx.CreateDatabaseAsync();
        var second = await influx.CreateDatabaseAsync();
        Assert.NotEqual(first, second);

        using var http = new HttpClient { BaseAddress = influx.Server.BaseUri };
        using var body = new StringContent("m v=1i 1700000000000");
        using var write = await http.PostAsync(new Uri($"write?db={first}&precision=ms", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);

        using var inFirst = await influx.Server.QueryAsync(first, "SELECT count(v) FROM m");
        using var inSecond = await influx.Server.QueryAsync(second, "SELECT count(v) FROM m");
        Assert.Equal(1, inFirst.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetInt64());
        Assert.False(inSecond.RootElement.GetProperty("results")[0].TryGetProperty("series", out _));
    }

    [Fact]
    public async Task A_failing_statement_throws_with_influxdbs_own_error()
    {
        var database = await influx.CreateDatabaseAsync();
        var error = await Assert.ThrowsAsync<ServerException>(() => influx.Server.QueryAsync(database, "SELECT FROM"));
        Assert.Contains("SELECT FROM", error.Message, StringComparison.Ordinal);
        Assert.Contains("Last lines of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rpc_service_is_moved_off_8088_onto_its_own_loopback_port()
    {
        Assert.NotEqual(8088, influx.Server.RpcPort);
        Assert.NotEqual(influx.Server.Port, influx.Server.RpcPort);
        var config = File.ReadAllText(influx.Server.ConfigPath);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"bind-address = \"127.0.0.1:{influx.Server.RpcPort}\""), config, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"bind-address = \"127.0.0.1:{influx.Server.Port}\""), config, StringComparison.Ordinal);
    }
}
