using System.Globalization;
using Iot.Edge.Drivers.I2c;

namespace Iot.Edge.Drivers.Bme280;

/// <summary>Faults a <see cref="Bme280Simulator"/> can inject; they last until cleared.</summary>
[Flags]
public enum Bme280SimulatorFaults
{
    /// <summary>The chip behaves.</summary>
    None = 0,

    /// <summary>A forced measurement never ends: status keeps its measuring bit and ctrl_meas stays in forced mode.</summary>
    NeverReady = 0b0001,

    /// <summary>Measurements leave the temperature registers at 0x80000, as when osrs_t is 000.</summary>
    SkippedTemperature = 0b0010,

    /// <summary>Measurements leave the pressure registers at 0x80000, as when osrs_p is 000.</summary>
    SkippedPressure = 0b0100,

    /// <summary>Measurements leave the humidity registers at 0x8000, as when osrs_h is 000.</summary>
    SkippedHumidity = 0b1000,
}

/// <summary>
/// A register-level BME280 on I2C (datasheet BST-BME280-DS002 rev 1.6): chip id, trimming parameters in NVM image
/// registers, ctrl_hum latched by the next ctrl_meas write (section 5.4.3), forced-mode measurements that take the
/// datasheet's maximum time (section 9.1) with the measuring bit set meanwhile and the mode back to sleep afterwards,
/// data registers that start at their reset values 0x80000 / 0x8000, soft reset, register/value pair writes and
/// auto-incrementing burst reads (section 6.2). Physical values are encoded by inverting the datasheet's own
/// compensation formulas with the simulated chip's trimming parameters, at the resolution the oversampling gives
/// (16 bit at ×1 up to 20 bit at ×16 for temperature and pressure, sections 3.4.2 and 3.4.3). Used by tests and by the
/// gateway's simulated-hardware mode.
/// </summary>
/// <remarks>Not simulated: normal mode (periodic measurements), the IIR filter, SPI.</remarks>
public sealed class Bme280Simulator : SimulatedI2cDevice
{
    readonly byte[] _registers = new byte[256];
    byte _pointer;
    byte _latchedHumidityOversampling;
    DateTimeOffset? _measurementEnds;
    (int AdcP, int AdcT, int AdcH) _pending;

    /// <summary>Creates a simulated BME280.</summary>
    /// <param name="deviceAddress">0x76 (SDO low) or 0x77 (SDO high).</param>
    /// <param name="timeProvider">The clock measurements run on; the system clock when null.</param>
    /// <param name="calibration">The trimming parameters in its NVM; <see cref="TypicalCalibration"/> when null.</param>
    public Bme280Simulator(int deviceAddress = Bme280.SdoLowI2cAddress, TimeProvider? timeProvider = null, Bme280Calibration? calibration = null)
        : base(deviceAddress, timeProvider)
    {
        Calibration = calibration ?? TypicalCalibration;
        PowerOnReset();
    }

    /// <summary>
    /// Trimming parameters for the simulator: dig_T1..dig_P9 are the worked example of the BMP280 datasheet (section
    /// 3.12, which the BME280 shares); dig_H1..dig_H6 are values typical of production BME280 parts, since Bosch
    /// publishes no humidity example.
    /// </summary>
    public static Bme280Calibration TypicalCalibration { get; } = new()
    {
        DigT1 = 27504,
        DigT2 = 26435,
        DigT3 = -1000,
        DigP1 = 36477,
        DigP2 = -10685,
        DigP3 = 3024,
        DigP4 = 2855,
        DigP5 = 140,
        DigP6 = -7,
        DigP7 = 15500,
        DigP8 = -14600,
        DigP9 = 6000,
        DigH1 = 75,
        DigH2 = 362,
        DigH3 = 0,
        DigH4 = 313,
        DigH5 = 50,
        DigH6 = 30,
    };

    /// <summary>The trimming parameters this chip reports.</summary>
    public Bme280Calibration Calibration { get; }

    /// <summary>The value of the chip id register 0xD0: 0x60 for a BME280; set 0x58 to pose as a BMP280.</summary>
    public byte ChipId
    {
        get;
        set
        {
            field = value;
            _registers[(byte)Register.ChipId] = value;
        }
    } = Bme280.ChipId;

    /// <summary>Air temperature in °C at a given time.</summary>
    public Func<DateTimeOffset, double> Temperature { get; set; } = _ => 20.0;

    /// <summary>Barometric pressure in kPa at a given time.</summary>
    public Func<DateTimeOffset, double> Pressure { get; set; } = _ => 101.325;

    /// <summary>Relative humidity in %RH at a given time; the chip's formula bounds it to 0..100.</summary>
    public Func<DateTimeOffset, double> RelativeHumidity { get; set; } = _ => 50.0;

    /// <summary>Faults to inject; none by default.</summary>
    public Bme280SimulatorFaults Faults { get; set; }

    /// <summary>How many forced measurements the chip started.</summary>
    public int MeasurementCount { get; private set; }

    /// <summary>The current value of a register, as the chip would report it now.</summary>
    /// <param name="address">The register address.</param>
    public byte RegisterValue(byte address)
    {
        Update();
        return _registers[address];
    }

    /// <summary>
    /// The 20-bit raw temperature whose compensated value is nearest <paramref name="celsius"/>, and its t_fine.
    /// </summary>
    /// <param name="celsius">The temperature.</param>
    /// <param name="calibration">The trimming parameters.</param>
    public static (int AdcT, int TFine) EncodeTemperature(double celsius, Bme280Calibration calibration)
    {
        int adcT = Invert(adc => Bme280Compensation.Temperature(adc, calibration).CentiCelsius, celsius * 100.0, increasing: true);
        return (adcT, Bme280Compensation.Temperature(adcT, calibration).TFine);
    }

    /// <summary>The 20-bit raw pressure whose compensated value (at <paramref name="tFine"/>) is nearest <paramref name="kilopascal"/>.</summary>
    /// <param name="kilopascal">The pressure.</param>
    /// <param name="tFine">t_fine of the simulated temperature.</param>
    /// <param name="calibration">The trimming parameters.</param>
    public static int EncodePressure(double kilopascal, int tFine, Bme280Calibration calibration) =>
        Invert(adc => Bme280Compensation.PressureSigned(adc, tFine, calibration), kilopascal * 1000.0 * 256.0, increasing: false);

    /// <summary>The 16-bit raw humidity whose compensated value (at <paramref name="tFine"/>) is nearest <paramref name="percent"/>.</summary>
    /// <param name="percent">The relative humidity.</param>
    /// <param name="tFine">t_fine of the simulated temperature.</param>
    /// <param name="calibration">The trimming parameters.</param>
    public static int EncodeHumidity(double percent, int tFine, Bme280Calibration calibration) =>
        Invert(adc => Bme280Compensation.Humidity(adc, tFine, calibration), percent * 1024.0, increasing: true, maximum: 0xFFFF);

    /// <inheritdoc/>
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        Update();

        // Section 6.2.1: a write is register address, data, register address, data, ...; a lone address sets the
        // register pointer for the read that follows (section 6.2.2).
        for (int i = 0; i < data.Length; i += 2)
        {
            _pointer = data[i];
            if (i + 1 < data.Length)
            {
                WriteRegister(data[i], data[i + 1]);
            }
        }
    }

    /// <inheritdoc/>
    protected override void OnRead(Span<byte> buffer)
    {
        Update();

        // Section 6.2.2: reads auto-increment the register address.
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = _registers[_pointer];
            _pointer = (byte)Math.Min(_pointer + 1, 0xFF);
        }
    }

    void WriteRegister(byte address, byte value)
    {
        switch ((Register)address)
        {
            case Register.Reset:
                if (value == Bme280.SoftResetCommand)
                {
                    PowerOnReset();
                }

                break;
            case Register.ControlHumidity:
                _registers[address] = (byte)(value & ControlFields.HumidityOversamplingMask);
                break;
            case Register.Config:
                _registers[address] = value;
                break;
            case Register.ControlMeasurement:
                _registers[address] = value;

                // Section 5.4.3: the ctrl_hum setting becomes effective only with this write.
                _latchedHumidityOversampling = _registers[(byte)Register.ControlHumidity];
                // Section 5.4.5: mode 01 and 10 both mean forced mode.
                byte mode = (byte)(value & ControlFields.ModeMask);
                if (mode is 0b01 or 0b10 && _measurementEnds is null)
                {
                    StartForcedMeasurement(value);
                }

                break;
            default:
                // Everything else is read-only; the chip ignores writes to it.
                break;
        }
    }

    void StartForcedMeasurement(byte ctrlMeas)
    {
        DateTimeOffset now = Now;
        int osrsT = ctrlMeas >> 5, osrsP = (ctrlMeas >> 2) & 0b111, osrsH = _latchedHumidityOversampling;
        Bme280Calibration calibration = Calibration;
        double celsius = Temperature(now), kilopascal = Pressure(now), percent = RelativeHumidity(now);
        if (!double.IsFinite(celsius) || !double.IsFinite(kilopascal) || !double.IsFinite(percent))
        {
            throw NoAcknowledge("a simulated temperature, pressure or humidity is not a finite number");
        }

        // Sections 3.4.2/3.4.3: temperature and pressure resolve 16 bit at ×1, one more bit per doubling, 20 bit at
        // ×16. The driver's t_fine comes from the quantized temperature, so pressure and humidity are encoded with it.
        int adcT = Quantize(EncodeTemperature(celsius, calibration).AdcT, osrsT);
        int tFine = Bme280Compensation.Temperature(adcT, calibration).TFine;
        int adcP = Quantize(EncodePressure(kilopascal, tFine, calibration), osrsP);
        int adcH = EncodeHumidity(percent, tFine, calibration);
        _pending = (
            osrsP == 0 || Faults.HasFlag(Bme280SimulatorFaults.SkippedPressure) ? Bme280.SkippedTemperatureOrPressure : adcP,
            osrsT == 0 || Faults.HasFlag(Bme280SimulatorFaults.SkippedTemperature) ? Bme280.SkippedTemperatureOrPressure : adcT,
            osrsH == 0 || Faults.HasFlag(Bme280SimulatorFaults.SkippedHumidity) ? Bme280.SkippedHumidity : adcH);

        // Section 9.1: the slowest chip the datasheet allows; a skipped measurement takes no time.
        double milliseconds = 1.25 + (2.3 * Factor(osrsT)) + (osrsP == 0 ? 0 : (2.3 * Factor(osrsP)) + 0.575) + (osrsH == 0 ? 0 : (2.3 * Factor(osrsH)) + 0.575);
        _measurementEnds = now + TimeSpan.FromMilliseconds(milliseconds);
        _registers[(byte)Register.Status] |= (byte)StatusBits.Measuring;
        MeasurementCount++;
    }

    /// <summary>Brings the chip up to the current time: finishes a measurement whose time has come.</summary>
    void Update()
    {
        if (_measurementEnds is not { } ends || Now < ends || Faults.HasFlag(Bme280SimulatorFaults.NeverReady))
        {
            return;
        }

        _measurementEnds = null;
        (int adcP, int adcT, int adcH) = _pending;
        Write20Bit((byte)Register.PressureMsb, adcP);
        Write20Bit((byte)Register.PressureMsb + 3, adcT);
        _registers[(byte)Register.PressureMsb + 6] = (byte)(adcH >> 8);
        _registers[(byte)Register.PressureMsb + 7] = (byte)adcH;
        _registers[(byte)Register.Status] &= unchecked((byte)~StatusBits.Measuring);

        // Section 3.3.3: after a forced measurement the chip returns to sleep mode.
        _registers[(byte)Register.ControlMeasurement] &= unchecked((byte)~ControlFields.ModeMask);
    }

    void PowerOnReset()
    {
        Array.Clear(_registers);
        _registers[(byte)Register.ChipId] = ChipId;
        Calibration.Encode(
            _registers.AsSpan((byte)Register.CalibrationTemperaturePressure, Bme280Calibration.TemperaturePressureBlockLength),
            _registers.AsSpan((byte)Register.CalibrationHumidity, Bme280Calibration.HumidityBlockLength));

        // Table 18: the data registers reset to 0x80000 (press, temp) and 0x8000 (hum).
        Write20Bit((byte)Register.PressureMsb, Bme280.SkippedTemperatureOrPressure);
        Write20Bit((byte)Register.PressureMsb + 3, Bme280.SkippedTemperatureOrPressure);
        _registers[(byte)Register.PressureMsb + 6] = 0x80;
        _registers[(byte)Register.PressureMsb + 7] = 0x00;
        _latchedHumidityOversampling = 0;
        _measurementEnds = null;
        _pointer = 0;
    }

    void Write20Bit(int address, int value)
    {
        _registers[address] = (byte)(value >> 12);
        _registers[address + 1] = (byte)(value >> 4);
        _registers[address + 2] = (byte)((value & 0x0F) << 4);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"simulated BME280 at 0x{ConnectionSettings.DeviceAddress:X2}");

    static int Factor(int osrs) => osrs == 0 ? 0 : 1 << (Math.Min(osrs, 5) - 1);

    /// <summary>Rounds a 20-bit raw value to the resolution of an oversampling setting (osrs 0 leaves it alone).</summary>
    static int Quantize(int adc, int osrs)
    {
        int unused = 5 - Math.Clamp(osrs, 1, 5);
        int step = 1 << unused;
        return Math.Min(((adc + (step / 2)) >> unused) << unused, 0xFFFFF & ~(step - 1));
    }

    /// <summary>
    /// The raw value in 0..<paramref name="maximum"/> whose compensated output is nearest <paramref name="target"/>:
    /// a binary search, since each compensation formula is monotonic in its raw value over the chip's range.
    /// </summary>
    static int Invert(Func<int, double> compensate, double target, bool increasing, int maximum = 0xFFFFF)
    {
        double Signed(int adc) => increasing ? compensate(adc) : -compensate(adc);
        double goal = increasing ? target : -target;
        int low = 0, high = maximum;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (Signed(middle) < goal)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        // low is the first raw value at or past the target; its predecessor may be nearer.
        return low > 0 && Math.Abs(Signed(low - 1) - goal) <= Math.Abs(Signed(low) - goal) ? low - 1 : low;
    }
}
