using System.Buffers.Binary;
using System.Globalization;
using Iot.Edge.Drivers.I2c;

namespace Iot.Edge.Drivers.Sht4x;

/// <summary>Faults a <see cref="Sht4xSimulator"/> can inject; they last until cleared.</summary>
[Flags]
public enum Sht4xSimulatorFaults
{
    /// <summary>The chip behaves.</summary>
    None = 0,

    /// <summary>The CRC after the temperature word is wrong.</summary>
    CorruptTemperatureCrc = 0b0001,

    /// <summary>The CRC after the humidity word is wrong.</summary>
    CorruptHumidityCrc = 0b0010,

    /// <summary>The CRC after the first serial number word is wrong.</summary>
    CorruptSerialNumberCrc = 0b0100,

    /// <summary>A measurement never finishes: every read of its result is not acknowledged.</summary>
    NeverReady = 0b1000,
}

/// <summary>
/// A register-level SHT4x: answers one-byte commands like the chip (datasheet v6.6, section 4), encodes the physical
/// values it is given with the inverse of the datasheet's conversion formulas, appends real CRCs, and refuses (does
/// not acknowledge) reads until a measurement's maximum duration has passed on its clock, as the slowest chip the
/// datasheet allows would. Used by tests and by the gateway's simulated-hardware mode.
/// </summary>
/// <remarks>
/// Simulated: the three measure commands, read serial number, soft reset. Not simulated: the heater commands
/// (0x39, 0x32, 0x2F, 0x24, 0x1E, 0x15), which are not acknowledged.
/// </remarks>
public sealed class Sht4xSimulator : SimulatedI2cDevice
{
    const int ResponseLength = 6;

    byte[]? _response;
    bool _responseIsMeasurement;
    DateTimeOffset _busyUntil = DateTimeOffset.MinValue;

    /// <summary>Creates a simulated SHT4x.</summary>
    /// <param name="deviceAddress">0x44, 0x45 or 0x46.</param>
    /// <param name="timeProvider">The clock measurements run on; the system clock when null.</param>
    public Sht4xSimulator(int deviceAddress = Sht4x.DefaultI2cAddress, TimeProvider? timeProvider = null)
        : base(deviceAddress, timeProvider)
    {
    }

    /// <summary>Air temperature in °C at a given time. Values outside -45..130 °C saturate like the chip's word.</summary>
    public Func<DateTimeOffset, double> Temperature { get; set; } = _ => 21.0;

    /// <summary>
    /// Relative humidity in %RH at a given time. The chip's word spans -6..119 %RH, so values above 100 (condensation)
    /// reach the driver, which crops them.
    /// </summary>
    public Func<DateTimeOffset, double> RelativeHumidity { get; set; } = _ => 60.0;

    /// <summary>The serial number the chip reports.</summary>
    public uint SerialNumber { get; set; } = 0x0BAD_CAFE;

    /// <summary>Faults to inject; none by default.</summary>
    public Sht4xSimulatorFaults Faults { get; set; }

    /// <summary>How many measure commands the chip accepted.</summary>
    public int MeasurementCount { get; private set; }

    /// <summary>The temperature word for a temperature in °C: S_T = (T + 45) * (2^16 - 1) / 175, rounded and saturated.</summary>
    /// <param name="celsius">The temperature.</param>
    public static ushort EncodeTemperature(double celsius) => Saturate((celsius + 45.0) * 65535.0 / 175.0);

    /// <summary>The humidity word for a humidity in %RH: S_RH = (RH + 6) * (2^16 - 1) / 125, rounded and saturated.</summary>
    /// <param name="percent">The relative humidity.</param>
    public static ushort EncodeRelativeHumidity(double percent) => Saturate((percent + 6.0) * 65535.0 / 125.0);

    /// <inheritdoc/>
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        DateTimeOffset now = Now;
        if (now < _busyUntil)
        {
            throw NoAcknowledge("busy with the previous command");
        }

        if (data.Length != 1)
        {
            throw NoAcknowledge(string.Create(CultureInfo.InvariantCulture, $"SHT4x commands are one byte; got {data.Length}"));
        }

        switch ((Command)data[0])
        {
            case Command.MeasureHighPrecision:
                StartMeasurement(now, Sht4xPrecision.High);
                break;
            case Command.MeasureMediumPrecision:
                StartMeasurement(now, Sht4xPrecision.Medium);
                break;
            case Command.MeasureLowPrecision:
                StartMeasurement(now, Sht4xPrecision.Low);
                break;
            case Command.ReadSerialNumber:
                uint serial = SerialNumber;
                _response = Words((ushort)(serial >> 16), (ushort)serial);
                if (Faults.HasFlag(Sht4xSimulatorFaults.CorruptSerialNumberCrc))
                {
                    _response[2] ^= 0xFF;
                }

                _responseIsMeasurement = false;
                break;
            case Command.SoftReset:
                // Soft reset: the chip drops any pending result and is back after t_SR = 1 ms (section 3.1).
                _response = null;
                _busyUntil = now + TimeSpan.FromMilliseconds(1);
                break;
            default:
                throw NoAcknowledge(string.Create(CultureInfo.InvariantCulture, $"command 0x{data[0]:X2} is not simulated"));
        }
    }

    /// <inheritdoc/>
    protected override void OnRead(Span<byte> buffer)
    {
        if (_response is null)
        {
            throw NoAcknowledge("no command is waiting to be read");
        }

        if (Now < _busyUntil || (_responseIsMeasurement && Faults.HasFlag(Sht4xSimulatorFaults.NeverReady)))
        {
            throw NoAcknowledge("measurement still running");
        }

        // The controller may stop early (after any byte) or clock on; past the response the bus idles high.
        buffer.Fill(0xFF);
        _response.AsSpan(0, Math.Min(buffer.Length, ResponseLength)).CopyTo(buffer);
        _response = null;
    }

    void StartMeasurement(DateTimeOffset now, Sht4xPrecision precision)
    {
        double temperature = Temperature(now);
        double humidity = RelativeHumidity(now);
        if (!double.IsFinite(temperature) || !double.IsFinite(humidity))
        {
            // A broken simulated signal looks like a broken chip to the driver, not like an exception.
            throw NoAcknowledge("the simulated temperature or humidity is not a finite number");
        }

        _response = Words(EncodeTemperature(temperature), EncodeRelativeHumidity(humidity));
        if (Faults.HasFlag(Sht4xSimulatorFaults.CorruptTemperatureCrc))
        {
            _response[2] ^= 0xFF;
        }

        if (Faults.HasFlag(Sht4xSimulatorFaults.CorruptHumidityCrc))
        {
            _response[5] ^= 0xFF;
        }

        _responseIsMeasurement = true;
        _busyUntil = now + Sht4x.MaximumMeasurementDuration(precision);
        MeasurementCount++;
    }

    static byte[] Words(ushort first, ushort second)
    {
        byte[] response = new byte[ResponseLength];
        BinaryPrimitives.WriteUInt16BigEndian(response, first);
        response[2] = Sht4x.Crc8(response.AsSpan(0, 2));
        BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(3), second);
        response[5] = Sht4x.Crc8(response.AsSpan(3, 2));
        return response;
    }

    static ushort Saturate(double raw) => (ushort)Math.Clamp(Math.Round(raw), 0, 65535);
}
