using System.Diagnostics;
using System.Globalization;

namespace Iot.Bench.Edge;

/// <summary>The real gateway executable (edge/Iot.Edge, iot-gateway.dll) as a child process, started with configuration overrides.</summary>
internal sealed class GatewayProcess : IDisposable
{
    const int TailLines = 40;
    readonly Process _process;
    readonly Queue<string> _tail = new();

    GatewayProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The gateway's last lines of output (its log), for when something went wrong.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    /// <summary>
    /// The gateway built beside this benchmark in the same configuration: edge/Iot.Edge/bin/CONFIG/net10.0/iot-gateway.dll
    /// of the repository this benchmark was built in (what <c>./iot gateway</c> runs), else the copy the project
    /// reference put beside the benchmark.
    /// </summary>
    public static string FindExecutable()
    {
#if DEBUG
        const string Configuration = "Debug";
#else
        const string Configuration = "Release";
#endif
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Iot.sln")))
            {
                string built = Path.Combine(dir.FullName, "edge", "Iot.Edge", "bin", Configuration, "net10.0", "iot-gateway.dll");
                if (File.Exists(built))
                {
                    return built;
                }

                break;
            }
        }

        string beside = Path.Combine(AppContext.BaseDirectory, "iot-gateway.dll");
        return File.Exists(beside) ? beside : throw new FileNotFoundException("iot-gateway.dll not found: build edge/Iot.Edge first", beside);
    }

    /// <summary>Runs <c>dotnet <paramref name="executable"/></c> in <paramref name="workingDirectory"/> with <paramref name="args"/>.</summary>
    public static GatewayProcess Start(string executable, string workingDirectory, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(executable);

        // Its own appsettings.json is read, as a deployed gateway reads its configuration file; the overrides win.
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(Path.GetDirectoryName(executable)!);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        return new GatewayProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet"));
    }

    /// <summary>A line of /proc/PID/status in whole kB (e.g. <c>VmRSS</c>, <c>VmHWM</c>), or null when the process is gone.</summary>
    public long? StatusKilobytes(string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{Id}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    string value = line[(field.Length + 1)..].Trim();
                    return long.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>SIGTERM (a clean stop: the gateway flushes, drains its outbox and says offline), then waits at most <paramref name="deadline"/>.</summary>
    public async Task<bool> StopAsync(TimeSpan deadline)
    {
        if (_process.HasExited)
        {
            return true;
        }

        using (var term = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // Only when the clean stop failed or the benchmark was interrupted: SIGKILL, this process only.
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
