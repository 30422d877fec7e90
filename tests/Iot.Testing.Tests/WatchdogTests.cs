using System.Diagnostics;
using Iot.Testing.InfluxDb;
using Iot.Testing.Mosquitto;
using Iot.Testing.Processes;

namespace Iot.Testing.Tests;

/// <summary>
/// When the test host dies, even of SIGKILL, the kernel closes its end of the watchdog's stdin
/// and its pid disappears. Each test shows one of the two signs is enough to stop the server and
/// delete its folder.
/// </summary>
public sealed class WatchdogTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task When_the_watched_process_is_killed_the_server_stops_and_its_folder_goes()
    {
        using var standInHost = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        await using var server = await InfluxDbServer.StartNewAsync(new InfluxDbOptions { WatchedProcessId = standInHost.Id });
        var pid = server.ProcessId!.Value;

        standInHost.Kill();

        Assert.True(await ProcessProbe.WaitUntilGoneAsync(pid, Deadline), $"influxd {pid} still runs after its host died");
        Assert.True(await WaitUntilAsync(() => !Directory.Exists(server.DirectoryPath), Deadline), "the temp folder was not deleted");
    }

    [Fact]
    public async Task When_the_hosts_end_of_the_pipe_closes_the_server_stops_and_its_folder_goes()
    {
        await using var server = await MosquittoServer.StartNewAsync();
        var pid = server.ProcessId!.Value;

        server.CurrentProcess!.SimulateHostExit();

        Assert.True(await ProcessProbe.WaitUntilGoneAsync(pid, Deadline), $"mosquitto {pid} still runs after its host died");
        Assert.True(await WaitUntilAsync(() => !Directory.Exists(server.DirectoryPath), Deadline), "the temp folder was not deleted");
    }

    [Fact]
    public async Task The_pid_the_fixture_reports_is_the_server_itself_and_a_child_of_its_watchdog()
    {
        await using var server = await MosquittoServer.StartNewAsync();
        var pid = server.ProcessId!.Value;

        Assert.StartsWith("/usr/sbin/mosquitto -c ", ProcessProbe.CommandLine(pid), StringComparison.Ordinal);
        var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
        var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(server.CurrentProcess!.WrapperPid, parent);
    }

    [Fact]
    public async Task Every_stop_command_is_honoured_even_when_it_arrives_as_the_read_times_out()
    {
        // bash's read -t can time out after consuming part of a line; a watchdog that dropped that
        // part missed about one TERM in twenty and the server then took the SIGKILL path.
        var log = Path.Combine(Path.GetTempPath(), $"iot-watchdog-test-{Guid.NewGuid():N}.log");
        try
        {
            for (var run = 0; run < 30; run++)
            {
                using var sleeper = await WatchedProcess.StartAsync("/bin/sleep", ["30"], log, null, Environment.ProcessId, CancellationToken.None);
                await Task.Delay(run % 7 * 3);
                sleeper.Signal(ServerSignal.Terminate);
                Assert.True(await sleeper.WaitForExitAsync(TimeSpan.FromSeconds(3), CancellationToken.None), $"run {run}: TERM was not honoured");
            }

            Assert.DoesNotContain("unknown command", await File.ReadAllTextAsync(log), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
