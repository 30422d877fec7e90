using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Iot.Bench.Edge;

/// <summary>
/// CPU time, which another program on the machine disturbs far less than wall time: of the calling thread
/// (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, nanoseconds) and of a whole process (<c>/proc/PID/stat</c>).
/// </summary>
internal static partial class CpuTime
{
    const int ClockThreadCpuTimeId = 3;

    /// <summary>CPU time the calling thread has used so far; zero where the clock is not there.</summary>
    public static TimeSpan CurrentThread() =>
        ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0 ? TimeSpan.FromTicks((ts.Seconds * TimeSpan.TicksPerSecond) + (ts.Nanoseconds / 100)) : TimeSpan.Zero;

    /// <summary>CPU time (user and system) process <paramref name="pid"/> has used so far; zero if it is gone.</summary>
    public static TimeSpan OfProcess(int? pid)
    {
        if (pid is null)
        {
            return TimeSpan.Zero;
        }

        try
        {
            using var process = Process.GetProcessById(pid.Value);
            return process.TotalProcessorTime;
        }
        catch (ArgumentException)
        {
            return TimeSpan.Zero;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>CPU time of this process and of <paramref name="brokerPid"/> at one moment.</summary>
    public static (TimeSpan Self, TimeSpan Broker) Now(int? brokerPid) => (OfProcess(Environment.ProcessId), OfProcess(brokerPid));

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec ts);
}
