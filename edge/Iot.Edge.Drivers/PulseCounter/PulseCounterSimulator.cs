using System.Device.Gpio;
using Iot.Edge.Drivers.Gpio;

namespace Iot.Edge.Drivers.PulseCounter;

/// <summary>
/// A hall-effect turbine flow meter on a GPIO line, simulated for tests and the gateway's simulated hardware mode:
/// while the line is open, its signal falls once per pulse at the rate the simulated flow gives
/// (<see cref="FlowLitresPerMinute"/> · <see cref="PulsesPerLitre"/> / 60 Hz) and rises again, raising the edges to
/// the handlers registered on the line. Hand it to <c>new GpioController(simulator)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Pulses are timed with one-shot timers of the <see cref="TimeProvider"/>, one pulse per timer, so with a fake clock
/// they come only when the test advances it. A fake clock fires every timer due within one advance at the advance's
/// end time, so advance in steps shorter than the pulse period to keep pulses apart in time, as they are on a real
/// line.
/// </para>
/// <para>
/// Faults: <see cref="BounceEdgesPerPulse"/> adds extra falling edges right after each pulse, as a noisy or ringing
/// line gives; <see cref="EmitFallingEdge"/> puts one edge on the line at once (tests time bounce with it).
/// </para>
/// </remarks>
public sealed class PulseCounterSimulator : SimulatedGpioDriver
{
    /// <summary>How often the simulator looks at the flow again while it is zero.</summary>
    static readonly TimeSpan IdleRecheck = TimeSpan.FromMilliseconds(50);

    /// <summary>The shortest wait between two timer callbacks.</summary>
    static readonly TimeSpan ShortestWait = TimeSpan.FromMicroseconds(10);

    readonly ITimer _timer;
    bool _running;
    long _lastTick;
    double _phase;
    double _rate;
    long _pulses;
    long _edges;
    bool _disposed;

    /// <summary>Creates a meter on <paramref name="pin"/>; pulses start when the line is opened.</summary>
    /// <param name="pin">The line the meter's signal is on.</param>
    /// <param name="pulsesPerLitre">The simulated meter's constant (450 for a YF-S201).</param>
    /// <param name="timeProvider">The clock pulses are timed on; the system clock when null.</param>
    public PulseCounterSimulator(int pin, double pulsesPerLitre = PulseCounter.YfS201PulsesPerLitre, TimeProvider? timeProvider = null)
        : base(timeProvider: timeProvider)
    {
        if (!double.IsFinite(pulsesPerLitre) || pulsesPerLitre <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pulsesPerLitre), pulsesPerLitre, "pulses per litre must be positive");
        }

        Pin = pin;
        PulsesPerLitre = pulsesPerLitre;
        _timer = TimeProvider.CreateTimer(static state => ((PulseCounterSimulator)state!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        // The signal idles high between pulses (the meter's output transistor is off).
        DriveInput(pin, PinValue.High);
    }

    /// <summary>The line the meter's signal is on.</summary>
    public int Pin { get; }

    /// <summary>The simulated meter's pulses per litre.</summary>
    public double PulsesPerLitre { get; }

    /// <summary>
    /// The flow through the meter in litres per minute, as a function of time (0 by default; negative counts as 0). It
    /// is sampled at every pulse, and every 50 ms while the flow is zero.
    /// </summary>
    public Func<DateTimeOffset, double> FlowLitresPerMinute
    {
        get;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (SyncRoot)
            {
                field = value;
                if (_running)
                {
                    // The old flow ran until now; the new one starts now.
                    Integrate(TimeProvider.GetTimestamp());
                    _rate = Rate(TimeProvider.GetUtcNow());
                    Schedule();
                }
            }
        }
    } = static _ => 0.0;

    /// <summary>
    /// Extra falling edges right after each pulse (bounce, ringing), 0 by default. They follow the pulse at once, on
    /// the same thread: microseconds apart on the system clock, at the same instant on a fake one.
    /// </summary>
    public int BounceEdgesPerPulse
    {
        get;
        set => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be zero or positive");
    }

    /// <summary>Genuine pulses the meter has given (the volume that flowed, in pulses).</summary>
    public long PulsesEmitted
    {
        get
        {
            lock (SyncRoot)
            {
                return _pulses;
            }
        }
    }

    /// <summary>All falling edges put on the line: pulses, bounce and <see cref="EmitFallingEdge"/>.</summary>
    public long EdgesEmitted
    {
        get
        {
            lock (SyncRoot)
            {
                return _edges;
            }
        }
    }

    /// <summary>Puts one falling edge (and the rising edge after it) on the line now, outside the flow.</summary>
    public void EmitFallingEdge()
    {
        lock (SyncRoot)
        {
            _edges++;
        }

        Pulse();
    }

    /// <inheritdoc/>
    protected override void OnOpen(int pinNumber)
    {
        if (pinNumber == Pin && !_running && !_disposed)
        {
            _running = true;
            _lastTick = TimeProvider.GetTimestamp();
            _phase = 0;
            _rate = Rate(TimeProvider.GetUtcNow());
            Schedule();
        }
    }

    /// <inheritdoc/>
    protected override void OnClose(int pinNumber)
    {
        if (pinNumber == Pin)
        {
            _running = false;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        // The base closes the open lines first, which stops the timer; then the timer goes.
        base.Dispose(disposing);
        if (disposing)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }

    void Tick()
    {
        int edges;
        lock (SyncRoot)
        {
            if (!_running)
            {
                return;
            }

            // The rate sampled at the last callback held until now (the flow is sampled once per pulse).
            Integrate(TimeProvider.GetTimestamp());
            edges = 0;
            if (_phase >= 1.0 - 1e-9)
            {
                // One pulse per callback, so pulses stay apart in time even when a timer fired late.
                _phase = Math.Max(0.0, _phase - 1.0);
                _pulses++;
                edges = 1 + BounceEdgesPerPulse;
                _edges += edges;
            }

            _rate = Rate(TimeProvider.GetUtcNow());
            Schedule();
        }

        for (int i = 0; i < edges; i++)
        {
            Pulse();
        }
    }

    void Pulse()
    {
        DriveInput(Pin, PinValue.Low);
        DriveInput(Pin, PinValue.High);
    }

    void Integrate(long now)
    {
        _phase += _rate * TimeProvider.GetElapsedTime(_lastTick, now).TotalSeconds;
        _lastTick = now;
    }

    void Schedule()
    {
        double seconds;
        if (_rate <= 0)
        {
            seconds = IdleRecheck.TotalSeconds;
        }
        else if (_phase >= 1.0)
        {
            // Behind (a late timer): catch up at twice the rate, never faster than the meter could pulse.
            seconds = 0.5 / _rate;
        }
        else
        {
            seconds = (1.0 - _phase) / _rate;
        }

        TimeSpan wait = TimeSpan.FromSeconds(Math.Clamp(seconds, ShortestWait.TotalSeconds, IdleRecheck.TotalSeconds));
        if (ReferenceEquals(TimeProvider, TimeProvider.System))
        {
            // System timers count whole milliseconds and would fire early on a fraction: round up.
            wait = TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
        }

        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    double Rate(DateTimeOffset at) => Math.Max(0.0, FlowLitresPerMinute(at)) * PulsesPerLitre / 60.0;
}
