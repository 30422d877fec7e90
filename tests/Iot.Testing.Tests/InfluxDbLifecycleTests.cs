using System.Net;
using System.Text.Json;
using Iot.Testing.InfluxDb;
using Iot.Testing.Processes;

namespace Iot.Testing.Tests;

/// <summary>Each test owns its influxd, since it stops or kills it.</summary>
public sealed class InfluxDbLifecycleTests
{
    [Fact]
    public async Task Stop_and_start_keep_the_port_and_the_data()
    {
        await using var server = await InfluxDbServer.StartNewAsync();
        var database = await server.CreateUniqueDatabaseAsync();
        await WriteAsync(server, database, "soil_moisture,zone=field-7 value=0.31 1700000000456");
        var port = server.Port;
        var firstPid = server.ProcessId!.Value;

        await server.StopAsync();
        Assert.False(server.IsRunning);
        Assert.Null(server.ProcessId);
        Assert.False(ProcessProbe.IsRunning(firstPid));

        await server.StartAsync();
        Assert.Equal(port, server.Port);
        Assert.NotEqual(firstPid, server.ProcessId);
        Assert.Equal((1700000000456L, 0.31), await ReadSingleAsync(server, database, "soil_moisture"));
    }

    [Fact]
    public async Task Kill_leaves_no_process_and_the_acknowledged_point_survives_it()
    {
        await using var server = await InfluxDbServer.StartNewAsync();
        var database = await server.CreateUniqueDatabaseAsync();
        await WriteAsync(server, database, "irrigation,zone=field-1 value=12.5 1700000000789");
        var pid = server.ProcessId!.Value;

        await server.KillAsync();
        Assert.False(ProcessProbe.IsRunning(pid));
        Assert.Contains("SIGKILL", server.ReadLog(), StringComparison.Ordinal);

        await server.StartAsync();
        Assert.Equal((1700000000789L, 12.5), await ReadSingleAsync(server, database, "irrigation"));
    }

    [Fact]
    public async Task Dispose_stops_the_server_and_deletes_its_folder()
    {
        var server = await InfluxDbServer.StartNewAsync();
        var pid = server.ProcessId!.Value;
        var folder = server.DirectoryPath;
        Assert.True(Directory.Exists(Path.Combine(folder, "data")));

        await server.DisposeAsync();

        Assert.False(ProcessProbe.IsRunning(pid));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_missing_influxd_names_the_debian_package_to_install()
    {
        var error = await Assert.ThrowsAsync<ServerException>(
            () => InfluxDbServer.StartNewAsync(new InfluxDbOptions { ExecutablePath = "/nonexistent/influxd" }));
        Assert.Contains("apt-get install influxdb", error.Message, StringComparison.Ordinal);
        Assert.Contains("./iot test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_exits_at_start_fails_with_what_was_awaited_and_the_log_tail()
    {
        var error = await Assert.ThrowsAsync<ServerException>(
            () => InfluxDbServer.StartNewAsync(new InfluxDbOptions { LogLevel = "no-such-level" }));
        Assert.Contains("exited before it was ready", error.Message, StringComparison.Ordinal);
        Assert.Contains("/ping to answer 204", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-level", error.Message, StringComparison.Ordinal);
    }

    private static async Task WriteAsync(InfluxDbServer server, string database, string line)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var body = new StringContent(line);
        using var response = await http.PostAsync(new Uri($"write?db={database}&precision=ms", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static async Task<(long Time, double Value)> ReadSingleAsync(InfluxDbServer server, string database, string measurement)
    {
        using JsonDocument json = await server.QueryAsync(database, $"SELECT value FROM {measurement}");
        var row = Assert.Single(json.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values").EnumerateArray().ToList());
        return (row[0].GetInt64(), row[1].GetDouble());
    }
}
