using System.Diagnostics;

namespace Iot.Testing.Processes;

/// <summary>Looks at processes through /proc, so tests can prove a server is really gone.</summary>
public static class ProcessProbe
{
    /// <summary>
    /// True when <paramref name="pid"/> exists and is not a zombie. A zombie has exited and only
    /// waits for its parent to collect the status, so it counts as gone.
    /// </summary>
    public static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }

        // "pid (comm) state ...": comm may contain spaces and parentheses, so split at the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return false;
        }

        var state = stat[close + 2];
        return state is not ('Z' or 'X' or 'x');
    }

    /// <summary>Waits until <paramref name="pid"/> is gone; false if it is still running at the deadline.</summary>
    public static async Task<bool> WaitUntilGoneAsync(int pid, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        while (IsRunning(pid))
        {
            if (stopwatch.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken);
        }

        return true;
    }

    /// <summary>The process's command line (arguments joined by spaces), or null when it is gone.</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL to <paramref name="pid"/>, only if its command line still starts with <paramref name="executable"/> (guards against pid reuse).</summary>
    internal static void KillIfCommandIs(int pid, string executable)
    {
        var commandLine = CommandLine(pid);
        if (commandLine is null || !commandLine.StartsWith(executable, StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}
