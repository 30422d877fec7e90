using System.Buffers.Binary;
using System.Device.I2c;
using System.Globalization;
using Iot.Contracts.Messages;
using Iot.Edge.Drivers.I2c;

namespace Iot.Edge.Drivers.Sht4x;

/// <summary>
/// Sensirion SHT40/SHT41/SHT43/SHT45 air temperature and relative humidity sensor on I2C.
/// Datasheet: Sensirion "SHT4x Datasheet", version 6.6 (April 2024); see README.md for the sections used.
/// </summary>
/// <remarks>
/// The constructor reads the serial number (command 0x89) and checks both CRCs, so a missing chip or another chip
/// at the address fails at once with an <see cref="IOException"/>. <see cref="ReadAsync"/> never throws for a bus
/// fault: a failed read is a <see cref="DriverResult{T}.Failure"/> with the reason. One read at a time: the class is
/// not thread-safe, like the bus it talks over.
/// </remarks>
public sealed class Sht4x : IDisposable
{
    /// <summary>I2C address of the SHT40-AD1B, SHT41-AD1B, SHT43 and SHT45-AD1B (datasheet, product list).</summary>
    public const int DefaultI2cAddress = 0x44;

    /// <summary>I2C address of the SHT40-BD1B.</summary>
    public const int BD1BI2cAddress = 0x45;

    /// <summary>I2C address of the SHT40-CD1B.</summary>
    public const int CD1BI2cAddress = 0x46;

    /// <summary>
    /// Soft reset time, at most 1 ms (datasheet section 3.1 "Timings", t_SR).
    /// </summary>
    static readonly TimeSpan SoftResetTime = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The datasheet gives no duration for the serial number command; the chip does not acknowledge the read until its
    /// answer is ready. The constructor retries the read this many times, 1 ms apart (10 ms in all).
    /// </summary>
    const int SerialNumberAttempts = 10;

    const int ResponseLength = 6;

    readonly I2cDevice _device;
    readonly TimeProvider _time;
    readonly bool _shouldDispose;
    bool _disposed;

    /// <summary>Connects to an SHT4x and reads its serial number as the identity check.</summary>
    /// <param name="i2cDevice">The bus device at the chip's address (0x44, 0x45 or 0x46).</param>
    /// <param name="timeProvider">The clock measurement waits run on; the system clock when null.</param>
    /// <param name="shouldDispose">Whether <see cref="Dispose"/> disposes <paramref name="i2cDevice"/>.</param>
    /// <exception cref="IOException">No chip answered, or the serial number failed its CRC (not an SHT4x).</exception>
    public Sht4x(I2cDevice i2cDevice, TimeProvider? timeProvider = null, bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(i2cDevice);
        _device = i2cDevice;
        _time = timeProvider ?? TimeProvider.System;
        _shouldDispose = shouldDispose;
        SerialNumber = ReadSerialNumber();
    }

    /// <summary>The chip's unique 32-bit serial number, read once at construction.</summary>
    public uint SerialNumber { get; }

    /// <summary>The precision the next <see cref="ReadAsync"/> measures with; high by default.</summary>
    public Sht4xPrecision Precision { get; set; } = Sht4xPrecision.High;

    /// <summary>
    /// Maximum measurement duration for a precision (datasheet section 3.1 "Timings": 8.3 / 4.5 / 1.7 ms).
    /// </summary>
    /// <param name="precision">The precision.</param>
    public static TimeSpan MaximumMeasurementDuration(Sht4xPrecision precision) => precision switch
    {
        Sht4xPrecision.High => TimeSpan.FromMicroseconds(8_300),
        Sht4xPrecision.Medium => TimeSpan.FromMicroseconds(4_500),
        Sht4xPrecision.Low => TimeSpan.FromMicroseconds(1_700),
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };

    /// <summary>
    /// Measures temperature and humidity: sends the measure command, waits the datasheet's maximum duration, then reads
    /// the two CRC-protected words. Retries a not-acknowledged read every millisecond until a deadline 5 ms past the
    /// maximum duration.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The measurement, or a failure naming the bus fault, the missed deadline or the word whose CRC failed.</returns>
    public async Task<DriverResult<Sht4xMeasurement>> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Sht4xPrecision precision = Precision;
        Command command = precision switch
        {
            Sht4xPrecision.High => Command.MeasureHighPrecision,
            Sht4xPrecision.Medium => Command.MeasureMediumPrecision,
            _ => Command.MeasureLowPrecision,
        };
        TimeSpan duration = MaximumMeasurementDuration(precision);

        try
        {
            _device.WriteByte((byte)command);
        }
        catch (IOException e)
        {
            return Fail($"no acknowledge for measure command 0x{(byte)command:X2}: {e.Message}");
        }

        DateTimeOffset deadline = _time.GetUtcNow() + duration + I2cChip.ReadyMargin;
        await I2cChip.DelayAtLeastAsync(duration, _time, cancellationToken).ConfigureAwait(false);

        byte[] response = new byte[ResponseLength];
        while (true)
        {
            // The time is taken before the attempt: only a read that itself started after the deadline may fail the
            // measurement, so a stall between a read and the check (a GC pause) never fails a measurement that is ready.
            DateTimeOffset attempt = _time.GetUtcNow();
            try
            {
                _device.Read(response);
                break;
            }
            catch (IOException e)
            {
                if (attempt >= deadline)
                {
                    return Fail($"no data within {(duration + I2cChip.ReadyMargin).TotalMilliseconds} ms of the measure command (read not acknowledged: {e.Message})");
                }
            }

            await Task.Delay(I2cChip.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        return Decode(response);
    }

    /// <summary>
    /// Sends the soft reset command (0x94) and waits the soft reset time (1 ms, datasheet section 3.1).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>False when the chip did not acknowledge the command.</returns>
    public async Task<bool> TrySoftResetAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            _device.WriteByte((byte)Command.SoftReset);
        }
        catch (IOException)
        {
            return false;
        }

        await Task.Delay(SoftResetTime, _time, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Temperature in °C from the raw word: T = -45 + 175 * S_T / (2^16 - 1)
    /// (datasheet section 4, "Conversion of Signal Output").
    /// </summary>
    /// <param name="raw">S_T, the chip's 16-bit temperature word.</param>
    public static double ConvertTemperature(ushort raw) => -45.0 + (175.0 * raw / 65535.0);

    /// <summary>
    /// Relative humidity in %RH from the raw word, not cropped: RH = -6 + 125 * S_RH / (2^16 - 1)
    /// (datasheet section 4, "Conversion of Signal Output"). Spans -6..119 %RH.
    /// </summary>
    /// <param name="raw">S_RH, the chip's 16-bit humidity word.</param>
    public static double ConvertRelativeHumidity(ushort raw) => -6.0 + (125.0 * raw / 65535.0);

    /// <summary>
    /// The CRC-8 the SHT4x appends to every 16-bit word: polynomial 0x31 (x^8 + x^5 + x^4 + 1), initial value 0xFF, no
    /// reflection, no final XOR (datasheet section 4, "Checksum Calculation"; example CRC(0xBEEF) = 0x92).
    /// </summary>
    /// <param name="data">The bytes to protect, most significant first.</param>
    public static byte Crc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0xFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80) != 0 ? (byte)((crc << 1) ^ 0x31) : (byte)(crc << 1);
            }
        }

        return crc;
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

    static DriverResult<Sht4xMeasurement> Decode(ReadOnlySpan<byte> response)
    {
        // Response layout (datasheet section 4, command overview): T MSB, T LSB, T CRC, RH MSB, RH LSB, RH CRC.
        if (!CrcMatches(response[..3], out byte expected, out byte actual))
        {
            return Fail($"crc mismatch on temperature word: computed 0x{expected:X2}, received 0x{actual:X2}");
        }

        if (!CrcMatches(response[3..6], out expected, out actual))
        {
            return Fail($"crc mismatch on humidity word: computed 0x{expected:X2}, received 0x{actual:X2}");
        }

        double temperature = ConvertTemperature(BinaryPrimitives.ReadUInt16BigEndian(response));
        double humidity = ConvertRelativeHumidity(BinaryPrimitives.ReadUInt16BigEndian(response[3..]));
        double cropped = Math.Clamp(humidity, 0.0, 100.0);
        return DriverResult<Sht4xMeasurement>.Success(new Sht4xMeasurement(
            new Quantity(temperature, Unit.DegreeCelsius),
            new Quantity(cropped, Unit.Percent),
            cropped != humidity));
    }

    static bool CrcMatches(ReadOnlySpan<byte> wordAndCrc, out byte expected, out byte actual)
    {
        expected = Crc8(wordAndCrc[..2]);
        actual = wordAndCrc[2];
        return expected == actual;
    }

    static DriverResult<Sht4xMeasurement> Fail(FormattableString reason) =>
        DriverResult<Sht4xMeasurement>.Failure(reason.ToString(CultureInfo.InvariantCulture));

    uint ReadSerialNumber()
    {
        string chip = "SHT4x at " + I2cChip.Address(_device);
        try
        {
            _device.WriteByte((byte)Command.ReadSerialNumber);
        }
        catch (IOException e)
        {
            throw new IOException($"{chip} did not acknowledge the read-serial-number command 0x89: is it connected, powered and at this address? ({e.Message})", e);
        }

        byte[] response = new byte[ResponseLength];
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                _device.Read(response);
                break;
            }
            catch (IOException) when (attempt < SerialNumberAttempts)
            {
                Thread.Sleep(1);
            }
            catch (IOException e)
            {
                throw new IOException($"{chip} accepted command 0x89 but did not send its serial number ({SerialNumberAttempts} reads, 1 ms apart): {e.Message}", e);
            }
        }

        for (int word = 0; word < 2; word++)
        {
            if (!CrcMatches(response.AsSpan(word * 3, 3), out byte expected, out byte actual))
            {
                throw new IOException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{chip}: serial number word {word + 1} failed its CRC (expected 0x{expected:X2}, got 0x{actual:X2}); the device is not an SHT4x or the bus is noisy"));
            }
        }

        return ((uint)BinaryPrimitives.ReadUInt16BigEndian(response) << 16) | BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(3));
    }
}
