using System.Diagnostics;
using System.Globalization;
using System.Text;
using Iot.Testing.Processes;

namespace Iot.Testing;

/// <summary>
/// A real server process owned by one test fixture: its own temp folder (config, data, log), its
/// own loopback ports, started under a watchdog that stops it if the test host dies.
/// </summary>
/// <remarks>
/// <see cref="StopAsync"/> and <see cref="StartAsync"/> keep the folder and the ports, so a restart
/// finds its data where it left it and clients reconnect to the same address.
/// <see cref="DisposeAsync"/> stops the server and deletes the folder.
/// </remarks>
public abstract class LocalServer : IAsyncDisposable
{
    private const int FirstStartAttempts = 5;
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(20);

    private readonly string executable;
    private readonly TimeSpan startTimeout;
    private readonly TimeSpan stopTimeout;
    private readonly int watchedProcessId;
    private WatchedProcess? process;
    private bool disposed;

    private protected LocalServer(
        string name,
        string executable,
        TimeSpan startTimeout,
        TimeSpan stopTimeout,
        int? watchedProcessId)
    {
        Name = name;
        this.executable = executable;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
        this.watchedProcessId = watchedProcessId ?? Environment.ProcessId;
        DirectoryPath = Directory.CreateTempSubdirectory($"iot-{name}-").FullName;
        LogPath = Path.Combine(DirectoryPath, $"{name}.log");
    }

    /// <summary>The executable's name, e.g. "influxd".</summary>
    public string Name { get; }

    /// <summary>The server's own temp folder: config, data and log. Deleted on dispose.</summary>
    public string DirectoryPath { get; }

    /// <summary>Everything the server and its watchdog wrote, across restarts.</summary>
    public string LogPath { get; }

    /// <summary>The port clients use, on 127.0.0.1. The same across restarts.</summary>
    public int Port { get; private protected set; }

    /// <summary>The server's pid while it runs; null when stopped or killed.</summary>
    public int? ProcessId => process is { HasExited: false } running ? running.ServerPid : null;

    /// <summary>True from a successful start until stop, kill, or the server exiting on its own.</summary>
    public bool IsRunning => process is { HasExited: false };

    internal WatchedProcess? CurrentProcess => process;

    /// <summary>The command-line arguments for the configuration written by <see cref="WriteConfiguration"/>.</summary>
    private protected abstract IReadOnlyList<string> Arguments { get; }

    /// <summary>What readiness means, for error messages, e.g. "GET http://127.0.0.1:1234/ping to answer 204".</summary>
    private protected abstract string ReadinessDescription { get; }

    /// <summary>
    /// Starts the server again after <see cref="StopAsync"/> or <see cref="KillAsync"/>, on the
    /// same ports with the same data, and waits until it is ready.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running (pid {ProcessId})");
        }

        ReleaseProcess();
        if (!await LaunchAsync(cancellationToken))
        {
            throw Failure(
                $"{Name} could not bind its port {Port} again on restart: another process took it while {Name} was stopped");
        }
    }

    /// <summary>
    /// SIGTERM, then waits for a clean exit (the stop timeout from the options), then SIGKILL.
    /// Does nothing when not running.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Signal(ServerSignal.Terminate);
            if (!await process.WaitForExitAsync(stopTimeout, cancellationToken))
            {
                process.Signal(ServerSignal.Kill);
                if (!await process.WaitForExitAsync(KillTimeout, cancellationToken))
                {
                    throw Failure(
                        $"{Name} (pid {process.ServerPid}) did not exit within {Seconds(stopTimeout)} after SIGTERM and {Seconds(KillTimeout)} after SIGKILL");
                }
            }
        }

        ReleaseProcess();
    }

    /// <summary>SIGKILL: no clean shutdown, as in a crash or power cut. Waits until the process is gone.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Signal(ServerSignal.Kill);
            if (!await process.WaitForExitAsync(KillTimeout, cancellationToken))
            {
                throw Failure($"{Name} (pid {process.ServerPid}) did not exit within {Seconds(KillTimeout)} after SIGKILL");
            }
        }

        ReleaseProcess();
    }

    /// <summary><see cref="StopAsync"/> then <see cref="StartAsync"/>.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>The whole log (server output and watchdog notes), e.g. to assert nothing logged an error.</summary>
    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return string.Empty;
        }
        catch (DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of the log.</summary>
    public string ReadLogTail(int lines = 40)
    {
        var all = ReadLog().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore();
        GC.SuppressFinalize(this);
    }

    private protected virtual async ValueTask DisposeAsyncCore()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            await StopAsync(CancellationToken.None);
        }
        finally
        {
            ReleaseProcess();
            DeleteDirectory();
        }
    }

    /// <summary>Picks new ports for a first start (again, when the previous ones were taken).</summary>
    private protected abstract void ChoosePorts();

    /// <summary>Writes the config file(s) into <see cref="DirectoryPath"/>; called before every start.</summary>
    private protected abstract void WriteConfiguration();

    /// <summary>One readiness probe: true when ready, false when not yet. Must not throw for "not yet".</summary>
    private protected abstract Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>First start: picks ports and retries on fresh ones while the bind fails.</summary>
    private protected async Task StartFirstTimeAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= FirstStartAttempts; attempt++)
        {
            ChoosePorts();
            if (await LaunchAsync(cancellationToken))
            {
                return;
            }

            ReleaseProcess();
        }

        throw Failure($"{Name} could not bind a free port in {FirstStartAttempts} attempts");
    }

    private protected ServerException Failure(string what) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"{what}.\nLast lines of {LogPath}:\n{ReadLogTail()}"));

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");

    /// <summary>Launches and waits for readiness. False when the server exited because its port was in use.</summary>
    private async Task<bool> LaunchAsync(CancellationToken cancellationToken)
    {
        WriteConfiguration();
        var logStart = ReadLog().Length;
        var launched = await WatchedProcess.StartAsync(
            executable, Arguments, LogPath, DirectoryPath, watchedProcessId, cancellationToken);
        process = launched;

        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (launched.HasExited)
            {
                var log = ReadLog();
                if (log.Length > logStart
                    && log.AsSpan(logStart).Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                throw Failure($"{Name} exited before it was ready (waited for {ReadinessDescription})");
            }

            if (await IsReadyAsync(cancellationToken))
            {
                return true;
            }

            if (stopwatch.Elapsed > startTimeout)
            {
                var failure = Failure($"{Name} (pid {launched.ServerPid}) was not ready within {Seconds(startTimeout)} (waited for {ReadinessDescription})");
                await KillAsync(cancellationToken);
                throw failure;
            }

            await Task.Delay(ProbeInterval, cancellationToken);
        }
    }

    private void ReleaseProcess()
    {
        process?.Dispose();
        process = null;
    }

    private void DeleteDirectory()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(DirectoryPath, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(100);
            }
        }
    }
}
