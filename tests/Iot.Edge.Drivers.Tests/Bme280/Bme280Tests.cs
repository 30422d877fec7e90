using Iot.Contracts.Messages;
using Iot.Edge.Drivers.Bme280;
using Iot.Edge.Drivers.I2c;
using Iot.Edge.Drivers.Tests.I2c;
using Microsoft.Extensions.Time.Testing;
using Sensor = Iot.Edge.Drivers.Bme280.Bme280;

namespace Iot.Edge.Drivers.Tests.Bme280;

public class Bme280Tests
{
    /// <summary>
    /// The worked example of the BMP280 datasheet (BST-BMP280-DS001, section 3.12 "Calculating pressure and
    /// temperature"), whose temperature and pressure formulas and registers the BME280 shares (BME280 datasheet 5.2).
    /// </summary>
    static readonly Bme280Calibration DatasheetExample = new()
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
    };

    readonly FakeTimeProvider _time = new();

    [Fact]
    public void Temperature_matches_the_datasheet_example_adc_T_519888_gives_t_fine_128422_and_25_08_degrees()
    {
        var (centiCelsius, tFine) = Bme280Compensation.Temperature(519888, DatasheetExample);

        Assert.Equal(128422, tFine);
        Assert.Equal(2508, centiCelsius);
    }

    [Fact]
    public void Pressure_matches_the_datasheet_example_adc_P_415148_gives_100653_pascal()
    {
        // The datasheet's table gives 100653.27 Pa (double precision); the 64-bit integer formula gives Q24.8.
        uint q24_8 = Bme280Compensation.Pressure(415148, 128422, DatasheetExample);

        Assert.Equal(100653, (int)(q24_8 / 256));
        Assert.InRange(q24_8 / 256.0, 100653.27 - 0.5, 100653.27 + 0.5);
    }

    [Fact]
    public void Pressure_formula_returns_zero_rather_than_divide_by_zero_when_dig_P1_is_zero()
    {
        Assert.Equal(0u, Bme280Compensation.Pressure(415148, 128422, DatasheetExample with { DigP1 = 0 }));
    }

    [Fact]
    public void Data_registers_of_the_datasheet_example_convert_to_25_08_degrees_and_100_653_kilopascal()
    {
        // adc_P = 415148 = 0x655AC and adc_T = 519888 = 0x7EED0, packed msb, lsb, xlsb[7:4] (sections 5.4.7, 5.4.8).
        byte[] data = [0x65, 0x5A, 0xC0, 0x7E, 0xED, 0x00, 0x80, 0x01];

        var result = Sensor.ConvertDataRegisters(data, Bme280Simulator.TypicalCalibration);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(new Quantity(25.08, Unit.DegreeCelsius), result.Value.Value.Temperature);
        Assert.Equal(Unit.Kilopascal, result.Value.Value.Pressure.Unit);
        Assert.Equal(100.653, result.Value.Value.Pressure.Value, 3);
        Assert.Equal(Unit.Percent, result.Value.Value.RelativeHumidity.Unit);
    }

    [Theory]
    [InlineData(0x0000, 0.0)]
    [InlineData(0xFFFF, 100.0)]
    public void Humidity_formula_bounds_its_result_to_0_and_100_percent(int adcH, double percent)
    {
        uint q22_10 = Bme280Compensation.Humidity(adcH, 128422, Bme280Simulator.TypicalCalibration);

        Assert.Equal(percent, q22_10 / 1024.0);
    }

    [Fact]
    public void Calibration_unpacks_dig_H4_and_dig_H5_from_the_shared_nibbles_of_0xE5()
    {
        byte[] block88 = new byte[26];
        block88[0] = 0x70; // dig_T1 = 0x6B70 = 27504, little-endian
        block88[1] = 0x6B;
        block88[25] = 75; // dig_H1 at 0xA1

        // 0xE1..0xE7: dig_H2 = 0x016A, dig_H3 = 0, 0xE4 = 0x13, 0xE5 = 0x2A, 0xE6 = 0x03, dig_H6 = 0x1E.
        byte[] blockE1 = [0x6A, 0x01, 0x00, 0x13, 0x2A, 0x03, 0x1E];

        var calibration = Bme280Calibration.Parse(block88, blockE1);

        Assert.Equal(27504, calibration.DigT1);
        Assert.Equal(75, calibration.DigH1);
        Assert.Equal(362, calibration.DigH2);
        Assert.Equal((0x13 << 4) | 0xA, calibration.DigH4); // 0xE4 bits 11:4, 0xE5[3:0] bits 3:0 = 314
        Assert.Equal((0x03 << 4) | 0x2, calibration.DigH5); // 0xE6 bits 11:4, 0xE5[7:4] bits 3:0 = 50
        Assert.Equal(30, calibration.DigH6);
    }

    [Fact]
    public void Calibration_keeps_the_sign_of_negative_12_bit_dig_H4_and_dig_H5()
    {
        var original = Bme280Simulator.TypicalCalibration with { DigH4 = -300, DigH5 = -7, DigH6 = -5 };
        byte[] block88 = new byte[26];
        byte[] blockE1 = new byte[7];

        original.Encode(block88, blockE1);

        Assert.Equal(original, Bme280Calibration.Parse(block88, blockE1));
    }

    [Fact]
    public void Constructor_reads_chip_id_then_calibration_then_puts_the_chip_to_sleep_with_the_filter_off()
    {
        var chip = new Bme280Simulator(timeProvider: _time);

        using var sensor = new Sensor(chip, _time);

        Assert.Equal(Bme280Simulator.TypicalCalibration, sensor.Calibration);
        Assert.Equal(
            [[0xD0], [0xF3], [0x88], [0xE1], [0xF4, 0x00, 0xF5, 0x00]],
            chip.Writes);
    }

    [Theory]
    [InlineData(0x58, "BMP280")]
    [InlineData(0x61, "BME680")]
    [InlineData(0x42, "not a Bosch BMx280")]
    public void Constructor_throws_IOException_naming_expected_and_actual_chip_id(int chipId, string named)
    {
        var chip = new Bme280Simulator(timeProvider: _time) { ChipId = (byte)chipId };

        var error = Assert.Throws<IOException>(() => new Sensor(chip, _time));

        Assert.Contains("chip id 0x60", error.Message, StringComparison.Ordinal);
        Assert.Contains($"read chip id 0x{chipId:X2}", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_throws_IOException_naming_the_address_when_nothing_answers()
    {
        var chip = new Bme280Simulator(Sensor.SdoHighI2cAddress, _time) { Nack = true };

        var error = Assert.Throws<IOException>(() => new Sensor(chip, _time));

        Assert.Contains("0x77", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_refuses_blank_trimming_parameters()
    {
        var chip = new Bme280Simulator(timeProvider: _time, calibration: Bme280Simulator.TypicalCalibration with { DigP1 = 0 });

        var error = Assert.Throws<IOException>(() => new Sensor(chip, _time));

        Assert.Contains("blank trimming parameters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_measurement_writes_ctrl_hum_before_ctrl_meas_polls_status_then_burst_reads_0xF7_to_0xFE()
    {
        var chip = new Bme280Simulator(timeProvider: _time);
        using var sensor = new Sensor(chip, _time);
        chip.ClearTransfers();

        var (result, elapsed) = await _time.DriveTimed(() => sensor.ReadAsync());

        Assert.True(result.Ok, result.Error);
        var writes = chip.Writes;

        // One write of register/value pairs: ctrl_hum = osrs_h ×1 (001), then ctrl_meas = osrs_t ×1 (001),
        // osrs_p ×1 (001), forced mode (01) = 0b001_001_01 = 0x25 (sections 5.4.3, 5.4.5, 6.2.1).
        Assert.Equal([0xF2, 0x01, 0xF4, 0x25], writes[0]);
        Assert.All(writes.Skip(1).SkipLast(1), w => Assert.Equal([0xF3], w));
        Assert.Equal([0xF7], writes[^1]);
        var reads = chip.Transfers.Where(t => t.Direction == I2cDirection.Read).ToList();
        Assert.All(reads.SkipLast(1), r => Assert.Equal(2, r.Data.Length)); // status and ctrl_meas together
        Assert.Equal(8, reads[^1].Data.Length);

        // ×1 everywhere: typical 1 + 2 + 2.5 + 2.5 = 8 ms, maximum 1.25 + 2.3 + 2.875 + 2.875 = 9.3 ms (section 9.1).
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(9.3), TimeSpan.FromMilliseconds(10.4));
    }

    [Fact]
    public async Task Oversampling_settings_reach_ctrl_hum_and_ctrl_meas_and_lengthen_the_wait()
    {
        var chip = new Bme280Simulator(timeProvider: _time);
        using var sensor = new Sensor(chip, _time)
        {
            TemperatureOversampling = Bme280Oversampling.X2,
            PressureOversampling = Bme280Oversampling.X16,
            HumidityOversampling = Bme280Oversampling.X4,
        };
        chip.ClearTransfers();

        var (result, elapsed) = await _time.DriveTimed(() => sensor.ReadAsync());

        Assert.True(result.Ok, result.Error);
        Assert.Equal([0xF2, 0b011, 0xF4, 0b010_101_01], chip.Writes[0]);

        // Maximum 1.25 + 2.3·2 + (2.3·16 + 0.575) + (2.3·4 + 0.575) = 53.0 ms.
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(53.0), TimeSpan.FromMilliseconds(54.1));
    }

    [Fact]
    public void Oversampling_refuses_values_that_are_not_settings()
    {
        using var sensor = new Sensor(new Bme280Simulator(timeProvider: _time), _time);

        Assert.Throws<ArgumentOutOfRangeException>(() => sensor.HumidityOversampling = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => sensor.PressureOversampling = (Bme280Oversampling)6);
    }

    [Theory]
    [InlineData(23.4, 98.7, 55.5)]
    [InlineData(-12.0, 101.325, 12.0)]
    [InlineData(41.7, 86.0, 96.0)]
    [InlineData(0.0, 70.0, 0.0)]
    public async Task Simulator_round_trips_physical_values_within_the_resolution(double celsius, double kilopascal, double percent)
    {
        var chip = new Bme280Simulator(timeProvider: _time)
        {
            Temperature = _ => celsius,
            Pressure = _ => kilopascal,
            RelativeHumidity = _ => percent,
        };
        using var sensor = new Sensor(chip, _time);

        var result = await _time.Drive(() => sensor.ReadAsync());

        Assert.True(result.Ok, result.Error);
        var m = result.Value.Value;

        // Temperature is reported in 0.01 °C; pressure at ×1 resolves 16 bit, about 2.6 Pa (section 3.4.2);
        // humidity is Q22.10 (1/1024 %RH) from a 16-bit word.
        Assert.InRange(m.Temperature.Value, celsius - 0.011, celsius + 0.011);
        Assert.InRange(m.Pressure.Value, kilopascal - 0.002, kilopascal + 0.002);
        Assert.InRange(m.RelativeHumidity.Value, percent - 0.02, percent + 0.02);
    }

    [Fact]
    public async Task Simulator_resolves_pressure_finer_with_more_oversampling()
    {
        var chip = new Bme280Simulator(timeProvider: _time) { Pressure = _ => 99.1234 };
        using var sensor = new Sensor(chip, _time) { PressureOversampling = Bme280Oversampling.X16 };

        var result = await _time.Drive(() => sensor.ReadAsync());

        Assert.Equal(99.1234, result.Value!.Value.Pressure.Value, 3); // 20 bit: about 0.16 Pa
    }

    [Fact]
    public async Task A_measurement_that_never_finishes_fails_at_the_deadline_and_the_next_read_recovers()
    {
        var chip = new Bme280Simulator(timeProvider: _time) { Faults = Bme280SimulatorFaults.NeverReady };
        using var sensor = new Sensor(chip, _time);

        var (bad, elapsed) = await _time.DriveTimed(() => sensor.ReadAsync());
        chip.Faults = Bme280SimulatorFaults.None;
        _time.Advance(TimeSpan.FromMilliseconds(1)); // the stuck measurement completes
        var good = await _time.Drive(() => sensor.ReadAsync());

        Assert.False(bad.Ok);
        Assert.StartsWith("measurement not finished within 14.3 ms (status 0x08, ctrl_meas 0x25)", bad.Error, StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(14.3), TimeSpan.FromMilliseconds(15.4));
        Assert.True(good.Ok, good.Error);
    }

    [Theory]
    [InlineData(Bme280SimulatorFaults.SkippedTemperature, "temperature measurement skipped (raw 0x80000)")]
    [InlineData(Bme280SimulatorFaults.SkippedPressure, "pressure measurement skipped (raw 0x80000)")]
    [InlineData(Bme280SimulatorFaults.SkippedHumidity, "humidity measurement skipped (raw 0x8000)")]
    public async Task A_skipped_measurement_is_a_failure_and_the_next_good_read_recovers(Bme280SimulatorFaults fault, string reason)
    {
        var chip = new Bme280Simulator(timeProvider: _time);
        using var sensor = new Sensor(chip, _time);

        var (bad, good) = await _time.DriveFaultThenRecovery(() => chip.Faults = fault, () => chip.Faults = Bme280SimulatorFaults.None, () => sensor.ReadAsync());

        Assert.False(bad.Ok);
        Assert.Equal(reason, bad.Error);
        Assert.True(good.Ok, good.Error);
    }

    [Fact]
    public async Task No_acknowledge_fails_the_read_without_an_exception_and_the_next_read_recovers()
    {
        var chip = new Bme280Simulator(timeProvider: _time);
        using var sensor = new Sensor(chip, _time);

        var (bad, good) = await _time.DriveNackThenRecovery(chip, () => sensor.ReadAsync());

        Assert.False(bad.Ok);
        Assert.StartsWith("no acknowledge writing ctrl_hum/ctrl_meas", bad.Error, StringComparison.Ordinal);
        Assert.True(good.Ok, good.Error);
    }

    [Fact]
    public async Task A_temperature_outside_the_operating_range_is_a_failure()
    {
        var chip = new Bme280Simulator(timeProvider: _time) { Temperature = _ => 92.0 };
        using var sensor = new Sensor(chip, _time);

        var result = await _time.Drive(() => sensor.ReadAsync());

        Assert.False(result.Ok);
        Assert.StartsWith("temperature 9", result.Error, StringComparison.Ordinal);
        Assert.Contains("°C outside the operating range -40..85 °C", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pressure_outside_the_operating_range_is_a_failure()
    {
        var chip = new Bme280Simulator(timeProvider: _time) { Pressure = _ => 20.0 };
        using var sensor = new Sensor(chip, _time);

        var result = await _time.Drive(() => sensor.ReadAsync());

        Assert.False(result.Ok);
        Assert.StartsWith("pressure 19.99", result.Error, StringComparison.Ordinal);
        Assert.Contains("kPa outside the operating range 30..110 kPa", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulator_applies_ctrl_hum_only_after_a_ctrl_meas_write_as_the_datasheet_says()
    {
        // Section 5.4.3: writing ctrl_hum after ctrl_meas leaves the measurement without humidity. This is why the
        // driver writes ctrl_hum first; the simulator must punish the other order.
        var chip = new Bme280Simulator(timeProvider: _time);
        chip.Write([0xF4, 0x25]);
        chip.Write([0xF2, 0x01]);
        _time.Advance(TimeSpan.FromMilliseconds(20));

        Assert.Equal(0x80, chip.RegisterValue(0xFD));
        Assert.Equal(0x00, chip.RegisterValue(0xFE));
        Assert.Equal(0x00, chip.RegisterValue(0xF4) & 0b11); // back to sleep
    }

    [Fact]
    public void Simulator_soft_reset_restores_power_on_values()
    {
        var chip = new Bme280Simulator(timeProvider: _time);
        chip.Write([0xF2, 0x05, 0xF5, 0x10]);

        chip.Write([0xE0, 0xB6]);

        Assert.Equal(0x00, chip.RegisterValue(0xF2));
        Assert.Equal(0x00, chip.RegisterValue(0xF5));
        Assert.Equal(0x60, chip.RegisterValue(0xD0));
    }

    [Fact]
    public async Task Simulator_samples_its_signal_at_the_time_of_the_measurement()
    {
        DateTimeOffset start = _time.GetUtcNow();
        var chip = new Bme280Simulator(timeProvider: _time) { Temperature = t => 15.0 + (t - start).TotalHours };
        using var sensor = new Sensor(chip, _time);

        _time.Advance(TimeSpan.FromHours(2));
        var result = await _time.Drive(() => sensor.ReadAsync());

        Assert.Equal(17.0, result.Value!.Value.Temperature.Value, 2);
    }

    [Fact]
    public void Dispose_disposes_the_bus_device_only_when_asked_to()
    {
        var (owned, borrowed) = BusOwnership.DisposeOwnedAndBorrowed(
            () => new Bme280Simulator(timeProvider: _time),
            (chip, own) => new Sensor(chip, _time, shouldDispose: own));

        Assert.True(owned.IsDisposed);
        Assert.False(borrowed.IsDisposed);
        borrowed.Dispose();
    }
}
