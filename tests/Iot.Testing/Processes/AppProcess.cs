using System.Diagnostics;
using System.Text;

namespace Iot.Testing.Processes;

/// <summary>
/// One of this repository's .NET programs (<c>iot-gateway</c>, <c>iot-cloud</c>) as a child process of the tests:
/// started from beside the tests (a project reference copies it there) with host configuration overrides, its output
/// gathered, stopped with SIGTERM or killed with SIGKILL.
/// </summary>
public sealed class AppProcess : IDisposable
{
    readonly System.Diagnostics.Process _process;
    readonly StringBuilder _output = new();

    AppProcess(string name, System.Diagnostics.Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The program's name, e.g. <c>iot-cloud</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The program <paramref name="name"/>: from its own folder <c>apps/NAME/</c> beside the tests when the test project
    /// copies it there (when its dependencies cannot all sit beside the tests), otherwise beside the tests.
    /// </summary>
    public static string ExecutableOf(string name)
    {
        string own = Path.Combine(AppContext.BaseDirectory, "apps", name, name + ".dll");
        return File.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, name + ".dll");
    }

    /// <summary>Everything it wrote to standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its exit code, once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="name"/> in <paramref name="workingDirectory"/> (also its content root) with <paramref name="args"/>.</summary>
    public static AppProcess Start(string name, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ExecutableOf(name));
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(workingDirectory);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        return new AppProcess(name, System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}"));
    }

    /// <summary>SIGKILL: the process gets no chance to flush or say goodbye, as in a power cut.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM and wait for a clean exit.</summary>
    public async Task<int> StopAsync(TimeSpan deadline)
    {
        using (var term = System.Diagnostics.Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits (at most <paramref name="deadline"/>) for it to exit; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits (at most <paramref name="deadline"/>) until its output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > until || HasExited)
            {
                throw new TimeoutException($"{Name} did not say '{text}' within {deadline.TotalSeconds} s; it said:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Kills it if it still runs.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}

