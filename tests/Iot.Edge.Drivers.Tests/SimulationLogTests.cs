using Iot.Edge.Drivers.Mfrc522;
using Iot.Edge.Drivers.Sht4x;

namespace Iot.Edge.Drivers.Tests;

/// <summary>A simulated gateway runs for days: what the simulators record of the bus must not grow without bound.</summary>
public class SimulationLogTests
{
    [Fact]
    public void An_i2c_simulator_keeps_a_bounded_record_of_recent_transfers()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var chip = new Sht4xSimulator(timeProvider: time);
        for (int i = 0; i < 10_000; i++)
        {
            chip.WriteByte(0x94); // soft reset: 1 ms busy each time (datasheet 3.1)
            time.Advance(TimeSpan.FromMilliseconds(2));
        }

        Assert.InRange(chip.Transfers.Count, 2048, 4096);
        Assert.All(chip.Writes.TakeLast(10), w => Assert.Equal([0x94], w));
    }

    [Fact]
    public void An_spi_simulator_keeps_a_bounded_record_of_recent_transfers()
    {
        using var chip = new Mfrc522Simulator();
        byte[] readVersion = [0xEE, 0x00];
        byte[] answer = new byte[2];
        for (int i = 0; i < 10_000; i++)
        {
            chip.TransferFullDuplex(readVersion, answer);
        }

        Assert.InRange(chip.Transfers.Count, 2048, 4096);
        Assert.Equal(Iot.Edge.Drivers.Mfrc522.Mfrc522.Version2, answer[1]);
    }
}
