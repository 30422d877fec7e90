using Iot.Contracts.Messages;
using Iot.Edge.Drivers.I2c;
using Iot.Edge.Drivers.Sht4x;
using Iot.Edge.Drivers.Tests.I2c;
using Microsoft.Extensions.Time.Testing;
using Sensor = Iot.Edge.Drivers.Sht4x.Sht4x;

namespace Iot.Edge.Drivers.Tests.Sht4x;

public class Sht4xTests
{
    // One step of the 16-bit words (datasheet section 4, "Conversion of Signal Output").
    const double TemperatureStep = 175.0 / 65535.0;
    const double HumidityStep = 125.0 / 65535.0;

    readonly FakeTimeProvider _time = new();

    [Fact]
    public void Crc8_matches_the_datasheet_example_CRC_of_0xBEEF_is_0x92()
    {
        // SHT4x datasheet, section 4 "Checksum Calculation": CRC (0xBEEF) = 0x92.
        Assert.Equal(0x92, Sensor.Crc8([0xBE, 0xEF]));
    }

    [Theory]
    [InlineData(0x0000, -45.0)]
    [InlineData(0xFFFF, 130.0)]
    [InlineData(0x6666, 25.0)] // 26214 / 65535 = 0.4 exactly: -45 + 175 * 0.4 = 25
    public void Temperature_follows_T_equals_minus_45_plus_175_S_over_65535(int raw, double celsius)
    {
        Assert.Equal(celsius, Sensor.ConvertTemperature((ushort)raw), 9);
    }

    [Theory]
    [InlineData(0x0000, -6.0)]
    [InlineData(0xFFFF, 119.0)]
    [InlineData(0x3333, 19.0)] // 13107 / 65535 = 0.2 exactly: -6 + 125 * 0.2 = 19
    public void Humidity_follows_RH_equals_minus_6_plus_125_S_over_65535_uncropped(int raw, double percent)
    {
        Assert.Equal(percent, Sensor.ConvertRelativeHumidity((ushort)raw), 9);
    }

    [Fact]
    public void Constructor_reads_the_serial_number_with_command_0x89_and_checks_both_crcs()
    {
        var chip = new Sht4xSimulator(timeProvider: _time) { SerialNumber = 0x1234_ABCD };

        using var sensor = new Sensor(chip, _time);

        Assert.Equal(0x1234_ABCDu, sensor.SerialNumber);
        var transfers = chip.Transfers;
        Assert.Equal(2, transfers.Count);
        Assert.Equal([0x89], transfers[0].Data.ToArray());
        Assert.Equal(I2cDirection.Read, transfers[1].Direction);
        Assert.Equal([0x12, 0x34, Sensor.Crc8([0x12, 0x34]), 0xAB, 0xCD, Sensor.Crc8([0xAB, 0xCD])], transfers[1].Data.ToArray());
    }

    [Fact]
    public void Constructor_throws_IOException_when_the_serial_number_fails_its_crc()
    {
        var chip = new Sht4xSimulator(timeProvider: _time) { Faults = Sht4xSimulatorFaults.CorruptSerialNumberCrc };

        var error = Assert.Throws<IOException>(() => new Sensor(chip, _time));

        Assert.Contains("serial number word 1 failed its CRC", error.Message, StringComparison.Ordinal);
        Assert.Contains("not an SHT4x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_throws_IOException_naming_the_address_when_nothing_answers()
    {
        var chip = new Sht4xSimulator(Sensor.BD1BI2cAddress, _time) { Nack = true };

        var error = Assert.Throws<IOException>(() => new Sensor(chip, _time));

        Assert.Contains("0x45", error.Message, StringComparison.Ordinal);
        Assert.Contains("0x89", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Sht4xPrecision.High, 0xFD, 8.3)]
    [InlineData(Sht4xPrecision.Medium, 0xF6, 4.5)]
    [InlineData(Sht4xPrecision.Low, 0xE0, 1.7)]
    public async Task A_measurement_writes_one_command_byte_waits_the_maximum_duration_and_reads_six_bytes(Sht4xPrecision precision, int command, double maxMilliseconds)
    {
        var chip = new Sht4xSimulator(timeProvider: _time);
        using var sensor = new Sensor(chip, _time) { Precision = precision };
        chip.ClearTransfers();

        var (result, elapsed) = await _time.DriveTimed(() => sensor.ReadAsync());

        Assert.True(result.Ok, result.Error);
        var transfers = chip.Transfers;
        Assert.Equal(2, transfers.Count);
        Assert.Equal([(byte)command], transfers[0].Data.ToArray());
        Assert.Equal(I2cDirection.Read, transfers[1].Direction);
        Assert.Equal(6, transfers[1].Data.Length);
        // The read comes no sooner than the datasheet's maximum duration, and without needless extra polling.
        Assert.True(transfers[1].Time - transfers[0].Time >= TimeSpan.FromMilliseconds(maxMilliseconds));
        Assert.True(elapsed < TimeSpan.FromMilliseconds(maxMilliseconds + 1), $"took {elapsed.TotalMilliseconds} ms");
    }

    [Theory]
    [InlineData(23.45, 41.2)]
    [InlineData(-12.3, 5.0)]
    [InlineData(48.0, 97.5)]
    public async Task Simulator_round_trips_physical_values_within_one_step_of_the_16_bit_words(double celsius, double percent)
    {
        var chip = new Sht4xSimulator(timeProvider: _time) { Temperature = _ => celsius, RelativeHumidity = _ => percent };
        using var sensor = new Sensor(chip, _time);

        var result = await _time.Drive(() => sensor.ReadAsync());

        Assert.True(result.Ok, result.Error);
        var measurement = result.Value.Value;
        Assert.Equal(Unit.DegreeCelsius, measurement.Temperature.Unit);
        Assert.Equal(Unit.Percent, measurement.RelativeHumidity.Unit);
        Assert.InRange(measurement.Temperature.Value, celsius - (TemperatureStep / 2), celsius + (TemperatureStep / 2));
        Assert.InRange(measurement.RelativeHumidity.Value, percent - (HumidityStep / 2), percent + (HumidityStep / 2));
        Assert.False(measurement.RelativeHumidityClamped);
    }

    [Fact]
    public async Task Simulator_samples_its_signal_at_the_time_of_the_measure_command()
    {
        DateTimeOffset start = _time.GetUtcNow();
        var chip = new Sht4xSimulator(timeProvider: _time)
        {
            Temperature = t => 10.0 + (t - start).TotalMinutes,
        };
        using var sensor = new Sensor(chip, _time);

        var first = await _time.Drive(() => sensor.ReadAsync());
        _time.Advance(TimeSpan.FromMinutes(5));
        var second = await _time.Drive(() => sensor.ReadAsync());

        Assert.Equal(10.0, first.Value!.Value.Temperature.Value, 2);
        Assert.Equal(15.0, second.Value!.Value.Temperature.Value, 2);
    }

    [Theory]
    [InlineData(105.0, 100.0)] // condensation: the chip's word goes up to 119 %RH
    [InlineData(-3.0, 0.0)]
    public async Task Humidity_outside_0_to_100_is_cropped_and_flagged(double simulated, double reported)
    {
        var chip = new Sht4xSimulator(timeProvider: _time) { RelativeHumidity = _ => simulated };
        using var sensor = new Sensor(chip, _time);

        var result = await _time.Drive(() => sensor.ReadAsync());

        Assert.True(result.Ok, result.Error);
        Assert.Equal(reported, result.Value.Value.RelativeHumidity.Value);
        Assert.True(result.Value.Value.RelativeHumidityClamped);
    }

    [Theory]
    [InlineData(Sht4xSimulatorFaults.CorruptTemperatureCrc, "crc mismatch on temperature word")]
    [InlineData(Sht4xSimulatorFaults.CorruptHumidityCrc, "crc mismatch on humidity word")]
    public async Task A_crc_mismatch_fails_with_the_word_named_and_the_next_good_read_recovers(Sht4xSimulatorFaults fault, string reason)
    {
        var chip = new Sht4xSimulator(timeProvider: _time) { Temperature = _ => 19.5 };
        using var sensor = new Sensor(chip, _time);

        var (bad, good) = await _time.DriveFaultThenRecovery(() => chip.Faults = fault, () => chip.Faults = Sht4xSimulatorFaults.None, () => sensor.ReadAsync());

        Assert.False(bad.Ok);
        Assert.Null(bad.Value);
        Assert.StartsWith(reason, bad.Error, StringComparison.Ordinal);
        Assert.True(good.Ok, good.Error);
        Assert.Equal(19.5, good.Value.Value.Temperature.Value, 2);
    }

    [Fact]
    public async Task A_measurement_that_never_finishes_fails_at_the_deadline_and_the_next_read_recovers()
    {
        var chip = new Sht4xSimulator(timeProvider: _time) { Faults = Sht4xSimulatorFaults.NeverReady };
        using var sensor = new Sensor(chip, _time);

        var (bad, elapsed) = await _time.DriveTimed(() => sensor.ReadAsync());
        chip.Faults = Sht4xSimulatorFaults.None;
        var good = await _time.Drive(() => sensor.ReadAsync());

        Assert.False(bad.Ok);
        Assert.StartsWith("no data within 13.3 ms of the measure command", bad.Error, StringComparison.Ordinal);
        // 8.3 ms maximum duration + 5 ms margin, then give up: never a wait without end.
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(13.3), TimeSpan.FromMilliseconds(15));
        Assert.True(good.Ok, good.Error);
    }

    [Fact]
    public async Task No_acknowledge_fails_the_read_without_an_exception_and_the_next_read_recovers()
    {
        var chip = new Sht4xSimulator(timeProvider: _time);
        using var sensor = new Sensor(chip, _time);

        var (bad, good) = await _time.DriveNackThenRecovery(chip, () => sensor.ReadAsync());

        Assert.False(bad.Ok);
        Assert.StartsWith("no acknowledge for measure command 0xFD", bad.Error, StringComparison.Ordinal);
        Assert.True(good.Ok, good.Error);
    }

    [Fact]
    public async Task A_simulated_signal_that_is_not_a_number_looks_like_a_failed_read()
    {
        var chip = new Sht4xSimulator(timeProvider: _time);
        using var sensor = new Sensor(chip, _time);
        chip.Temperature = _ => double.NaN;

        var result = await _time.Drive(() => sensor.ReadAsync());

        Assert.False(result.Ok);
    }

    [Fact]
    public async Task Soft_reset_sends_0x94()
    {
        var chip = new Sht4xSimulator(timeProvider: _time);
        using var sensor = new Sensor(chip, _time);
        chip.ClearTransfers();

        bool reset = await _time.Drive(() => sensor.TrySoftResetAsync());
        var after = await _time.Drive(() => sensor.ReadAsync());

        Assert.True(reset);
        Assert.Equal([0x94], chip.Writes[0]);
        Assert.True(after.Ok, after.Error);
    }

    [Fact]
    public async Task Soft_reset_reports_false_when_not_acknowledged()
    {
        var chip = new Sht4xSimulator(timeProvider: _time);
        using var sensor = new Sensor(chip, _time);
        chip.Nack = true;

        Assert.False(await _time.Drive(() => sensor.TrySoftResetAsync()));
    }

    [Fact]
    public void Dispose_disposes_the_bus_device_only_when_asked_to()
    {
        var (owned, borrowed) = BusOwnership.DisposeOwnedAndBorrowed(
            () => new Sht4xSimulator(timeProvider: _time),
            (chip, own) => new Sensor(chip, _time, shouldDispose: own));

        Assert.True(owned.IsDisposed);
        Assert.False(borrowed.IsDisposed);
        borrowed.Dispose();
    }

    [Fact]
    public async Task Reading_after_dispose_throws_ObjectDisposedException()
    {
        var sensor = new Sensor(new Sht4xSimulator(timeProvider: _time), _time);
        sensor.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => sensor.ReadAsync());
    }
}
