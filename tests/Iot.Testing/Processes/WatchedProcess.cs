using System.Diagnostics;
using System.Globalization;

namespace Iot.Testing.Processes;

/// <summary>
/// One run of a server under the <see cref="Watchdog"/> wrapper: start, signal, wait, with a
/// deadline on every wait.
/// </summary>
internal sealed class WatchedProcess : IDisposable
{
    private static readonly TimeSpan PidLineTimeout = TimeSpan.FromSeconds(10);
    private readonly Process wrapper;
    private readonly string executable;

    private WatchedProcess(Process wrapper, string executable, int serverPid)
    {
        this.wrapper = wrapper;
        this.executable = executable;
        ServerPid = serverPid;
    }

    /// <summary>The pid of the server itself (not the wrapper).</summary>
    public int ServerPid { get; }

    /// <summary>The pid of the bash wrapper.</summary>
    public int WrapperPid => wrapper.Id;

    /// <summary>True once the wrapper exited, which it does only after the server exited.</summary>
    public bool HasExited => wrapper.HasExited;

    /// <summary>Starts <paramref name="executable"/> under the watchdog.</summary>
    /// <param name="watchedPid">The pid whose death stops the server: the test host, or in tests of the watchdog itself, a stand-in.</param>
    /// <param name="cleanupDirectory">Deleted by the watchdog when the watched process is gone; null for none.</param>
    public static async Task<WatchedProcess> StartAsync(
        string executable,
        IReadOnlyList<string> arguments,
        string logPath,
        string? cleanupDirectory,
        int watchedPid,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(FindBash())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(Watchdog.Script);
        startInfo.ArgumentList.Add("iot-watchdog");
        startInfo.ArgumentList.Add(watchedPid.ToString(CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add(logPath);
        startInfo.ArgumentList.Add(cleanupDirectory ?? string.Empty);
        startInfo.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // influxd reads INFLUXDB_* variables over its config file; the generated file must win.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("INFLUXDB_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        var wrapper = Process.Start(startInfo)
            ?? throw new ServerException($"could not start bash to run {executable}");
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(PidLineTimeout);
            string? line;
            try
            {
                line = await wrapper.StandardOutput.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                line = null;
            }

            if (line is null || !int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var serverPid))
            {
                throw new ServerException(
                    $"the watchdog for {executable} did not print the server pid within {PidLineTimeout.TotalSeconds:0} s (got '{line}')");
            }

            return new WatchedProcess(wrapper, executable, serverPid);
        }
        catch
        {
            TryKillWrapper(wrapper);
            wrapper.Dispose();
            throw;
        }
    }

    /// <summary>Asks the watchdog to send SIGTERM or SIGKILL to the server.</summary>
    public void Signal(ServerSignal signal)
    {
        var command = signal == ServerSignal.Kill ? "KILL" : "TERM";
        try
        {
            wrapper.StandardInput.WriteLine(command);
            wrapper.StandardInput.Flush();
        }
        catch (IOException)
        {
            // The wrapper is gone, and it never leaves its server running while alive; if it was
            // killed from outside, signal the server directly, after checking that pid is still ours.
            if (signal == ServerSignal.Kill)
            {
                ProcessProbe.KillIfCommandIs(ServerPid, executable);
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Waits until the server and its wrapper exited; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await wrapper.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Closes the watchdog's stdin, exactly what the kernel does when the test host dies: the
    /// watchdog then stops the server and deletes the cleanup folder.
    /// </summary>
    internal void SimulateHostExit() => wrapper.StandardInput.Close();

    public void Dispose()
    {
        if (!wrapper.HasExited)
        {
            // Only reached when a stop failed; the watchdog stops the server once its stdin closes.
            try
            {
                wrapper.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }

        wrapper.Dispose();
    }

    private static void TryKillWrapper(Process wrapper)
    {
        try
        {
            // A closed stdin makes the watchdog stop whatever it started, then exit.
            wrapper.StandardInput.Close();
            if (!wrapper.WaitForExit(TimeSpan.FromSeconds(12)))
            {
                wrapper.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static string FindBash()
    {
        foreach (var candidate in new[] { "/bin/bash", "/usr/bin/bash" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "bash";
    }
}

internal enum ServerSignal
{
    Terminate,
    Kill,
}
