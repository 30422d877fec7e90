using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Iot.Contracts.Messages;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Clock;

/// <summary>
/// The gateway's time, honestly: the current UTC time, whether the clock is synchronised, and per-sensor timestamps
/// that never go backwards.
/// </summary>
/// <remarks>
/// A board without a real-time clock boots with a wrong time (often 1970, or the last shutdown) until NTP corrects
/// it; the correction can also step the clock back. Every message says whether its timestamps were taken with a
/// synchronised clock, and <see cref="Stamp"/> keeps each sensor's timestamps strictly increasing across a step back
/// (a reading is stamped 1 ms after that sensor's previous one until the clock catches up).
/// </remarks>
public sealed partial class GatewayClock
{
    readonly TimeProvider _time;
    readonly Func<bool> _isSynchronized;
    readonly ConcurrentDictionary<string, long> _lastTicksBySensor = new(StringComparer.Ordinal);

    /// <summary>A clock over <paramref name="time"/> whose synchronisation state comes from <paramref name="isSynchronized"/>.</summary>
    public GatewayClock(TimeProvider time, Func<bool> isSynchronized)
    {
        _time = time;
        _isSynchronized = isSynchronized;
    }

    /// <summary>The clock configured by <see cref="ClockOptions"/>.</summary>
    public GatewayClock(TimeProvider time, IOptions<ClockOptions> options)
        : this(time, SourceOf(options.Value.Source))
    {
    }

    /// <summary>Now, UTC, truncated to milliseconds (the contract's precision).</summary>
    public DateTime UtcNow
    {
        get
        {
            long ticks = _time.GetUtcNow().UtcTicks;
            return new DateTime(ticks - (ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        }
    }

    /// <summary>
    /// Whether the clock is synchronised now. The answer is kept for a second: asking the kernel is a system call, and
    /// every sensor read asks.
    /// </summary>
    public ClockState State
    {
        get
        {
            long now = _time.GetTimestamp();
            var cached = Volatile.Read(ref _cached);
            if (cached is not null && _time.GetElapsedTime(cached.At, now) < TimeSpan.FromSeconds(1))
            {
                return cached.State;
            }

            var state = _isSynchronized() ? ClockState.Synchronized : ClockState.Unsynchronized;
            Volatile.Write(ref _cached, new CachedState(state, now));
            return state;
        }
    }

    sealed record CachedState(ClockState State, long At);

    CachedState? _cached;

    /// <summary>A timestamp for a new reading of <paramref name="sensorId"/>: now, or 1 ms after its previous one if the clock stepped back.</summary>
    public DateTime Stamp(string sensorId)
    {
        long now = UtcNow.Ticks;
        long stamped = _lastTicksBySensor.AddOrUpdate(
            sensorId,
            static (_, now) => now,
            static (_, last, now) => Math.Max(now, last + TimeSpan.TicksPerMillisecond),
            now);
        return new DateTime(stamped, DateTimeKind.Utc);
    }

    static Func<bool> SourceOf(ClockSource source) => source switch
    {
        ClockSource.AssumeSynchronized => static () => true,
        ClockSource.AssumeUnsynchronized => static () => false,
        _ => KernelSaysSynchronized,
    };

    /// <summary>
    /// Linux adjtimex(2) in read-only mode returns the clock state; TIME_ERROR (5) means "not synchronised"
    /// (the kernel's STA_UNSYNC flag, which NTP daemons clear once they discipline the clock; it is what
    /// timedatectl reports as "System clock synchronized").
    /// </summary>
    internal static bool KernelSaysSynchronized()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // struct timex is 208 bytes on 64-bit Linux; a larger zeroed buffer with modes = 0 only reads.
        nint buffer = Marshal.AllocHGlobal(512);
        try
        {
            unsafe
            {
                new Span<byte>((void*)buffer, 512).Clear();
            }

            int state = Adjtimex(buffer);
            return InterpretAdjtimex(state);
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    /// <summary>adjtimex's return: -1 failed, 5 TIME_ERROR (unsynchronised), 0..4 synchronised states.</summary>
    internal static bool InterpretAdjtimex(int state) => state is >= 0 and < 5;

    [LibraryImport("libc", EntryPoint = "adjtimex", SetLastError = true)]
    private static partial int Adjtimex(nint buffer);
}
