using System.Device.Gpio;
using System.Globalization;
using Iot.Edge.Drivers.Gpio;

namespace Iot.Edge.Drivers.Hx711;

/// <summary>
/// Avia Semiconductor HX711 24-bit ADC for weigh scales, bit-banged over two GPIO lines: PD_SCK (output) and DOUT
/// (input). Datasheet: Avia Semiconductor "HX711 24-Bit Analog-to-Digital Converter (ADC) for Weigh Scales" (English
/// edition); see README.md for the sections used.
/// </summary>
/// <remarks>
/// <para>
/// A read waits for DOUT to go low (data ready) with a deadline, clocks 24 data bits MSB first, then 1..3 more pulses
/// that select the input and gain of the NEXT conversion (Table 3). When <see cref="Input"/> differs from what the chip
/// was last told, the read first spends one conversion carrying the new selection and then discards conversions until
/// the settling time has passed, so a returned value always belongs to the requested input.
/// </para>
/// <para>
/// Linux is not a real-time OS: if the thread is preempted while PD_SCK is high, the high time can pass the 50 µs
/// limit (and beyond 60 µs the chip powers down and resets). The driver measures an upper bound of every high time and
/// fails the read when it passed 50 µs, instead of returning bits that may be wrong. If it is preempted while PD_SCK is
/// low, the next conversion can complete mid-read and the bits mix two conversions: the driver also fails any read it
/// cannot prove fitted in one conversion period (see <see cref="ShortestConversionPeriod"/>), and resets the chip before
/// the next read after any read that stopped or went wrong mid-shift.
/// </para>
/// <para>One operation at a time: concurrent calls wait for each other. No identity check is possible: the HX711 has
/// no identity register or command.</para>
/// </remarks>
public sealed class Hx711 : IDisposable
{
    /// <summary>Largest output code, 0x7FFFFF: the input is at or above positive full scale (Table 2).</summary>
    public const int MaximumCounts = 0x7F_FFFF;

    /// <summary>Smallest output code, 0x800000: the input is at or below negative full scale (Table 2).</summary>
    public const int MinimumCounts = -0x80_0000;

    /// <summary>PD_SCK high time limit, T3 max 50 µs (Fig. 2 timing table).</summary>
    public static readonly TimeSpan MaximumClockHighTime = TimeSpan.FromMicroseconds(50);

    /// <summary>PD_SCK held high longer than this powers the chip down ("Reset and Power-Down", Fig. 3).</summary>
    public static readonly TimeSpan PowerDownClockHighTime = TimeSpan.FromMicroseconds(60);

    /// <summary>
    /// How long <see cref="PowerUpAsync"/> makes sure PD_SCK was high: well past 60 µs, and one millisecond because
    /// that is the finest wait a Linux timer gives reliably.
    /// </summary>
    static readonly TimeSpan PowerDownHold = TimeSpan.FromMilliseconds(1);

    const int DataBits = 24;

    // A read resets the chip when a conversion was waiting that it could not read provably within one conversion period;
    // past this many resets in one call it gives up.
    const int MostResetsPerRead = 2;

    readonly GpioController _controller;
    readonly TimeProvider _time;
    readonly bool _shouldDispose;
    readonly SemaphoreSlim _gate = new(1, 1);
    TimeSpan _dataReadyTimeout;
    TimeSpan _pollInterval = TimeSpan.FromMilliseconds(1);

    // What the chip converts now; null when unknown (at start, after a GPIO fault or an over-long clock pulse).
    Hx711Input? _chipInput;

    // When the input last changed or the chip last reset: conversions before SettlingTime after it are discarded.
    long _settleStart;

    // A lower bound of when the conversion the last good read clocked out completed; null when unknown (at start, after
    // a reset, after a failed read). With it, a conversion already waiting at the next read's first poll has a bound too.
    long? _lastCompletedAfter;

    // A read stopped, or may have been corrupted, in the middle of the shift-out: the chip's serial state is unknown
    // (a "serial communication error"), so the next read first resets it.
    bool _resetNeeded;

    // Set by a reset until the next data-ready wait ends: DOUT cannot be low at that wait's first poll (the first
    // conversion comes a settling time after the reset).
    bool _firstWaitAfterReset;
    bool _poweredDown;
    long _poweredDownAt;
    bool _disposed;

    /// <summary>Takes the two lines and sets PD_SCK low (normal operation).</summary>
    /// <param name="controller">The GPIO controller the chip is wired to.</param>
    /// <param name="clockPin">The line wired to PD_SCK (opened as an output, driven low).</param>
    /// <param name="dataPin">The line wired to DOUT (opened as an input).</param>
    /// <param name="dataRate">How the board's RATE pin is wired (the driver cannot read it).</param>
    /// <param name="timeProvider">The clock deadlines and waits run on; the system clock when null.</param>
    /// <param name="shouldDispose">Whether <see cref="Dispose"/> disposes <paramref name="controller"/>; when false
    /// it closes the two lines instead.</param>
    public Hx711(
        GpioController controller,
        int clockPin,
        int dataPin,
        Hx711DataRate dataRate = Hx711DataRate.TenSamplesPerSecond,
        TimeProvider? timeProvider = null,
        bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(controller);
        if (clockPin == dataPin)
        {
            throw new ArgumentException("PD_SCK and DOUT need two different lines", nameof(dataPin));
        }

        if (!Enum.IsDefined(dataRate))
        {
            throw new ArgumentOutOfRangeException(nameof(dataRate), dataRate, "unknown data rate");
        }

        _controller = controller;
        _time = timeProvider ?? TimeProvider.System;
        _shouldDispose = shouldDispose;
        ClockPin = clockPin;
        DataPin = dataPin;
        DataRate = dataRate;
        _dataReadyTimeout = 2 * ConversionPeriod;

        // "When PD_SCK input is low, chip is in normal working mode" ("Reset and Power-Down"). If a previous process
        // left PD_SCK high, driving it low resets the chip; either way, what it converts now is unknown.
        _controller.OpenPin(clockPin, PinMode.Output, PinValue.Low);
        _controller.OpenPin(dataPin, PinMode.Input);
        _settleStart = _time.GetTimestamp();
    }

    /// <summary>The line wired to PD_SCK.</summary>
    public int ClockPin { get; }

    /// <summary>The line wired to DOUT.</summary>
    public int DataPin { get; }

    /// <summary>The board's output data rate.</summary>
    public Hx711DataRate DataRate { get; }

    /// <summary>One conversion period: 100 ms at 10 SPS, 12.5 ms at 80 SPS ("Key Electrical Characteristics").</summary>
    public TimeSpan ConversionPeriod => DataRate == Hx711DataRate.TenSamplesPerSecond
        ? TimeSpan.FromMilliseconds(100)
        : TimeSpan.FromMicroseconds(12_500);

    /// <summary>
    /// Output settling time after power-up, reset, input or gain change: 400 ms at 10 SPS, 50 ms at 80 SPS
    /// ("Key Electrical Characteristics", output settling time, note 1).
    /// </summary>
    public TimeSpan SettlingTime => DataRate == Hx711DataRate.TenSamplesPerSecond
        ? TimeSpan.FromMilliseconds(400)
        : TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The shortest conversion period the driver assumes the chip may have: three quarters of
    /// <see cref="ConversionPeriod"/>. The datasheet gives the internal oscillator's rate only as nominal ("Clock Source
    /// Options": "if accurate output data rate is needed, crystal or external reference clock can be used"), so the
    /// driver allows for an oscillator up to a third fast. A read is accepted only if its last PD_SCK pulse ended less
    /// than this after the earliest moment its conversion can have completed, so no next conversion can complete in the
    /// middle of it.
    /// </summary>
    public TimeSpan ShortestConversionPeriod => ConversionPeriod * 3 / 4;

    /// <summary>The input and gain reads return; channel A, gain 128 by default.</summary>
    public Hx711Input Input
    {
        get;
        set => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "unknown input");
    } = Hx711Input.ChannelAGain128;

    /// <summary>
    /// How long a read waits for DOUT to go low before it fails; two conversion periods by default. Within the settling
    /// time after a reset or input change, the rest of the settling time is added.
    /// </summary>
    public TimeSpan DataReadyTimeout
    {
        get => _dataReadyTimeout;
        set => _dataReadyTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");
    }

    /// <summary>How often DOUT is polled while waiting for data; 1 ms by default, the finest a Linux timer keeps.</summary>
    public TimeSpan PollInterval
    {
        get => _pollInterval;
        set => _pollInterval = value >= TimeSpan.FromMilliseconds(1) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "at least 1 ms");
    }

    /// <summary>Whether <see cref="PowerDown"/> was called and <see cref="PowerUpAsync"/> not yet.</summary>
    public bool IsPoweredDown => _poweredDown;

    /// <summary>The gain of an input (Table 3).</summary>
    /// <param name="input">The input.</param>
    public static int Gain(Hx711Input input) => input switch
    {
        Hx711Input.ChannelAGain128 => 128,
        Hx711Input.ChannelBGain32 => 32,
        Hx711Input.ChannelAGain64 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "unknown input"),
    };

    /// <summary>
    /// Decodes the 24 bits clocked out, MSB first, as two's complement: 0x800000..0x7FFFFF is -8 388 608..8 388 607
    /// ("Output Data Rate and Format", Table 2).
    /// </summary>
    /// <param name="code">The 24-bit code, 0..0xFFFFFF.</param>
    public static int ToCounts(uint code)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 0xFF_FFFFu);
        return (int)(code << 8) >> 8;
    }

    /// <summary>The 24-bit code that carries a count: the inverse of <see cref="ToCounts"/>.</summary>
    /// <param name="counts">-8 388 608..8 388 607.</param>
    public static uint ToCode(int counts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(counts, MinimumCounts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(counts, MaximumCounts);
        return (uint)counts & 0xFF_FFFFu;
    }

    /// <summary>Whether a count is one of the two saturated codes, which mean "input out of range" (Table 2).</summary>
    /// <param name="counts">The decoded count.</param>
    public static bool IsSaturated(int counts) => counts is MaximumCounts or MinimumCounts;

    /// <summary>
    /// Volts per count: full scale ±0.5·AVDD/GAIN ("Key Electrical Characteristics") over 2^23 codes each side
    /// (Table 2: 0.5(AVDD/GAIN)/2^23 gives 000001). 2.33 nV at AVDD = 5 V, gain 128.
    /// </summary>
    /// <param name="input">The input and gain.</param>
    /// <param name="analogSupplyVolts">AVDD, the analog supply, which also excites the bridge on usual boards.</param>
    public static double VoltsPerCount(Hx711Input input, double analogSupplyVolts)
    {
        if (!double.IsFinite(analogSupplyVolts) || analogSupplyVolts <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(analogSupplyVolts), analogSupplyVolts, "AVDD must be a positive voltage");
        }

        return 0.5 * analogSupplyVolts / Gain(input) / 8_388_608.0;
    }

    /// <summary>The differential input voltage (INP - INN) a count stands for.</summary>
    /// <param name="counts">The decoded count.</param>
    /// <param name="input">The input and gain it was converted with.</param>
    /// <param name="analogSupplyVolts">AVDD.</param>
    public static double ToDifferentialVoltage(int counts, Hx711Input input, double analogSupplyVolts) =>
        counts * VoltsPerCount(input, analogSupplyVolts);

    /// <summary>
    /// The count a differential input voltage converts to, saturating at the two extreme codes as the chip does: the
    /// inverse of <see cref="ToDifferentialVoltage"/> (used by the simulator).
    /// </summary>
    /// <param name="volts">INP - INN.</param>
    /// <param name="input">The input and gain.</param>
    /// <param name="analogSupplyVolts">AVDD.</param>
    public static int FromDifferentialVoltage(double volts, Hx711Input input, double analogSupplyVolts)
    {
        if (double.IsNaN(volts))
        {
            throw new ArgumentOutOfRangeException(nameof(volts), volts, "not a voltage");
        }

        double counts = Math.Round(volts / VoltsPerCount(input, analogSupplyVolts), MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(counts, MinimumCounts, MaximumCounts);
    }

    /// <summary>
    /// Reads one conversion of <see cref="Input"/>. Waits for DOUT low up to <see cref="DataReadyTimeout"/> (plus what
    /// is left of the settling time), clocks 24 bits and 1..3 selection pulses.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>
    /// The reading; or a failure when the data-ready deadline passed, a clock pulse stayed high too long, the read did
    /// not provably finish within one conversion period, DOUT stayed low after the 25th pulse or right after a reset
    /// (data line stuck), the code is saturated (input out of range), a GPIO call failed or the chip is powered down.
    /// </returns>
    public async Task<DriverResult<Hx711Reading>> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_poweredDown)
            {
                return DriverResult<Hx711Reading>.Failure("chip is powered down; call PowerUpAsync first");
            }

            Hx711Input input = Input;
            for (int resets = 0; ; resets++)
            {
                if (_resetNeeded)
                {
                    if (resets > MostResetsPerRead)
                    {
                        return Fail($"no conversion could be read provably within one conversion period after {MostResetsPerRead} resets; the thread was likely preempted");
                    }

                    string? failed = await ResetChipAsync().ConfigureAwait(false);
                    if (failed is not null)
                    {
                        return Fail($"{failed}");
                    }
                }

                // Null when a conversion was waiting that no read could be proven to fit in one conversion period: the
                // chip is then reset and the read starts over.
                DriverResult<Hx711Reading>? result = await ReadInputAsync(input, cancellationToken).ConfigureAwait(false);
                if (result is { } done)
                {
                    return done;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Selects <paramref name="input"/> if needed, discards unsettled conversions and reads one.</summary>
    /// <returns>The reading or failure; null when the chip must be reset and the read started over.</returns>
    async Task<DriverResult<Hx711Reading>?> ReadInputAsync(Hx711Input input, CancellationToken cancellationToken)
    {
        if (_chipInput != input)
        {
            // Table 3: the pulses after the data choose the input of the next conversion. This conversion was made
            // with the old (or unknown) input: it only carries the new selection and is discarded.
            DriverResult<Conversion> selecting = await ReadConversionAsync(input, cancellationToken).ConfigureAwait(false);
            if (!selecting.Ok)
            {
                return Fail($"while selecting {input}: {selecting.Error}");
            }

            if (selecting.Value.Value.Unprovable)
            {
                return null;
            }

            _chipInput = input;
            _settleStart = _time.GetTimestamp();
        }

        // Conversions inside the settling time after a reset or input change are not yet valid ("Key Electrical
        // Characteristics", note 1): discard them. Each wait has its own deadline, and there are at most a few.
        int mostDiscarded = (int)Math.Ceiling(SettlingTime / ConversionPeriod) + 2;
        for (int discarded = 0; ; discarded++)
        {
            DriverResult<Conversion> conversion = await ReadConversionAsync(input, cancellationToken).ConfigureAwait(false);
            if (!conversion.Ok)
            {
                return DriverResult<Hx711Reading>.Failure(conversion.Error);
            }

            Conversion c = conversion.Value.Value;
            if (c.Unprovable)
            {
                return null;
            }

            if (_time.GetElapsedTime(_settleStart, c.ReadyAt) < SettlingTime)
            {
                if (discarded >= mostDiscarded)
                {
                    return Fail($"input did not settle: {discarded} conversions within {SettlingTime.TotalMilliseconds} ms of the last input change");
                }

                continue;
            }

            int counts = ToCounts(c.Code);
            if (IsSaturated(counts))
            {
                return Fail($"input out of range: saturated code 0x{c.Code:X6} ({(counts > 0 ? "positive" : "negative")} full scale of {input})");
            }

            return DriverResult<Hx711Reading>.Success(new Hx711Reading(counts, input));
        }
    }

    /// <summary>
    /// Powers the chip down: PD_SCK goes high and stays high; 60 µs later the chip (and, with the on-chip regulator,
    /// the load cell) is off ("Reset and Power-Down", Fig. 3). Reads fail until <see cref="PowerUpAsync"/>. Waits for
    /// a read in progress to finish first.
    /// </summary>
    public void PowerDown()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _gate.Wait();
        try
        {
            if (_poweredDown)
            {
                return;
            }

            _controller.Write(ClockPin, PinValue.High);
            _poweredDown = true;
            _poweredDownAt = _time.GetTimestamp();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Powers the chip up: makes sure PD_SCK was high long enough to power down (so the falling edge is not taken for a
    /// clock pulse), then drives it low. The chip resets to channel A, gain 128 ("Reset and Power-Down"), and the next
    /// read waits out the settling time.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task PowerUpAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_poweredDown)
            {
                return;
            }

            TimeSpan held = _time.GetElapsedTime(_poweredDownAt);
            if (held < PowerDownHold)
            {
                await GpioDelay.Wait(_time, PowerDownHold - held, cancellationToken).ConfigureAwait(false);
            }

            _controller.Write(ClockPin, PinValue.Low);
            _poweredDown = false;
            _chipInput = Hx711Input.ChannelAGain128;
            _settleStart = _time.GetTimestamp();
            _lastCompletedAfter = null;
            _resetNeeded = false;
        }
        finally
        {
            _gate.Release();
        }
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
            _controller.ClosePin(ClockPin);
            _controller.ClosePin(DataPin);
        }

        _gate.Dispose();
    }

    static DriverResult<Hx711Reading> Fail(FormattableString reason) =>
        DriverResult<Hx711Reading>.Failure(reason.ToString(CultureInfo.InvariantCulture));

    static DriverResult<Conversion> FailConversion(FormattableString reason) =>
        DriverResult<Conversion>.Failure(reason.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Waits for data ready, clocks the 24 bits and the selection pulses for <paramref name="next"/>, and accepts the bits
    /// only if the whole read provably fitted in one conversion period.
    /// </summary>
    /// <remarks>
    /// "PD_SCK clock pulses should not be less than 25 or more than 27 within one conversion period, to avoid causing
    /// serial communication error" ("Serial Interface"): if the next conversion completes while the bits are being
    /// shifted out, what DOUT carries after that is not specified, and a read that mixes two conversions can look
    /// perfectly valid (DOUT may well be high after the 25th pulse). The pulse-width bound does not catch it: PD_SCK low
    /// time has no maximum (T4), so a preemption between two pulses is harmless to the chip but not to the read. So the
    /// driver bounds the read's duration too. It knows a moment after which the conversion it clocks out completed:
    /// just before the last DOUT read that still saw high (data not ready); or, when DOUT was already low at the first
    /// poll, one shortest period after that moment of the previous good read, provided the read ends within two shortest
    /// periods of it (then exactly one conversion completed in between). The next conversion completes at least one
    /// shortest period after that moment, so a read whose last pulse ended before then took bits from one conversion
    /// only. Otherwise the read is refused and the chip reset before the next one. A conversion that was waiting with no
    /// such bound is not clocked at all: the chip is reset and the read starts over (<see cref="Conversion.Unprovable"/>).
    /// </remarks>
    async Task<DriverResult<Conversion>> ReadConversionAsync(Hx711Input next, CancellationToken cancellationToken)
    {
        // "When output data is not ready for retrieval, digital output pin DOUT is high ... When DOUT goes to low, it
        // indicates data is ready for retrieval" ("Serial Interface").
        TimeSpan timeout = _dataReadyTimeout;
        TimeSpan sinceSettle = _time.GetElapsedTime(_settleStart);
        if (sinceSettle < SettlingTime)
        {
            timeout += SettlingTime - sinceSettle;
        }

        bool firstWaitAfterReset = _firstWaitAfterReset;
        _firstWaitAfterReset = false;
        long waitStart = _time.GetTimestamp();
        long shortestPeriod = TicksOf(ShortestConversionPeriod);
        try
        {
            long? sawHighAt = null;
            while (true)
            {
                long beforeRead = _time.GetTimestamp();
                if (_controller.Read(DataPin) == PinValue.Low)
                {
                    break;
                }

                // DOUT was high at some moment after beforeRead: the conversion DOUT will announce completes after it.
                sawHighAt = beforeRead;
                if (_time.GetElapsedTime(waitStart) >= timeout)
                {
                    return FailConversion($"data not ready within {timeout.TotalMilliseconds} ms (DOUT stayed high: chip unpowered, unwired or powered down?)");
                }

                await GpioDelay.Wait(_time, _pollInterval, cancellationToken).ConfigureAwait(false);
            }

            long readyAt = _time.GetTimestamp();

            // A moment the conversion about to be clocked out completed after: just before the last poll that saw DOUT
            // high; or, when DOUT was already low at the first poll, one shortest period after that moment of the last
            // good read (exactly one conversion completed since the one that read took, if this read ends within two
            // shortest periods of that moment, which the check after the pulses makes sure of).
            long? bound = sawHighAt ?? (_lastCompletedAfter is long last ? last + shortestPeriod : null);
            if (bound is null && firstWaitAfterReset)
            {
                ForgetChipState();
                return FailConversion($"DOUT low at the first poll right after a reset, before the chip can have converted anything (data line stuck low or shorted?)");
            }

            if (bound is not long completedAfter || readyAt - completedAfter >= shortestPeriod)
            {
                // Data has been waiting for an unknown or too long a time (nobody read, or the thread was preempted
                // between two polls): the next conversion may complete at any moment of the read, and a read cut by it
                // cannot be told from a good one. Do not clock it; reset the chip and wait for a fresh conversion.
                _resetNeeded = true;
                return DriverResult<Conversion>.Success(new Conversion(0, readyAt, Unprovable: true));
            }

            uint code = 0;
            bool lowAfterData = false;
            long lastFall = readyAt;

            // "By applying 25~27 positive clock pulses at the PD_SCK pin, data is shifted out from the DOUT output
            // pin. Each PD_SCK pulse shifts out one bit, starting with the MSB bit first, until all 24 bits are shifted
            // out. The 25th pulse at PD_SCK input will pull DOUT pin back to high" ("Serial Interface", Fig. 2). DOUT
            // is valid 0.1 µs after the rising edge (T2), so it is read while PD_SCK is high.
            for (int pulse = 1; pulse <= (int)next; pulse++)
            {
                long beforeRise = _time.GetTimestamp();
                _controller.Write(ClockPin, PinValue.High);
                PinValue dout = pulse <= DataBits + 1 ? _controller.Read(DataPin) : PinValue.High;
                _controller.Write(ClockPin, PinValue.Low);
                long afterFall = _time.GetTimestamp();
                lastFall = afterFall;

                // An upper bound of the high time: from before the rising write to after the falling write returned. A
                // lower bound would miss a preemption inside a write call, and then a chip that powered down mid-read
                // would hand back wrong bits as a valid reading; the upper bound can only fail a read too often.
                TimeSpan heldHigh = _time.GetElapsedTime(beforeRise, afterFall);
                if (heldHigh > MaximumClockHighTime)
                {
                    ForgetChipState();
                    return FailConversion($"PD_SCK stayed high at least {heldHigh.TotalMicroseconds:0} µs on pulse {pulse} (limit {MaximumClockHighTime.TotalMicroseconds} µs, power-down past {PowerDownClockHighTime.TotalMicroseconds} µs); the thread was likely preempted");
                }

                if (pulse <= DataBits)
                {
                    code = (code << 1) | (dout == PinValue.High ? 1u : 0u);
                }
                else if (pulse == DataBits + 1)
                {
                    lowAfterData = dout == PinValue.Low;
                }
            }

            // The next conversion completes no earlier than completedAfter + one shortest period: if the last pulse ended
            // before that, all the pulses fell within one conversion period and the bits are one conversion's.
            TimeSpan took = _time.GetElapsedTime(completedAfter, lastFall);
            if (lastFall - completedAfter >= shortestPeriod)
            {
                ForgetChipState();
                return FailConversion($"read not finished within one conversion period: the last PD_SCK pulse ended {took.TotalMilliseconds:0.###} ms after the conversion can have completed (limit {ShortestConversionPeriod.TotalMilliseconds:0.###} ms), so the next conversion may have completed mid-read and the bits may mix two conversions; the thread was likely preempted");
            }

            if (lowAfterData)
            {
                ForgetChipState();
                return FailConversion($"DOUT still low after the 25th PD_SCK pulse (data line stuck low or shorted?)");
            }

            _lastCompletedAfter = completedAfter;
            return DriverResult<Conversion>.Success(new Conversion(code, readyAt));
        }
        catch (IOException e)
        {
            ForgetChipState();
            return FailConversion($"GPIO error: {e.Message}");
        }
    }

    /// <summary>
    /// Resets the chip: PD_SCK high for well over 60 µs, then low. "When PD_SCK returns to low, chip will reset and enter
    /// normal operation mode. After a reset or power-down event, input selection is default to Channel A with a gain of
    /// 128" ("Reset and Power-Down", Fig. 3). It ends any half-finished shift-out, whatever state it left the chip in.
    /// </summary>
    /// <returns>Null when done; the reason when a GPIO call failed (the reset is then still needed).</returns>
    async Task<string?> ResetChipAsync()
    {
        try
        {
            _controller.Write(ClockPin, PinValue.High);

            // Not cancellable: leaving PD_SCK high would leave the chip powered down.
            await GpioDelay.Wait(_time, PowerDownHold, CancellationToken.None).ConfigureAwait(false);
            long reset = _time.GetTimestamp();
            _controller.Write(ClockPin, PinValue.Low);
            _resetNeeded = false;
            _chipInput = Hx711Input.ChannelAGain128;
            _settleStart = reset;
            _lastCompletedAfter = null;
            _firstWaitAfterReset = true;
            return null;
        }
        catch (IOException e)
        {
            return $"GPIO error while resetting the chip: {e.Message}";
        }
    }

    void ForgetChipState()
    {
        _chipInput = null;
        _settleStart = _time.GetTimestamp();
        _lastCompletedAfter = null;
        _resetNeeded = true;
    }

    long TicksOf(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <param name="Code">The 24 bits clocked out.</param>
    /// <param name="ReadyAt">When DOUT was seen low.</param>
    /// <param name="Unprovable">Nothing was clocked: data was waiting with no bound on when it completed.</param>
    readonly record struct Conversion(uint Code, long ReadyAt, bool Unprovable = false);
}
