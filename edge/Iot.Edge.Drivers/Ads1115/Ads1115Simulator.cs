using System.Buffers.Binary;
using Iot.Edge.Drivers.I2c;

namespace Iot.Edge.Drivers.Ads1115;

/// <summary>Faults an <see cref="Ads1115Simulator"/> can inject; they last until cleared.</summary>
[Flags]
public enum Ads1115SimulatorFaults
{
    /// <summary>The chip behaves.</summary>
    None = 0,

    /// <summary>A single-shot conversion never ends: OS reads 0 for ever.</summary>
    NeverReady = 0b01,

    /// <summary>
    /// Register writes are acknowledged but ignored, so the config stays at its power-on value: what the presence
    /// check sees when some other device answers at the address.
    /// </summary>
    IgnoresWrites = 0b10,
}

/// <summary>
/// A register-level ADS1115 (datasheet SBAS444D): the address pointer and four 16-bit registers with their power-on
/// values (section 9.6), single-shot conversions started by writing OS = 1 that take the slowest time the datasheet
/// allows, 1 / (0.9 × DR) (sections 9.3.6 and 7.5), with OS reading 0 meanwhile, all eight input
/// multiplexer settings, all six ranges, and codes that clip at 0x7FFF / 0x8000 (section 9.5.3). Inputs are given as
/// voltages against GND. Used by tests and by the gateway's simulated-hardware mode.
/// </summary>
/// <remarks>
/// Not simulated: continuous-conversion mode (the MODE bit is stored, no conversion starts), the comparator and the
/// ALERT/RDY pin, input voltages beyond the supply (the code simply clips).
/// </remarks>
public sealed class Ads1115Simulator : SimulatedI2cDevice
{
    /// <summary>Config register after power-on (section 9.6.3).</summary>
    public const ushort PowerOnConfig = 0x8583;

    readonly Func<DateTimeOffset, double>[] _inputs = [_ => 0.0, _ => 0.0, _ => 0.0, _ => 0.0];
    byte _pointer;
    ushort _config = PowerOnConfig;
    ushort _conversion;
    ushort _lowThreshold = 0x8000;
    ushort _highThreshold = 0x7FFF;
    DateTimeOffset? _conversionEnds;
    short _pendingCode;

    /// <summary>Creates a simulated ADS1115.</summary>
    /// <param name="deviceAddress">0x48..0x4B.</param>
    /// <param name="timeProvider">The clock conversions run on; the system clock when null.</param>
    public Ads1115Simulator(int deviceAddress = Ads1115.AddrGndI2cAddress, TimeProvider? timeProvider = null)
        : base(deviceAddress, timeProvider)
    {
    }

    /// <summary>Voltage on AIN0 against GND at a given time.</summary>
    public Func<DateTimeOffset, double> Ain0 { get => _inputs[0]; set => _inputs[0] = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>Voltage on AIN1 against GND at a given time.</summary>
    public Func<DateTimeOffset, double> Ain1 { get => _inputs[1]; set => _inputs[1] = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>Voltage on AIN2 against GND at a given time.</summary>
    public Func<DateTimeOffset, double> Ain2 { get => _inputs[2]; set => _inputs[2] = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>Voltage on AIN3 against GND at a given time.</summary>
    public Func<DateTimeOffset, double> Ain3 { get => _inputs[3]; set => _inputs[3] = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>Faults to inject; none by default.</summary>
    public Ads1115SimulatorFaults Faults { get; set; }

    /// <summary>How many conversions the chip started.</summary>
    public int ConversionCount { get; private set; }

    /// <summary>The config register as a read would return it now (OS included).</summary>
    public ushort Config
    {
        get
        {
            Update();
            return ReadableConfig();
        }
    }

    /// <summary>
    /// The code an ideal ADS1115 gives for a differential voltage: round(V × 32768 / FS), clipped to
    /// -32768..32767 (section 9.5.3).
    /// </summary>
    /// <param name="volts">AINP - AINN.</param>
    /// <param name="range">The range.</param>
    public static short Encode(double volts, Ads1115Range range) =>
        (short)Math.Clamp(Math.Round(volts * 32768.0 / Ads1115.FullScaleVolts(range)), short.MinValue, short.MaxValue);

    /// <inheritdoc/>
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        Update();
        if (data.IsEmpty)
        {
            return;
        }

        // Section 9.5.1: the first byte is the address pointer (P[1:0]); two more bytes write that register, MSB first.
        _pointer = (byte)(data[0] & 0b11);
        if (data.Length < 3 || Faults.HasFlag(Ads1115SimulatorFaults.IgnoresWrites))
        {
            return;
        }

        ushort value = BinaryPrimitives.ReadUInt16BigEndian(data[1..]);
        switch ((Register)_pointer)
        {
            case Register.Config:
                WriteConfig(value);
                break;
            case Register.LowThreshold:
                _lowThreshold = value;
                break;
            case Register.HighThreshold:
                _highThreshold = value;
                break;
            default:
                // The conversion register is read-only.
                break;
        }
    }

    /// <inheritdoc/>
    protected override void OnRead(Span<byte> buffer)
    {
        Update();
        ushort value = (Register)_pointer switch
        {
            Register.Conversion => _conversion,
            Register.Config => ReadableConfig(),
            Register.LowThreshold => _lowThreshold,
            _ => _highThreshold,
        };

        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(i % 2 == 0 ? value >> 8 : value);
        }
    }

    void WriteConfig(ushort value)
    {
        bool converting = _conversionEnds is not null;
        _config = (ushort)(value & ConfigFields.AllButOperationalStatus);

        // Section 9.6.3: writing OS = 1 starts a conversion only in power-down state; during one it has no effect.
        // Continuous mode (MODE = 0) is not simulated: the setting is stored, no conversion starts.
        if (((ConfigBits)value).HasFlag(ConfigBits.OperationalStatus | ConfigBits.SingleShot) && !converting)
        {
            StartConversion();
        }
    }

    void StartConversion()
    {
        DateTimeOffset now = Now;
        var input = (Ads1115Input)((_config >> ConfigFields.MuxShift) & ConfigFields.FieldMask);
        var range = (Ads1115Range)Math.Min((_config >> ConfigFields.PgaShift) & ConfigFields.FieldMask, (int)Ads1115Range.PlusMinus256mV);
        double volts = input switch
        {
            Ads1115Input.Ain0MinusAin1 => Volts(0, now) - Volts(1, now),
            Ads1115Input.Ain0MinusAin3 => Volts(0, now) - Volts(3, now),
            Ads1115Input.Ain1MinusAin3 => Volts(1, now) - Volts(3, now),
            Ads1115Input.Ain2MinusAin3 => Volts(2, now) - Volts(3, now),
            _ => Volts((int)input - (int)Ads1115Input.Ain0, now),
        };
        if (!double.IsFinite(volts))
        {
            // A broken simulated signal looks like a broken chip to the driver, not like an exception.
            throw NoAcknowledge("a simulated input voltage is not a finite number");
        }

        _pendingCode = Encode(volts, range);
        _conversionEnds = now + Ads1115.MaximumConversionTime((Ads1115DataRate)((_config >> ConfigFields.DataRateShift) & ConfigFields.FieldMask));
        ConversionCount++;
    }

    /// <summary>Brings the chip up to the current time: stores the result of a conversion whose time has come.</summary>
    void Update()
    {
        if (_conversionEnds is not { } ends || Now < ends || Faults.HasFlag(Ads1115SimulatorFaults.NeverReady))
        {
            return;
        }

        _conversion = (ushort)_pendingCode;
        _conversionEnds = null; // back to power-down
    }

    double Volts(int channel, DateTimeOffset at) => _inputs[channel](at);

    /// <summary>The config with OS as a read reports it: 1 when no conversion is running.</summary>
    ushort ReadableConfig() =>
        (ushort)(_config | (_conversionEnds is null ? (ushort)ConfigBits.OperationalStatus : 0));
}
