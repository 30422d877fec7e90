using System.Device.I2c;
using System.Globalization;
using Iot.Contracts.Messages;
using Iot.Edge.Drivers.I2c;

namespace Iot.Edge.Drivers.Bme280;

/// <summary>
/// Bosch BME280 air temperature, barometric pressure and relative humidity sensor on I2C, in forced mode: each
/// <see cref="ReadAsync"/> starts one measurement, waits for it and reads the result.
/// Datasheet: Bosch Sensortec "BME280 Combined humidity and pressure sensor", BST-BME280-DS002, revision 1.6
/// (September 2018); see README.md for the sections used.
/// </summary>
/// <remarks>
/// The constructor checks the chip id (0x60; a BMP280 is named as such), reads the trimming parameters and puts the
/// chip to sleep with the IIR filter off. <see cref="ReadAsync"/> never throws for a bus fault: a failed read is a
/// <see cref="DriverResult{T}.Failure"/> with the reason. One read at a time: the class is not thread-safe.
/// </remarks>
public sealed class Bme280 : IDisposable
{
    /// <summary>I2C address with SDO tied to GND (datasheet section 6.2): 0x76.</summary>
    public const int SdoLowI2cAddress = 0x76;

    /// <summary>I2C address with SDO tied to VDDIO (datasheet section 6.2): 0x77.</summary>
    public const int SdoHighI2cAddress = 0x77;

    /// <summary>The BME280's chip id (section 5.4.1).</summary>
    public const byte ChipId = 0x60;

    /// <summary>Value written to the reset register for a soft reset (section 5.4.2).</summary>
    internal const byte SoftResetCommand = 0xB6;

    /// <summary>Raw value of a skipped temperature or pressure measurement (sections 5.4.7, 5.4.8; reset value of the data registers).</summary>
    public const int SkippedTemperatureOrPressure = 0x80000;

    /// <summary>Raw value of a skipped humidity measurement (section 5.4.9).</summary>
    public const int SkippedHumidity = 0x8000;

    /// <summary>Lower end of the operating temperature range, °C (section 1, Table 1); colder readings are failures.</summary>
    public const double MinimumTemperature = -40.0;

    /// <summary>Upper end of the operating temperature range, °C (section 1, Table 1); hotter readings are failures.</summary>
    public const double MaximumTemperature = 85.0;

    /// <summary>Lower end of the operating pressure range, kPa (300 hPa, section 1, Table 2); lower readings are failures.</summary>
    public const double MinimumPressure = 30.0;

    /// <summary>Upper end of the operating pressure range, kPa (1100 hPa, section 1, Table 2); higher readings are failures.</summary>
    public const double MaximumPressure = 110.0;

    /// <summary>
    /// Start-up time after power-on, at most 2 ms (section 1, Table 1, t_startup), during which the NVM is copied
    /// (status im_update). The constructor waits up to this many 1 ms steps for im_update to clear.
    /// </summary>
    const int ImageUpdateAttempts = 5;

    /// <summary>The burst 0xF7..0xFE: press_msb, press_lsb, press_xlsb, temp_msb, temp_lsb, temp_xlsb, hum_msb, hum_lsb (section 3.9).</summary>
    const int DataLength = 8;

    readonly I2cDevice _device;
    readonly TimeProvider _time;
    readonly bool _shouldDispose;
    bool _disposed;

    /// <summary>Connects to a BME280: checks the chip id, reads the trimming parameters, puts the chip to sleep.</summary>
    /// <param name="i2cDevice">The bus device at 0x76 or 0x77.</param>
    /// <param name="timeProvider">The clock measurement waits run on; the system clock when null.</param>
    /// <param name="shouldDispose">Whether <see cref="Dispose"/> disposes <paramref name="i2cDevice"/>.</param>
    /// <exception cref="IOException">Nothing answered, the chip id is not 0x60, or the trimming parameters are blank.</exception>
    public Bme280(I2cDevice i2cDevice, TimeProvider? timeProvider = null, bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(i2cDevice);
        _device = i2cDevice;
        _time = timeProvider ?? TimeProvider.System;
        _shouldDispose = shouldDispose;

        string chip = I2cChip.Address(i2cDevice);
        byte id = I2cChip.Identify(i2cDevice, "BME280", () => ReadRegister(Register.ChipId));

        if (id != ChipId)
        {
            throw new IOException(string.Create(
                CultureInfo.InvariantCulture,
                $"expected a BME280 (chip id 0x{ChipId:X2}) at {chip} but read chip id 0x{id:X2}: {NameChip(id)}"));
        }

        byte[] block88 = new byte[Bme280Calibration.TemperaturePressureBlockLength];
        byte[] blockE1 = new byte[Bme280Calibration.HumidityBlockLength];
        bool imageReady;
        try
        {
            imageReady = WaitForImageUpdate();
            _device.WriteRead([(byte)Register.CalibrationTemperaturePressure], block88);
            _device.WriteRead([(byte)Register.CalibrationHumidity], blockE1);

            // Sleep mode first: config writes in normal mode may be ignored (section 5.4.6). Filter off, as the
            // datasheet recommends for weather monitoring (section 3.5.1). One write of register/value pairs (section 6.2.1).
            _device.Write([(byte)Register.ControlMeasurement, (byte)Mode.Sleep, (byte)Register.Config, 0x00]);
        }
        catch (IOException e)
        {
            throw new IOException($"the BME280 at {chip} stopped answering while its trimming parameters were read: {e.Message}", e);
        }

        if (!imageReady)
        {
            throw new IOException($"the BME280 at {chip} was still copying its NVM (status im_update) after {ImageUpdateAttempts} ms");
        }

        Calibration = Bme280Calibration.Parse(block88, blockE1);
        if (Calibration.DigT1 == 0 || Calibration.DigP1 == 0)
        {
            // dig_P1 = 0 would divide by zero in the pressure formula; a blank NVM means a damaged or counterfeit part.
            throw new IOException($"the BME280 at {chip} has blank trimming parameters (dig_T1 = {Calibration.DigT1}, dig_P1 = {Calibration.DigP1})");
        }
    }

    /// <summary>The chip's trimming parameters, read once at construction.</summary>
    public Bme280Calibration Calibration { get; }

    /// <summary>Temperature oversampling for the next read; ×1 by default (weather monitoring, section 3.5.1).</summary>
    public Bme280Oversampling TemperatureOversampling
    {
        get;
        set => field = Valid(value);
    } = Bme280Oversampling.X1;

    /// <summary>Pressure oversampling for the next read; ×1 by default.</summary>
    public Bme280Oversampling PressureOversampling
    {
        get;
        set => field = Valid(value);
    } = Bme280Oversampling.X1;

    /// <summary>Humidity oversampling for the next read; ×1 by default.</summary>
    public Bme280Oversampling HumidityOversampling
    {
        get;
        set => field = Valid(value);
    } = Bme280Oversampling.X1;

    /// <summary>
    /// Takes one forced-mode measurement: writes ctrl_hum then ctrl_meas (ctrl_hum takes effect only after a ctrl_meas
    /// write, section 5.4.3), waits the typical measurement time (section 9.1), polls status until the measuring bit
    /// clears and the chip is back in sleep mode, with a deadline 5 ms past the maximum measurement time, then burst-reads
    /// 0xF7..0xFE (section 3.9) and compensates (section 4.2.3).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The measurement, or a failure naming the bus fault, the missed deadline, a skipped or out-of-range value.</returns>
    public async Task<DriverResult<Bme280Measurement>> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Bme280Oversampling osrsT = TemperatureOversampling, osrsP = PressureOversampling, osrsH = HumidityOversampling;
        byte ctrlMeas = (byte)(((byte)osrsT << 5) | ((byte)osrsP << 2) | (byte)Mode.Forced);

        try
        {
            _device.Write([(byte)Register.ControlHumidity, (byte)osrsH, (byte)Register.ControlMeasurement, ctrlMeas]);
        }
        catch (IOException e)
        {
            return Fail($"no acknowledge writing ctrl_hum/ctrl_meas: {e.Message}");
        }

        TimeSpan maximum = Bme280Compensation.MaximumMeasurementTime(osrsT, osrsP, osrsH);
        DateTimeOffset deadline = _time.GetUtcNow() + maximum + I2cChip.ReadyMargin;
        await I2cChip.DelayAtLeastAsync(Bme280Compensation.TypicalMeasurementTime(osrsT, osrsP, osrsH), _time, cancellationToken).ConfigureAwait(false);

        byte[] statusAndControl = new byte[2];
        while (true)
        {
            // Taken before the read: only a status read that started after the deadline may fail the measurement.
            DateTimeOffset attempt = _time.GetUtcNow();
            try
            {
                _device.WriteRead([(byte)Register.Status], statusAndControl);
            }
            catch (IOException e)
            {
                return Fail($"no acknowledge reading status: {e.Message}");
            }

            bool measuring = ((StatusBits)statusAndControl[0]).HasFlag(StatusBits.Measuring);
            bool asleep = (Mode)(statusAndControl[1] & ControlFields.ModeMask) == Mode.Sleep;
            if (!measuring && asleep)
            {
                break;
            }

            if (attempt >= deadline)
            {
                return Fail($"measurement not finished within {(maximum + I2cChip.ReadyMargin).TotalMilliseconds:0.###} ms (status 0x{statusAndControl[0]:X2}, ctrl_meas 0x{statusAndControl[1]:X2})");
            }

            await Task.Delay(I2cChip.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        byte[] data = new byte[DataLength];
        try
        {
            _device.WriteRead([(byte)Register.PressureMsb], data);
        }
        catch (IOException e)
        {
            return Fail($"no acknowledge reading data registers: {e.Message}");
        }

        return ConvertDataRegisters(data, Calibration);
    }

    /// <summary>
    /// Turns the 8 data bytes of 0xF7..0xFE into a measurement: unpacks the 20-bit pressure and temperature and the
    /// 16-bit humidity (sections 5.4.7..5.4.9), rejects skipped measurements, compensates (section 4.2.3) and rejects
    /// values outside the operating range.
    /// </summary>
    /// <param name="data">press_msb, press_lsb, press_xlsb, temp_msb, temp_lsb, temp_xlsb, hum_msb, hum_lsb.</param>
    /// <param name="calibration">The chip's trimming parameters.</param>
    public static DriverResult<Bme280Measurement> ConvertDataRegisters(ReadOnlySpan<byte> data, Bme280Calibration calibration)
    {
        if (data.Length < DataLength)
        {
            throw new ArgumentException("the data registers are 8 bytes, 0xF7..0xFE", nameof(data));
        }

        int adcP = (data[0] << 12) | (data[1] << 4) | (data[2] >> 4);
        int adcT = (data[3] << 12) | (data[4] << 4) | (data[5] >> 4);
        int adcH = (data[6] << 8) | data[7];
        if (adcT == SkippedTemperatureOrPressure)
        {
            return Fail($"temperature measurement skipped (raw 0x{adcT:X5})");
        }

        if (adcP == SkippedTemperatureOrPressure)
        {
            return Fail($"pressure measurement skipped (raw 0x{adcP:X5})");
        }

        if (adcH == SkippedHumidity)
        {
            return Fail($"humidity measurement skipped (raw 0x{adcH:X4})");
        }

        (int centiCelsius, int tFine) = Bme280Compensation.Temperature(adcT, calibration);
        double celsius = centiCelsius / 100.0;
        if (celsius is < MinimumTemperature or > MaximumTemperature)
        {
            return Fail($"temperature {celsius} °C outside the operating range {MinimumTemperature}..{MaximumTemperature} °C (raw 0x{adcT:X5})");
        }

        long pressureQ24_8 = Bme280Compensation.PressureSigned(adcP, tFine, calibration);
        if (pressureQ24_8 == 0)
        {
            return Fail($"pressure compensation impossible: dig_P1 is 0");
        }

        double kilopascal = pressureQ24_8 / 256.0 / 1000.0;
        if (kilopascal is < MinimumPressure or > MaximumPressure)
        {
            return Fail($"pressure {kilopascal:0.###} kPa outside the operating range {MinimumPressure}..{MaximumPressure} kPa (raw 0x{adcP:X5})");
        }

        double percent = Bme280Compensation.Humidity(adcH, tFine, calibration) / 1024.0;
        return DriverResult<Bme280Measurement>.Success(new Bme280Measurement(
            new Quantity(celsius, Unit.DegreeCelsius),
            new Quantity(kilopascal, Unit.Kilopascal),
            new Quantity(percent, Unit.Percent)));
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
            _device.Dispose();
        }
    }

    static Bme280Oversampling Valid(Bme280Oversampling value) =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "oversampling is X1, X2, X4, X8 or X16");

    static string NameChip(byte id) => id switch
    {
        0x58 => "that is a BMP280 (pressure and temperature, no humidity); use a BME280 or a BMP280 driver",
        0x56 or 0x57 => "that is a BMP280 engineering sample (pressure and temperature, no humidity)",
        0x61 => "that is a BME680 (gas sensor; different registers)",
        0x00 or 0xFF => "nothing that drives the bus (check SDO, CSB and the address)",
        _ => "not a Bosch BMx280",
    };

    static DriverResult<Bme280Measurement> Fail(FormattableString reason) =>
        DriverResult<Bme280Measurement>.Failure(reason.ToString(CultureInfo.InvariantCulture));

    byte ReadRegister(Register register)
    {
        Span<byte> value = stackalloc byte[1];
        _device.WriteRead([(byte)register], value);
        return value[0];
    }

    bool WaitForImageUpdate()
    {
        for (int attempt = 1; ((StatusBits)ReadRegister(Register.Status)).HasFlag(StatusBits.ImageUpdate); attempt++)
        {
            if (attempt >= ImageUpdateAttempts)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }
}
