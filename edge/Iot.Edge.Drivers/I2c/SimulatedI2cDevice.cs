using System.Device.I2c;

namespace Iot.Edge.Drivers.I2c;

/// <summary>
/// An I2C target chip simulated in software, byte for byte: the base of the I2C group's register-level simulators
/// (<c>Sht4xSimulator</c>, <c>Bme280Simulator</c>, <c>Ads1115Simulator</c>). Drivers talk to it through the ordinary
/// <see cref="I2cDevice"/> calls, exactly as to the chip on a Raspberry Pi's bus.
/// </summary>
/// <remarks>
/// <para>
/// It records every acknowledged transfer (<see cref="Transfers"/>) so tests can assert the bytes on the wire, and can
/// refuse to acknowledge (<see cref="Nack"/>), which the Linux I2C driver reports as an <see cref="IOException"/>: the
/// same exception a driver sees for a missing, unpowered or busy chip. A derived simulator answers a transfer in
/// <see cref="OnWrite"/> and <see cref="OnRead"/>, and throws <see cref="NoAcknowledge"/> where the real chip would not
/// acknowledge (a command it does not know, a read before its data are ready).
/// </para>
/// <para>
/// <see cref="I2cDevice.WriteRead"/> is a write, a repeated start and a read, so it is recorded as two transfers.
/// A transfer that was not acknowledged is not recorded: nothing reached the chip.
/// </para>
/// </remarks>
public abstract class SimulatedI2cDevice : I2cDevice
{
    readonly Lock _gate = new();
    readonly List<I2cTransfer> _transfers = [];
    bool _disposed;

    /// <summary>Creates a simulated chip at <paramref name="deviceAddress"/> on bus <paramref name="busId"/>.</summary>
    /// <param name="deviceAddress">The chip's 7-bit I2C address.</param>
    /// <param name="timeProvider">The clock the chip's conversions run on; the system clock when null.</param>
    /// <param name="busId">The bus number (<c>/dev/i2c-1</c> on a Raspberry Pi).</param>
    protected SimulatedI2cDevice(int deviceAddress, TimeProvider? timeProvider, int busId = 1)
    {
        if (deviceAddress is < 0x08 or > 0x77)
        {
            throw new ArgumentOutOfRangeException(nameof(deviceAddress), deviceAddress, "a 7-bit I2C address is 0x08..0x77");
        }

        ConnectionSettings = new I2cConnectionSettings(busId, deviceAddress);
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>The clock the simulated chip runs on.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>The simulated chip's current time.</summary>
    protected DateTimeOffset Now => TimeProvider.GetUtcNow();

    /// <summary>
    /// Whether every transfer is kept in the record tests assert on (default true). A simulated gateway, which runs for
    /// days and never reads the record, turns it off: it would cost an allocation per transfer and nothing else.
    /// </summary>
    public bool RecordsTransfers { get; init; } = true;

    /// <summary>
    /// While true, the chip acknowledges nothing: every transfer fails with an <see cref="IOException"/>, as when it is
    /// unplugged, unpowered or its address is wrong. Set it back to false and the chip answers again.
    /// </summary>
    public bool Nack { get; set; }

    /// <summary>Whether the driver disposed this device.</summary>
    public bool IsDisposed
    {
        get
        {
            lock (_gate)
            {
                return _disposed;
            }
        }
    }

    /// <summary>Every acknowledged transfer since creation or <see cref="ClearTransfers"/>, oldest first.</summary>
    public IReadOnlyList<I2cTransfer> Transfers
    {
        get
        {
            lock (_gate)
            {
                return [.. _transfers];
            }
        }
    }

    /// <summary>The bytes of every acknowledged write, oldest first: what a driver sent to the chip.</summary>
    public IReadOnlyList<byte[]> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _transfers.Where(t => t.Direction == I2cDirection.Write).Select(t => t.Data.ToArray())];
            }
        }
    }

    /// <summary>Forgets the recorded transfers (for example those of the driver's constructor).</summary>
    public void ClearTransfers()
    {
        lock (_gate)
        {
            _transfers.Clear();
        }
    }

    /// <inheritdoc/>
    public sealed override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            EnsureAcknowledged();
            OnWrite(buffer);
            if (RecordsTransfers)
            {
                SimulationLog.Append(_transfers, new I2cTransfer(I2cDirection.Write, buffer.ToArray(), Now));
            }
        }
    }

    /// <inheritdoc/>
    public sealed override void Read(Span<byte> buffer)
    {
        lock (_gate)
        {
            EnsureAcknowledged();
            OnRead(buffer);
            if (RecordsTransfers)
            {
                SimulationLog.Append(_transfers, new I2cTransfer(I2cDirection.Read, buffer.ToArray(), Now));
            }
        }
    }

    /// <inheritdoc/>
    public sealed override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        lock (_gate)
        {
            EnsureAcknowledged();
            OnWrite(writeBuffer);
            if (RecordsTransfers)
            {
                SimulationLog.Append(_transfers, new I2cTransfer(I2cDirection.Write, writeBuffer.ToArray(), Now));
            }

            OnRead(readBuffer);
            if (RecordsTransfers)
            {
                SimulationLog.Append(_transfers, new I2cTransfer(I2cDirection.Read, readBuffer.ToArray(), Now));
            }
        }
    }

    /// <summary>Answers a write addressed to the chip; throw <see cref="NoAcknowledge"/> to refuse it.</summary>
    /// <param name="data">The bytes after the address byte.</param>
    protected abstract void OnWrite(ReadOnlySpan<byte> data);

    /// <summary>Fills a read addressed to the chip; throw <see cref="NoAcknowledge"/> to refuse it.</summary>
    /// <param name="buffer">The bytes the chip sends, as many as the controller clocks out.</param>
    protected abstract void OnRead(Span<byte> buffer);

    /// <summary>The exception the bus gives when the chip does not acknowledge, naming the chip and why.</summary>
    /// <param name="why">What the real chip would be doing (for the test's failure message).</param>
    protected IOException NoAcknowledge(string why) =>
        new(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"I2C device 0x{ConnectionSettings.DeviceAddress:X2} on bus {ConnectionSettings.BusId} did not acknowledge: {why}"));

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            _disposed = true;
        }

        base.Dispose(disposing);
    }

    void EnsureAcknowledged()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Nack)
        {
            throw NoAcknowledge("no acknowledge injected (chip absent or unpowered)");
        }
    }
}

/// <summary>Which way a recorded I2C transfer went.</summary>
public enum I2cDirection
{
    /// <summary>Controller to chip.</summary>
    Write,

    /// <summary>Chip to controller.</summary>
    Read,
}

/// <summary>One acknowledged transfer seen by a <see cref="SimulatedI2cDevice"/>.</summary>
/// <param name="Direction">Write or read.</param>
/// <param name="Data">The bytes after the address byte.</param>
/// <param name="Time">When it happened, on the simulator's clock.</param>
public sealed record I2cTransfer(I2cDirection Direction, ReadOnlyMemory<byte> Data, DateTimeOffset Time)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Direction} [{Convert.ToHexString(Data.Span)}] at {Time:O}");
}
