using Iot.Edge.Drivers.Ads1115;
using Iot.Edge.Drivers.I2c;
using Iot.Edge.Drivers.Tests.I2c;
using Microsoft.Extensions.Time.Testing;
using Adc = Iot.Edge.Drivers.Ads1115.Ads1115;

namespace Iot.Edge.Drivers.Tests.Ads1115;

public class Ads1115Tests
{
    readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(Ads1115Range.PlusMinus6144mV, 187.5e-6)]
    [InlineData(Ads1115Range.PlusMinus4096mV, 125e-6)]
    [InlineData(Ads1115Range.PlusMinus2048mV, 62.5e-6)]
    [InlineData(Ads1115Range.PlusMinus1024mV, 31.25e-6)]
    [InlineData(Ads1115Range.PlusMinus512mV, 15.625e-6)]
    [InlineData(Ads1115Range.PlusMinus256mV, 7.8125e-6)]
    public void One_code_is_the_datasheet_LSB_size_of_each_range(Ads1115Range range, double lsbVolts)
    {
        // Datasheet section 9.3.3, "Full-Scale Range (FSR) and LSB Size": LSB = FSR / 2^16.
        Assert.Equal(lsbVolts, Adc.ToVolts(1, range), 12);
        Assert.Equal(-lsbVolts, Adc.ToVolts(-1, range), 12);
    }

    [Fact]
    public void Full_scale_codes_follow_the_datasheet_table_of_ideal_output_codes()
    {
        // Section 9.5.3: +FS (2^15 - 1) / 2^15 gives 7FFFh; -FS gives 8000h.
        Assert.Equal(4.096 * 32767 / 32768, Adc.ToVolts(0x7FFF, Ads1115Range.PlusMinus4096mV), 12);
        Assert.Equal(-4.096, Adc.ToVolts(short.MinValue, Ads1115Range.PlusMinus4096mV), 12);
        Assert.Equal(0x7FFF, Ads1115Simulator.Encode(4.096 * 32767 / 32768, Ads1115Range.PlusMinus4096mV));
        Assert.Equal(0x0001, Ads1115Simulator.Encode(4.096 / 32768, Ads1115Range.PlusMinus4096mV));
        Assert.Equal(-1, Ads1115Simulator.Encode(-4.096 / 32768, Ads1115Range.PlusMinus4096mV));
        Assert.Equal(short.MinValue, Ads1115Simulator.Encode(-5.0, Ads1115Range.PlusMinus4096mV));
    }

    [Theory]
    [InlineData(Ads1115Input.Ain0, Ads1115Range.PlusMinus4096mV, Ads1115DataRate.Sps128, 0xC383)]
    [InlineData(Ads1115Input.Ain3, Ads1115Range.PlusMinus2048mV, Ads1115DataRate.Sps860, 0xF5E3)]
    [InlineData(Ads1115Input.Ain0MinusAin1, Ads1115Range.PlusMinus256mV, Ads1115DataRate.Sps8, 0x8B03)]
    public void Single_shot_config_packs_OS_MUX_PGA_MODE_DR_and_disables_the_comparator(Ads1115Input input, Ads1115Range range, Ads1115DataRate rate, int config)
    {
        // Section 9.6.3: OS[15] MUX[14:12] PGA[11:9] MODE[8] DR[7:5] COMP_MODE[4] COMP_POL[3] COMP_LAT[2] COMP_QUE[1:0] = 11.
        Assert.Equal((ushort)config, Adc.SingleShotConfig(input, range, rate));
    }

    [Fact]
    public void Constructor_writes_a_known_config_and_reads_it_back_as_a_presence_check()
    {
        var chip = new Ads1115Simulator(timeProvider: _time);

        using var adc = new Adc(chip, _time);

        var transfers = chip.Transfers;
        Assert.Equal([0x01, 0x43, 0x83], transfers[0].Data.ToArray());
        Assert.Equal([0x01], transfers[1].Data.ToArray());
        Assert.Equal([0xC3, 0x83], transfers[2].Data.ToArray()); // OS reads 1: no conversion running
        Assert.Equal(0, chip.ConversionCount);
    }

    [Fact]
    public void Constructor_throws_IOException_when_the_read_back_differs()
    {
        var chip = new Ads1115Simulator(timeProvider: _time) { Faults = Ads1115SimulatorFaults.IgnoresWrites };

        var error = Assert.Throws<IOException>(() => new Adc(chip, _time));

        Assert.Contains("wrote config 0x4383, read back 0x8583", error.Message, StringComparison.Ordinal);
        Assert.Contains("0x48", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_throws_IOException_naming_the_address_when_nothing_answers()
    {
        var chip = new Ads1115Simulator(Adc.AddrSclI2cAddress, _time) { Nack = true };

        var error = Assert.Throws<IOException>(() => new Adc(chip, _time));

        Assert.Contains("0x4B", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conversion_writes_the_config_with_OS_set_polls_OS_then_reads_the_conversion_register()
    {
        var chip = new Ads1115Simulator(timeProvider: _time) { Ain0 = _ => 1.5 };
        using var adc = new Adc(chip, _time);
        chip.ClearTransfers();

        var (result, elapsed) = await _time.DriveTimed(() => adc.ReadAsync(Ads1115Input.Ain0, Ads1115Range.PlusMinus4096mV));

        Assert.True(result.Ok, result.Error);
        var writes = chip.Writes;
        Assert.Equal([0x01, 0xC3, 0x83], writes[0]);
        Assert.All(writes.Skip(1).SkipLast(1), w => Assert.Equal([0x01], w));
        Assert.Equal([0x00], writes[^1]);
        Assert.Equal(12000, result.Value.Value.Raw); // 1.5 V / 125 µV
        Assert.Equal(1.5, result.Value.Value.Volts, 12);

        // Nominal 1/128 s = 7.8 ms, then 1 ms polls; the simulated chip is the slowest allowed, 1/(0.9 × 128) = 8.7 ms.
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(8.68), TimeSpan.FromMilliseconds(9.7));
    }

    [Theory]
    [InlineData(Ads1115Input.Ain0, 0.1234)]
    [InlineData(Ads1115Input.Ain1, 1.2345)]
    [InlineData(Ads1115Input.Ain2, 2.3456)]
    [InlineData(Ads1115Input.Ain3, 3.2109)]
    public async Task Simulator_round_trips_single_ended_voltages_within_half_a_code(Ads1115Input input, double volts)
    {
        var chip = new Ads1115Simulator(timeProvider: _time)
        {
            Ain0 = _ => 0.1234,
            Ain1 = _ => 1.2345,
            Ain2 = _ => 2.3456,
            Ain3 = _ => 3.2109,
        };
        using var adc = new Adc(chip, _time);

        var result = await _time.Drive(() => adc.ReadAsync(input, Ads1115Range.PlusMinus4096mV));

        Assert.True(result.Ok, result.Error);
        Assert.InRange(result.Value.Value.Volts, volts - 62.5e-6, volts + 62.5e-6);
    }

    [Fact]
    public async Task Simulator_converts_differential_inputs()
    {
        var chip = new Ads1115Simulator(timeProvider: _time) { Ain0 = _ => 0.5, Ain1 = _ => 0.7 };
        using var adc = new Adc(chip, _time);

        var result = await _time.Drive(() => adc.ReadAsync(Ads1115Input.Ain0MinusAin1, Ads1115Range.PlusMinus256mV));

        Assert.True(result.Ok, result.Error);
        Assert.Equal(-0.2, result.Value.Value.Volts, 5);
    }

    [Fact]
    public async Task A_clipped_input_is_a_failure_and_a_wider_range_reads_it()
    {
        var chip = new Ads1115Simulator(timeProvider: _time) { Ain2 = _ => 3.0 };
        using var adc = new Adc(chip, _time);

        var clipped = await _time.Drive(() => adc.ReadAsync(Ads1115Input.Ain2, Ads1115Range.PlusMinus2048mV));
        var wider = await _time.Drive(() => adc.ReadAsync(Ads1115Input.Ain2, Ads1115Range.PlusMinus4096mV));

        Assert.False(clipped.Ok);
        Assert.Equal("input at or above +2.048 V full scale (code 0x7FFF): use a wider range", clipped.Error);
        Assert.Equal(3.0, wider.Value!.Value.Volts, 4);
    }

    [Fact]
    public async Task A_conversion_that_never_finishes_fails_at_the_deadline_and_the_next_read_recovers()
    {
        var chip = new Ads1115Simulator(timeProvider: _time) { Faults = Ads1115SimulatorFaults.NeverReady, Ain0 = _ => 1.0 };
        using var adc = new Adc(chip, _time);

        var (bad, elapsed) = await _time.DriveTimed(() => adc.ReadAsync(Ads1115Input.Ain0, Ads1115Range.PlusMinus4096mV));
        chip.Faults = Ads1115SimulatorFaults.None;
        var good = await _time.Drive(() => adc.ReadAsync(Ads1115Input.Ain0, Ads1115Range.PlusMinus4096mV));

        Assert.False(bad.Ok);
        Assert.Equal("conversion not finished within 13.7 ms (config 0x4383)", bad.Error);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(13.68), TimeSpan.FromMilliseconds(14.7));
        Assert.True(good.Ok, good.Error);
        Assert.Equal(1.0, good.Value.Value.Volts, 4);
    }

    [Fact]
    public async Task No_acknowledge_fails_the_read_without_an_exception_and_the_next_read_recovers()
    {
        var chip = new Ads1115Simulator(timeProvider: _time);
        using var adc = new Adc(chip, _time);

        var (bad, good) = await _time.DriveNackThenRecovery(chip, () => adc.ReadAsync(Ads1115Input.Ain0, Ads1115Range.PlusMinus4096mV));

        Assert.False(bad.Ok);
        Assert.StartsWith("no acknowledge writing config 0xC383", bad.Error, StringComparison.Ordinal);
        Assert.True(good.Ok, good.Error);
    }

    [Fact]
    public async Task A_config_changed_by_someone_else_during_the_conversion_is_a_failure()
    {
        var chip = new Ads1115Simulator(timeProvider: _time);
        using var adc = new Adc(chip, _time);

        // Another controller (or a brown-out reset) switches the input 2 ms into the conversion.
        using var meddler = _time.CreateTimer(_ => chip.Write([0x01, 0x53, 0x83]), null, TimeSpan.FromMilliseconds(2), Timeout.InfiniteTimeSpan);
        var result = await _time.Drive(() => adc.ReadAsync(Ads1115Input.Ain0, Ads1115Range.PlusMinus4096mV));

        Assert.False(result.Ok);
        Assert.Equal("config changed during the conversion: wrote 0xC383, read 0xD383", result.Error);
    }

    [Fact]
    public async Task The_data_rate_reaches_the_config_and_sets_the_wait()
    {
        var chip = new Ads1115Simulator(timeProvider: _time);
        using var adc = new Adc(chip, _time) { DataRate = Ads1115DataRate.Sps8 };
        chip.ClearTransfers();

        var (result, elapsed) = await _time.DriveTimed(() => adc.ReadAsync(Ads1115Input.Ain0, Ads1115Range.PlusMinus4096mV));

        Assert.True(result.Ok, result.Error);
        Assert.Equal([0x01, 0xC3, 0x03], chip.Writes[0]); // DR = 000
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(138.9), TimeSpan.FromMilliseconds(140));
    }

    [Fact]
    public void Settings_refuse_values_that_are_not_settings()
    {
        using var adc = new Adc(new Ads1115Simulator(timeProvider: _time), _time);

        Assert.Throws<ArgumentOutOfRangeException>(() => adc.DataRate = (Ads1115DataRate)8);
        Assert.Throws<ArgumentOutOfRangeException>(() => Adc.FullScaleVolts((Ads1115Range)6));
    }

    [Fact]
    public void Dispose_disposes_the_bus_device_only_when_asked_to()
    {
        var (owned, borrowed) = BusOwnership.DisposeOwnedAndBorrowed(
            () => new Ads1115Simulator(timeProvider: _time),
            (chip, own) => new Adc(chip, _time, shouldDispose: own));

        Assert.True(owned.IsDisposed);
        Assert.False(borrowed.IsDisposed);
        borrowed.Dispose();
    }

    [Fact]
    public void Simulator_records_reads_with_the_bytes_the_chip_sent()
    {
        var chip = new Ads1115Simulator(timeProvider: _time);
        Span<byte> buffer = stackalloc byte[2];

        chip.WriteRead([0x01], buffer);

        Assert.Equal(I2cDirection.Read, chip.Transfers[1].Direction);
        Assert.Equal([0x85, 0x83], buffer.ToArray()); // power-on config
    }
}
