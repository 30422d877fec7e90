using Iot.Edge.Drivers.I2c;
using Microsoft.Extensions.Time.Testing;

namespace Iot.Edge.Drivers.Tests.I2c;

public class SimulatedI2cDeviceTests
{
    readonly FakeTimeProvider _time = new();

    /// <summary>A chip that answers a read with the last bytes written to it, and refuses 0xFF.</summary>
    sealed class EchoChip(TimeProvider time) : SimulatedI2cDevice(0x50, time)
    {
        byte[] _last = [];

        protected override void OnWrite(ReadOnlySpan<byte> data)
        {
            if (data.Length > 0 && data[0] == 0xFF)
            {
                throw NoAcknowledge("0xFF is not a command");
            }

            _last = data.ToArray();
        }

        protected override void OnRead(Span<byte> buffer)
        {
            buffer.Clear();
            _last.AsSpan(0, Math.Min(_last.Length, buffer.Length)).CopyTo(buffer);
        }
    }

    [Fact]
    public void Transfers_are_recorded_in_order_with_their_bytes_and_time()
    {
        using var chip = new EchoChip(_time);
        Span<byte> buffer = stackalloc byte[2];

        chip.Write([0x01, 0x02]);
        _time.Advance(TimeSpan.FromMilliseconds(3));
        chip.Read(buffer);

        var transfers = chip.Transfers;
        Assert.Equal(I2cDirection.Write, transfers[0].Direction);
        Assert.Equal([0x01, 0x02], transfers[0].Data.ToArray());
        Assert.Equal(I2cDirection.Read, transfers[1].Direction);
        Assert.Equal([0x01, 0x02], transfers[1].Data.ToArray());
        Assert.Equal(TimeSpan.FromMilliseconds(3), transfers[1].Time - transfers[0].Time);
        Assert.Equal([[0x01, 0x02]], chip.Writes);
    }

    [Fact]
    public void WriteRead_is_recorded_as_a_write_then_a_read()
    {
        using var chip = new EchoChip(_time);
        Span<byte> buffer = stackalloc byte[1];

        chip.WriteRead([0x42], buffer);

        Assert.Equal([I2cDirection.Write, I2cDirection.Read], chip.Transfers.Select(t => t.Direction));
        Assert.Equal(0x42, buffer[0]);
    }

    [Fact]
    public void No_acknowledge_is_an_IOException_naming_the_address_and_the_transfer_is_not_recorded()
    {
        using var chip = new EchoChip(_time) { Nack = true };

        var error = Assert.Throws<IOException>(() => chip.WriteByte(0x01));
        chip.Nack = false;
        chip.WriteByte(0x02);

        Assert.Contains("0x50", error.Message, StringComparison.Ordinal);
        Assert.Equal([[0x02]], chip.Writes);
    }

    [Fact]
    public void A_chip_can_refuse_a_transfer_it_does_not_understand()
    {
        using var chip = new EchoChip(_time);

        var error = Assert.Throws<IOException>(() => chip.WriteByte(0xFF));

        Assert.Contains("0xFF is not a command", error.Message, StringComparison.Ordinal);
        Assert.Empty(chip.Transfers);
    }

    [Fact]
    public void ClearTransfers_forgets_what_was_recorded()
    {
        using var chip = new EchoChip(_time);
        chip.WriteByte(0x01);

        chip.ClearTransfers();

        Assert.Empty(chip.Transfers);
    }

    [Fact]
    public void A_disposed_device_refuses_transfers()
    {
        var chip = new EchoChip(_time);

        chip.Dispose();

        Assert.True(chip.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => chip.WriteByte(0x01));
    }

    [Fact]
    public void Connection_settings_carry_the_address_and_bus()
    {
        using var chip = new EchoChip(_time);

        Assert.Equal(0x50, chip.ConnectionSettings.DeviceAddress);
        Assert.Equal(1, chip.ConnectionSettings.BusId);
    }
}
