using System.Device.Gpio;
using Iot.Edge.Drivers.Gpio;

namespace Iot.Edge.Drivers.Hx711;

/// <summary>
/// An HX711 and its load cell simulated at pin level, for tests and the gateway's simulated hardware mode. Hand it to
/// <c>new GpioController(simulator)</c> and give the <see cref="Hx711"/> driver the same two line numbers.
/// </summary>
/// <remarks>
/// <para>
/// It behaves as the datasheet describes: conversions complete once per conversion period (the first one a settling
/// time after power-up or reset); DOUT goes low when a conversion the driver has not read is ready; each PD_SCK rising
/// edge shifts out the next bit, MSB first; the 25th pulse pulls DOUT high; 25, 26 or 27 pulses select the input and
/// gain of the next conversion (Table 3), a change restarting the conversion cycle with the result moving from the old
/// input's value to the new one over the settling time; PD_SCK high for more than 60 µs powers the chip down and the
/// falling edge resets it to channel A, gain 128 (Fig. 3). Fewer than 25 or more than 27 pulses in one conversion
/// period count as <see cref="CommunicationErrors"/>.
/// </para>
/// <para>
/// The physical input is a mass on a strain-gauge load cell: channel A sees the bridge output
/// <c>S·AVDD·m/capacity + offset</c> (S the rated output in mV/V; the on-chip regulator excites the bridge with AVDD),
/// converted with the inverse of the datasheet's coding. Channel B sees <see cref="ChannelBMillivolts"/>.
/// </para>
/// <para>Time comes from the <see cref="TimeProvider"/>: with a fake clock, nothing happens until the test advances it.</para>
/// </remarks>
public sealed class Hx711Simulator : SimulatedGpioDriver
{
    readonly TimeSpan _period;
    readonly TimeSpan _settling;
    readonly Random _random;

    Hx711Input _selection = Hx711Input.ChannelAGain128;

    // The conversion grid: conversions complete at _gridStart + _firstDelay + k * _period.
    long _gridStart;
    TimeSpan _firstDelay;

    // After an input change, results move from _blendFrom's value to the new input's over the settling time.
    Hx711Input? _blendFrom;
    long _blendStart;

    // The read in progress: pulses so far (0 = none), the latched code, and what to restore if the pulses end up
    // selecting the input the read started with.
    int _pulses;
    int _lastPulseCount;
    uint _latched;
    long _latchedCompletion = long.MinValue;
    Hx711Input _sessionSelection;
    long _sessionGridStart;
    TimeSpan _sessionFirstDelay;
    Hx711Input? _sessionBlendFrom;
    long _sessionBlendStart;

    bool _clockHigh;
    long _clockHighSince;
    bool _poweredDown;

    /// <summary>Creates a powered-up HX711 whose first conversion is ready one settling time from now.</summary>
    /// <param name="clockPin">The line number of PD_SCK.</param>
    /// <param name="dataPin">The line number of DOUT.</param>
    /// <param name="dataRate">How the simulated board's RATE pin is wired.</param>
    /// <param name="timeProvider">The clock conversions run on; the system clock when null.</param>
    /// <param name="noiseSeed">Seed of the noise generator, so a simulated run repeats exactly.</param>
    public Hx711Simulator(
        int clockPin,
        int dataPin,
        Hx711DataRate dataRate = Hx711DataRate.TenSamplesPerSecond,
        TimeProvider? timeProvider = null,
        int noiseSeed = 711)
        : base(timeProvider: timeProvider)
    {
        if (clockPin == dataPin)
        {
            throw new ArgumentException("PD_SCK and DOUT need two different lines", nameof(dataPin));
        }

        ClockPin = clockPin;
        DataPin = dataPin;
        DataRate = dataRate;
        _period = dataRate == Hx711DataRate.TenSamplesPerSecond ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMicroseconds(12_500);
        _settling = dataRate == Hx711DataRate.TenSamplesPerSecond ? TimeSpan.FromMilliseconds(400) : TimeSpan.FromMilliseconds(50);
        _random = new Random(noiseSeed);
        Restart(TimeProvider.GetTimestamp(), _settling);
    }

    /// <summary>The line number of PD_SCK.</summary>
    public int ClockPin { get; }

    /// <summary>The line number of DOUT.</summary>
    public int DataPin { get; }

    /// <summary>The simulated board's output data rate.</summary>
    public Hx711DataRate DataRate { get; }

    /// <summary>The mass on the load cell in kilograms, as a function of time (0 by default).</summary>
    public Func<DateTimeOffset, double> Mass { get; set; } = static _ => 0.0;

    /// <summary>The load cell's rated output at capacity, in mV/V (2 mV/V by default).</summary>
    public double RatedOutputMillivoltsPerVolt { get; set; } = 2.0;

    /// <summary>The load cell's rated capacity in kilograms (10 kg by default).</summary>
    public double CapacityKilograms { get; set; } = 10.0;

    /// <summary>AVDD, the analog supply, which also excites the bridge (5 V by default).</summary>
    public double AnalogSupplyVolts { get; set; } = 5.0;

    /// <summary>The bridge's output with nothing on it (zero balance plus the platform), in millivolts.</summary>
    public double OffsetMillivolts { get; set; }

    /// <summary>The differential voltage on channel B in millivolts, as a function of time (0 by default).</summary>
    public Func<DateTimeOffset, double> ChannelBMillivolts { get; set; } = static _ => 0.0;

    /// <summary>Standard deviation of Gaussian noise added to each conversion, in counts (0 by default).</summary>
    public double NoiseCounts { get; set; }

    /// <summary>Fault: the chip never finishes a conversion, so DOUT stays high (unpowered or unwired chip).</summary>
    public bool NeverReady { get; set; }

    /// <summary>Fault: DOUT reads low whatever the chip does (data line shorted to ground).</summary>
    public bool DataStuckLow { get; set; }

    /// <summary>When set, every conversion outputs exactly this 24-bit code (boundary tests).</summary>
    public uint? CodeOverride
    {
        get;
        set => field = value is null or <= 0xFF_FFFFu ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a 24-bit code");
    }

    /// <summary>The input and gain the chip will convert next.</summary>
    public Hx711Input Selection
    {
        get
        {
            lock (SyncRoot)
            {
                return _selection;
            }
        }
    }

    /// <summary>The level DOUT shows now, without recording a read (low: a conversion is waiting).</summary>
    public PinValue DataLevel
    {
        get
        {
            lock (SyncRoot)
            {
                return OnRead(DataPin);
            }
        }
    }

    /// <summary>Whether the chip is powered down now (PD_SCK high for more than 60 µs).</summary>
    public bool IsPoweredDown
    {
        get
        {
            lock (SyncRoot)
            {
                return CheckPowerDown(TimeProvider.GetTimestamp());
            }
        }
    }

    /// <summary>PD_SCK pulses of the read in progress or the last one.</summary>
    public int PulseCount
    {
        get
        {
            lock (SyncRoot)
            {
                return _lastPulseCount;
            }
        }
    }

    /// <summary>How many times a power-down ended in a reset.</summary>
    public int ResetCount { get; private set; }

    /// <summary>Reads that ended with fewer than 25 or more than 27 pulses within one conversion period.</summary>
    public int CommunicationErrors { get; private set; }

    /// <summary>Conversions whose data were shifted out (or started to be).</summary>
    public int ConversionsRead { get; private set; }

    /// <summary>
    /// A crate put on the scale: nothing before <paramref name="at"/>, then <paramref name="massKilograms"/> with the
    /// platform bouncing at 2 Hz and the bounce decaying to under 0.1 % by <paramref name="settlingTime"/>.
    /// </summary>
    /// <param name="massKilograms">The crate's mass.</param>
    /// <param name="at">When it lands.</param>
    /// <param name="settlingTime">How long the bounce lasts.</param>
    /// <param name="baseKilograms">What was on the scale before (and stays).</param>
    public static Func<DateTimeOffset, double> PlaceLoad(double massKilograms, DateTimeOffset at, TimeSpan settlingTime, double baseKilograms = 0.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settlingTime, TimeSpan.Zero);
        double tau = settlingTime.TotalSeconds / 7.0; // e^-7 < 0.1 %
        return t =>
        {
            double s = (t - at).TotalSeconds;
            return s < 0
                ? baseKilograms
                : baseKilograms + (massKilograms * (1.0 - (Math.Exp(-s / tau) * Math.Cos(2.0 * Math.PI * 2.0 * s))));
        };
    }

    /// <summary>The count channel A gives for a mass, without noise: the load-cell model the simulator uses.</summary>
    /// <param name="massKilograms">The mass on the load cell.</param>
    /// <param name="input">Channel A at gain 128 or 64.</param>
    public int CountsForMass(double massKilograms, Hx711Input input = Hx711Input.ChannelAGain128)
    {
        double volts = (RatedOutputMillivoltsPerVolt / 1000.0 * AnalogSupplyVolts * massKilograms / CapacityKilograms)
            + (OffsetMillivolts / 1000.0);
        return Hx711.FromDifferentialVoltage(volts, input, AnalogSupplyVolts);
    }

    /// <inheritdoc/>
    protected override PinValue OnRead(int pinNumber)
    {
        if (pinNumber != DataPin)
        {
            return base.OnRead(pinNumber);
        }

        long now = TimeProvider.GetTimestamp();
        if (CheckPowerDown(now))
        {
            return PinValue.High;
        }

        if (DataStuckLow)
        {
            return PinValue.Low;
        }

        EndStaleRead(now);
        if (_pulses is > 0 and <= 24)
        {
            // Bit 23 after the first rising edge, bit 0 after the 24th (MSB first, "Serial Interface").
            return ((_latched >> (24 - _pulses)) & 1u) == 1u ? PinValue.High : PinValue.Low;
        }

        if (_pulses >= 25)
        {
            // "The 25th pulse at PD_SCK input will pull DOUT pin back to high."
            return PinValue.High;
        }

        return IsDataReady(now) ? PinValue.Low : PinValue.High;
    }

    /// <inheritdoc/>
    protected override void OnWrite(int pinNumber, PinValue value)
    {
        if (pinNumber != ClockPin)
        {
            return;
        }

        long now = TimeProvider.GetTimestamp();
        if (value == PinValue.High)
        {
            if (!_clockHigh)
            {
                _clockHigh = true;
                _clockHighSince = now;
                OnRisingEdge(now);
            }

            return;
        }

        if (_clockHigh)
        {
            bool reset = CheckPowerDown(now);
            _clockHigh = false;
            if (reset)
            {
                // "When PD_SCK returns to low, chip will reset and enter normal operation mode. After a reset or
                // power-down event, input selection is default to Channel A with a gain of 128." (Fig. 3)
                _poweredDown = false;
                ResetCount++;
                _selection = Hx711Input.ChannelAGain128;
                _pulses = 0;
                _latchedCompletion = long.MinValue;
                Restart(now, _settling);
            }
        }
    }

    bool CheckPowerDown(long now)
    {
        // "When PD_SCK pin changes from low to high and stays at high for longer than 60 µs, HX711 enters power down
        // mode" (Fig. 3).
        if (!_poweredDown && _clockHigh && TimeProvider.GetElapsedTime(_clockHighSince, now) > Hx711.PowerDownClockHighTime)
        {
            _poweredDown = true;
        }

        return _poweredDown;
    }

    void OnRisingEdge(long now)
    {
        EndStaleRead(now);
        if (NeverReady)
        {
            return;
        }

        if (_pulses == 0)
        {
            if (!IsDataReady(now))
            {
                return; // a pulse with no data waiting shifts nothing out
            }

            long completion = LatestCompletion(now);
            _latchedCompletion = completion;
            _latched = Convert(completion, now);
            _sessionSelection = _selection;
            _sessionGridStart = _gridStart;
            _sessionFirstDelay = _firstDelay;
            _sessionBlendFrom = _blendFrom;
            _sessionBlendStart = _blendStart;
            _pulses = 1;
            _lastPulseCount = 1;
            ConversionsRead++;
            return;
        }

        _pulses++;
        _lastPulseCount = _pulses;
        if (_pulses is >= 25 and <= 27)
        {
            // Table 3: the pulse count selects the input and gain of the next conversion.
            Hx711Input chosen = (Hx711Input)_pulses;
            _selection = chosen;
            if (chosen == _sessionSelection)
            {
                _gridStart = _sessionGridStart;
                _firstDelay = _sessionFirstDelay;
                _blendFrom = _sessionBlendFrom;
                _blendStart = _sessionBlendStart;
            }
            else
            {
                Restart(now, _period);
                _blendFrom = _sessionSelection;
                _blendStart = now;
            }
        }
    }

    /// <summary>Ends a read when the next conversion completed: a read is one conversion period at most.</summary>
    void EndStaleRead(long now)
    {
        if (_pulses > 0 && IsDataReady(now))
        {
            if (_pulses is < 25 or > 27)
            {
                // "PD_SCK clock pulses should not be less than 25 or more than 27 within one conversion period, to
                // avoid causing serial communication error." ("Serial Interface")
                CommunicationErrors++;
            }

            _pulses = 0;
        }
    }

    void Restart(long now, TimeSpan firstDelay)
    {
        _gridStart = now;
        _firstDelay = firstDelay;
        _blendFrom = null;
    }

    bool IsDataReady(long now) => !NeverReady && !_poweredDown && LatestCompletion(now) > _latchedCompletion;

    /// <summary>When the latest completed conversion completed, or long.MinValue when none has yet.</summary>
    long LatestCompletion(long now)
    {
        long first = _gridStart + TicksOf(_firstDelay);
        if (now < first)
        {
            return long.MinValue;
        }

        long period = TicksOf(_period);
        return first + ((now - first) / period * period);
    }

    long TicksOf(TimeSpan span) => (long)(span.TotalSeconds * TimeProvider.TimestampFrequency);

    uint Convert(long completion, long now)
    {
        if (CodeOverride is uint code)
        {
            return code;
        }

        DateTimeOffset at = TimeProvider.GetUtcNow() - TimeProvider.GetElapsedTime(completion, now);
        double counts = CountsFor(_selection, at);
        if (_blendFrom is Hx711Input from)
        {
            double settled = TimeProvider.GetElapsedTime(_blendStart, completion) / _settling;
            if (settled < 1.0)
            {
                counts = CountsFor(from, at) + ((counts - CountsFor(from, at)) * Math.Max(0.0, settled));
            }
        }

        if (NoiseCounts > 0)
        {
            // Box-Muller: one standard normal sample from two uniform ones.
            double u1 = 1.0 - _random.NextDouble();
            double u2 = _random.NextDouble();
            counts += NoiseCounts * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        int clamped = (int)Math.Clamp(Math.Round(counts, MidpointRounding.AwayFromZero), Hx711.MinimumCounts, Hx711.MaximumCounts);
        return Hx711.ToCode(clamped);
    }

    double CountsFor(Hx711Input input, DateTimeOffset at)
    {
        double volts = input == Hx711Input.ChannelBGain32
            ? ChannelBMillivolts(at) / 1000.0
            : (RatedOutputMillivoltsPerVolt / 1000.0 * AnalogSupplyVolts * Mass(at) / CapacityKilograms) + (OffsetMillivolts / 1000.0);
        return volts / Hx711.VoltsPerCount(input, AnalogSupplyVolts);
    }
}
