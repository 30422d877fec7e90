using System.Device.Gpio;
using System.Globalization;
using Iot.Contracts.Messages;

namespace Iot.Edge.Drivers.PulseCounter;

/// <summary>
/// Counts the pulses of a hall-effect turbine flow meter (YF-S201 class) on a GPIO input and turns them into litres
/// and litres per minute, for irrigation and fertigation records. See README.md for meter constants and wiring.
/// </summary>
/// <remarks>
/// <para>
/// Each falling edge is one pulse. The edge callback comes on the GPIO driver's event thread; an edge closer than
/// <see cref="MinimumPulseInterval"/> to the last accepted one is rejected as bounce or noise
/// (<see cref="RejectedEdges"/>). <see cref="Read"/> may run on any thread: the counters are under a lock.
/// </para>
/// <para>
/// A turbine meter's frequency is proportional to flow: F = K·Q (F in Hz, Q in L/min), so one litre is 60·K pulses.
/// The YF-S201 datasheet gives F = 7.5·Q, 450 pulses per litre, within ±10 %: calibrate each meter with a known
/// volume for better.
/// </para>
/// </remarks>
public sealed class PulseCounter : IDisposable
{
    /// <summary>Pulses per litre of the YF-S201 (datasheet: F = 7.5·Q, so 7.5·60 = 450 per litre, ±10 %).</summary>
    public const double YfS201PulsesPerLitre = 450.0;

    /// <summary>
    /// Default shortest interval between two accepted pulses: 1 ms. A YF-S201 at its 30 L/min maximum pulses at
    /// 225 Hz, every 4.4 ms, so genuine pulses are never that close; contact bounce and ringing on a long cable are.
    /// </summary>
    public static readonly TimeSpan DefaultMinimumPulseInterval = TimeSpan.FromMilliseconds(1);

    readonly GpioController _controller;
    readonly TimeProvider _time;
    readonly bool _shouldDispose;
    readonly Lock _gate = new();
    readonly long _minimumIntervalTicks;
    long _lastAccepted;
    bool _anyAccepted;
    long _totalPulses;
    long _pulsesSinceRead;
    long _rejected;
    long _lastRead;
    bool _disposed;

    /// <summary>Opens the input and starts counting at once.</summary>
    /// <param name="controller">The GPIO controller the meter's signal wire reaches (through a level shifter).</param>
    /// <param name="pin">The input line.</param>
    /// <param name="pulsesPerLitre">The meter's constant: 60·K for F = K·Q, or the result of a bucket test.</param>
    /// <param name="minimumPulseInterval">Edges closer than this to the last accepted pulse are rejected; 1 ms when
    /// null. Keep it under the pulse period at the meter's highest flow, 1 / (K·Qmax).</param>
    /// <param name="inputMode">Input, or InputPullUp for an open-collector output without its own pull-up.</param>
    /// <param name="timeProvider">The clock pulses and read intervals are timed with; the system clock when null.</param>
    /// <param name="shouldDispose">Whether <see cref="Dispose"/> disposes <paramref name="controller"/>; when false it
    /// unregisters the callback and closes the line.</param>
    public PulseCounter(
        GpioController controller,
        int pin,
        double pulsesPerLitre = YfS201PulsesPerLitre,
        TimeSpan? minimumPulseInterval = null,
        PinMode inputMode = PinMode.Input,
        TimeProvider? timeProvider = null,
        bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(controller);
        if (!double.IsFinite(pulsesPerLitre) || pulsesPerLitre <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pulsesPerLitre), pulsesPerLitre, "pulses per litre must be positive");
        }

        TimeSpan interval = minimumPulseInterval ?? DefaultMinimumPulseInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero, nameof(minimumPulseInterval));
        if (inputMode is not (PinMode.Input or PinMode.InputPullUp or PinMode.InputPullDown))
        {
            throw new ArgumentOutOfRangeException(nameof(inputMode), inputMode, "the meter's signal is an input");
        }

        _controller = controller;
        _time = timeProvider ?? TimeProvider.System;
        _shouldDispose = shouldDispose;
        Pin = pin;
        PulsesPerLitre = pulsesPerLitre;
        MinimumPulseInterval = interval;
        _minimumIntervalTicks = (long)(interval.TotalSeconds * _time.TimestampFrequency);

        _controller.OpenPin(pin, inputMode);
        _lastRead = _time.GetTimestamp();
        _controller.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Falling, OnFallingEdge);
    }

    /// <summary>The input line.</summary>
    public int Pin { get; }

    /// <summary>The meter's pulses per litre.</summary>
    public double PulsesPerLitre { get; }

    /// <summary>The shortest interval between two accepted pulses.</summary>
    public TimeSpan MinimumPulseInterval { get; }

    /// <summary>Pulses accepted since the counter started: never decreases, not reset by <see cref="Read"/>.</summary>
    public long TotalPulses
    {
        get
        {
            lock (_gate)
            {
                return _totalPulses;
            }
        }
    }

    /// <summary>Edges rejected as bounce or noise since the counter started.</summary>
    public long RejectedEdges
    {
        get
        {
            lock (_gate)
            {
                return _rejected;
            }
        }
    }

    /// <summary>Litres for a pulse count: pulses / pulses-per-litre.</summary>
    /// <param name="pulses">Counted pulses.</param>
    /// <param name="pulsesPerLitre">The meter's constant.</param>
    public static double ToLitres(long pulses, double pulsesPerLitre) => pulses / pulsesPerLitre;

    /// <summary>Mean flow in L/min over an interval: litres / minutes; 0 for an empty interval without pulses.</summary>
    /// <param name="pulses">Pulses counted in the interval.</param>
    /// <param name="pulsesPerLitre">The meter's constant.</param>
    /// <param name="interval">The interval's length.</param>
    public static double ToLitresPerMinute(long pulses, double pulsesPerLitre, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            return pulses == 0 ? 0.0 : throw new ArgumentOutOfRangeException(nameof(interval), interval, "pulses in an empty interval");
        }

        return ToLitres(pulses, pulsesPerLitre) / interval.TotalMinutes;
    }

    /// <summary>Pulses per litre for a meter whose datasheet gives F = K·Q (Hz, L/min): 60·K.</summary>
    /// <param name="hertzPerLitrePerMinute">K, e.g. 7.5 for the YF-S201.</param>
    public static double PulsesPerLitreFromFrequencyFactor(double hertzPerLitrePerMinute) => 60.0 * hertzPerLitrePerMinute;

    /// <summary>
    /// The volume since the last read (or since start), the mean flow over that interval, and the running total. No
    /// pulses is a valid reading: zero litres at zero flow.
    /// </summary>
    /// <returns>The measurement; a failure only when pulses arrived but no time passed on the clock.</returns>
    public DriverResult<FlowMeasurement> Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long pulses;
        long total;
        TimeSpan interval;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            interval = _time.GetElapsedTime(_lastRead, now);
            if (interval <= TimeSpan.Zero && _pulsesSinceRead > 0)
            {
                // Keep the pulses for the next read rather than report an infinite flow.
                return DriverResult<FlowMeasurement>.Failure(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{_pulsesSinceRead} pulses but no time passed since the last read; flow undefined"));
            }

            pulses = _pulsesSinceRead;
            total = _totalPulses;
            _pulsesSinceRead = 0;
            _lastRead = now;
        }

        return DriverResult<FlowMeasurement>.Success(new FlowMeasurement(
            new Quantity(ToLitres(pulses, PulsesPerLitre), Unit.Litre),
            new Quantity(ToLitresPerMinute(pulses, PulsesPerLitre, interval), Unit.LitrePerMinute),
            new Quantity(ToLitres(total, PulsesPerLitre), Unit.Litre),
            pulses,
            interval));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_shouldDispose)
        {
            _controller.Dispose();
        }
        else
        {
            _controller.UnregisterCallbackForPinValueChangedEvent(Pin, OnFallingEdge);
            _controller.ClosePin(Pin);
        }
    }

    void OnFallingEdge(object sender, PinValueChangedEventArgs e)
    {
        if (e.ChangeType != PinEventTypes.Falling)
        {
            return;
        }

        long now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_anyAccepted && now - _lastAccepted < _minimumIntervalTicks)
            {
                _rejected++;
                return;
            }

            _anyAccepted = true;
            _lastAccepted = now;
            _totalPulses++;
            _pulsesSinceRead++;
        }
    }
}

/// <summary>What a flow meter measured between two reads.</summary>
/// <param name="Volume">Litres since the previous read.</param>
/// <param name="FlowRate">Mean flow over the interval, in litres per minute.</param>
/// <param name="TotalVolume">Litres since the counter started (monotonic).</param>
/// <param name="Pulses">Pulses counted in the interval.</param>
/// <param name="Interval">The interval's length.</param>
public readonly record struct FlowMeasurement(Quantity Volume, Quantity FlowRate, Quantity TotalVolume, long Pulses, TimeSpan Interval);
