using System.Buffers.Binary;
using System.Device.I2c;
using System.Globalization;
using Iot.Edge.Drivers.I2c;

namespace Iot.Edge.Drivers.Ads1115;

/// <summary>
/// Texas Instruments ADS1115 16-bit analog-to-digital converter on I2C, in single-shot mode: each
/// <see cref="ReadAsync"/> starts one conversion, polls until it is done and reads the result.
/// Datasheet: TI "ADS111x Ultra-Small, Low-Power, I2C-Compatible, 860-SPS, 16-Bit ADCs", SBAS444D (December 2018);
/// see README.md for the sections used.
/// </summary>
/// <remarks>
/// The chip has no identity register. Instead the constructor writes a known configuration and reads it back: a
/// presence check that proves a device with ADS111x-style registers answers at the address (an ADS1015 would pass it
/// too; it does not prove the part number). <see cref="ReadAsync"/> never throws for a bus fault: a failed read is a
/// <see cref="DriverResult{T}.Failure"/> with the reason. One conversion at a time: the class is not thread-safe.
/// </remarks>
public sealed class Ads1115 : IDisposable
{
    /// <summary>I2C address with ADDR tied to GND (datasheet section 9.5.1.1).</summary>
    public const int AddrGndI2cAddress = 0x48;

    /// <summary>I2C address with ADDR tied to VDD.</summary>
    public const int AddrVddI2cAddress = 0x49;

    /// <summary>I2C address with ADDR tied to SDA.</summary>
    public const int AddrSdaI2cAddress = 0x4A;

    /// <summary>I2C address with ADDR tied to SCL.</summary>
    public const int AddrSclI2cAddress = 0x4B;

    /// <summary>
    /// The configuration the presence check writes: OS 0, AIN0 single-ended, ±4.096 V, single-shot, 128 SPS,
    /// comparator disabled = 0x4383. It differs from the power-on default 0x8583 (section 9.6.3), so a device that
    /// ignores the write fails the check.
    /// </summary>
    internal const ushort PresenceCheckConfig = 0x4383;

    readonly I2cDevice _device;
    readonly TimeProvider _time;
    readonly bool _shouldDispose;
    bool _disposed;

    /// <summary>Connects to an ADS1115 and checks that it is there by writing a configuration and reading it back.</summary>
    /// <param name="i2cDevice">The bus device at 0x48..0x4B.</param>
    /// <param name="timeProvider">The clock conversion waits run on; the system clock when null.</param>
    /// <param name="shouldDispose">Whether <see cref="Dispose"/> disposes <paramref name="i2cDevice"/>.</param>
    /// <exception cref="IOException">Nothing answered, or the read-back differs from what was written.</exception>
    public Ads1115(I2cDevice i2cDevice, TimeProvider? timeProvider = null, bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(i2cDevice);
        _device = i2cDevice;
        _time = timeProvider ?? TimeProvider.System;
        _shouldDispose = shouldDispose;

        ushort readBack = I2cChip.Identify(i2cDevice, "ADS1115", () =>
        {
            WriteConfig(PresenceCheckConfig);
            return ReadConfig();
        });

        if ((readBack & ConfigFields.AllButOperationalStatus) != PresenceCheckConfig)
        {
            throw new IOException(string.Create(
                CultureInfo.InvariantCulture,
                $"presence check failed at {I2cChip.Address(i2cDevice)}: wrote config 0x{PresenceCheckConfig:X4}, read back 0x{readBack:X4}; the device there is not an ADS1115"));
        }
    }

    /// <summary>The data rate of the next conversions; 128 SPS (7.8 ms) by default.</summary>
    public Ads1115DataRate DataRate
    {
        get;
        set => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "not a data rate setting");
    } = Ads1115DataRate.Sps128;

    /// <summary>The full-scale voltage FS of a range: the input that reads code 32768 (section 9.3.3).</summary>
    /// <param name="range">The range.</param>
    public static double FullScaleVolts(Ads1115Range range) => range switch
    {
        Ads1115Range.PlusMinus6144mV => 6.144,
        Ads1115Range.PlusMinus4096mV => 4.096,
        Ads1115Range.PlusMinus2048mV => 2.048,
        Ads1115Range.PlusMinus1024mV => 1.024,
        Ads1115Range.PlusMinus512mV => 0.512,
        Ads1115Range.PlusMinus256mV => 0.256,
        _ => throw new ArgumentOutOfRangeException(nameof(range), range, "not a range setting"),
    };

    /// <summary>Samples per second of a data rate setting (section 9.6.3).</summary>
    /// <param name="rate">The data rate.</param>
    public static int SamplesPerSecond(Ads1115DataRate rate) => rate switch
    {
        Ads1115DataRate.Sps8 => 8,
        Ads1115DataRate.Sps16 => 16,
        Ads1115DataRate.Sps32 => 32,
        Ads1115DataRate.Sps64 => 64,
        Ads1115DataRate.Sps128 => 128,
        Ads1115DataRate.Sps250 => 250,
        Ads1115DataRate.Sps475 => 475,
        Ads1115DataRate.Sps860 => 860,
        _ => throw new ArgumentOutOfRangeException(nameof(rate), rate, "not a data rate setting"),
    };

    /// <summary>Nominal single-shot conversion time, 1 / DR (section 9.3.6).</summary>
    /// <param name="rate">The data rate.</param>
    public static TimeSpan NominalConversionTime(Ads1115DataRate rate) => TimeSpan.FromSeconds(1.0 / SamplesPerSecond(rate));

    /// <summary>
    /// Slowest single-shot conversion time: 1 / (0.9 × DR), since the data rate may be 10 % slow (section 7.5,
    /// "data rate variation").
    /// </summary>
    /// <param name="rate">The data rate.</param>
    public static TimeSpan MaximumConversionTime(Ads1115DataRate rate) => TimeSpan.FromSeconds(1.0 / (0.9 * SamplesPerSecond(rate)));

    /// <summary>Volts from a conversion code: code × FS / 32768 (section 9.3.3; one code is FSR / 2^16 = FS / 2^15).</summary>
    /// <param name="raw">The conversion register.</param>
    /// <param name="range">The range it was converted with.</param>
    public static double ToVolts(short raw, Ads1115Range range) => raw * FullScaleVolts(range) / 32768.0;

    /// <summary>
    /// The config word that starts a single-shot conversion: OS 1, the input's MUX, the range's PGA, MODE 1, the data
    /// rate, comparator disabled (COMP_QUE 11) (section 9.6.3).
    /// </summary>
    /// <param name="input">The input.</param>
    /// <param name="range">The range.</param>
    /// <param name="rate">The data rate.</param>
    public static ushort SingleShotConfig(Ads1115Input input, Ads1115Range range, Ads1115DataRate rate) =>
        (ushort)((ushort)ConfigBits.OperationalStatus
            | ((int)input << ConfigFields.MuxShift)
            | ((int)range << ConfigFields.PgaShift)
            | (ushort)ConfigBits.SingleShot
            | ((int)rate << ConfigFields.DataRateShift)
            | (ushort)ConfigBits.ComparatorDisabled);

    /// <summary>
    /// Converts one input: writes the config with OS set (section 9.4.2.1, single-shot mode), waits the nominal
    /// conversion time, polls OS until the conversion is done with a deadline 5 ms past the slowest conversion time,
    /// then reads the conversion register.
    /// </summary>
    /// <param name="input">Which input, single-ended or differential.</param>
    /// <param name="range">The full-scale range.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The conversion, or a failure naming the bus fault, the missed deadline, a changed configuration or a clipped input.</returns>
    public async Task<DriverResult<Ads1115Conversion>> ReadAsync(Ads1115Input input, Ads1115Range range, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Enum.IsDefined(input))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input, "not an input setting");
        }

        double fullScale = FullScaleVolts(range);
        Ads1115DataRate rate = DataRate;
        ushort config = SingleShotConfig(input, range, rate);

        try
        {
            WriteConfig(config);
        }
        catch (IOException e)
        {
            return Fail($"no acknowledge writing config 0x{config:X4}: {e.Message}");
        }

        TimeSpan limit = MaximumConversionTime(rate) + I2cChip.ReadyMargin;
        DateTimeOffset deadline = _time.GetUtcNow() + limit;
        await I2cChip.DelayAtLeastAsync(NominalConversionTime(rate), _time, cancellationToken).ConfigureAwait(false);

        while (true)
        {
            // Taken before the read: only a status read that started after the deadline may fail the conversion.
            DateTimeOffset attempt = _time.GetUtcNow();
            ushort status;
            try
            {
                status = ReadConfig();
            }
            catch (IOException e)
            {
                return Fail($"no acknowledge reading config: {e.Message}");
            }

            if (((ConfigBits)status).HasFlag(ConfigBits.OperationalStatus))
            {
                if ((status & ConfigFields.AllButOperationalStatus) != (config & ConfigFields.AllButOperationalStatus))
                {
                    // A brown-out reset or another controller changed the settings: the result is not ours.
                    return Fail($"config changed during the conversion: wrote 0x{config:X4}, read 0x{status:X4}");
                }

                break;
            }

            if (attempt >= deadline)
            {
                return Fail($"conversion not finished within {limit.TotalMilliseconds:0.#} ms (config 0x{status:X4})");
            }

            await Task.Delay(I2cChip.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        short raw;
        try
        {
            raw = (short)ReadRegister(Register.Conversion);
        }
        catch (IOException e)
        {
            return Fail($"no acknowledge reading the conversion register: {e.Message}");
        }

        // Section 9.5.3: the output clips at 0x7FFF and 0x8000 for inputs beyond full scale, so those codes are not values.
        if (raw == short.MaxValue)
        {
            return Fail($"input at or above +{fullScale} V full scale (code 0x7FFF): use a wider range");
        }

        if (raw == short.MinValue)
        {
            return Fail($"input at or below -{fullScale} V full scale (code 0x8000): use a wider range");
        }

        return DriverResult<Ads1115Conversion>.Success(new Ads1115Conversion(raw, ToVolts(raw, range), input, range));
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

    static DriverResult<Ads1115Conversion> Fail(FormattableString reason) =>
        DriverResult<Ads1115Conversion>.Failure(reason.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes a register: pointer byte, then MSB and LSB (section 9.5.1, "writing to the registers").</summary>
    void WriteConfig(ushort value)
    {
        Span<byte> bytes = [(byte)Register.Config, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(bytes[1..], value);
        _device.Write(bytes);
    }

    ushort ReadConfig() => ReadRegister(Register.Config);

    /// <summary>Reads a register: pointer byte, then two bytes MSB first (section 9.5.1, "reading from the registers").</summary>
    ushort ReadRegister(Register register)
    {
        Span<byte> value = stackalloc byte[2];
        _device.WriteRead([(byte)register], value);
        return BinaryPrimitives.ReadUInt16BigEndian(value);
    }
}
