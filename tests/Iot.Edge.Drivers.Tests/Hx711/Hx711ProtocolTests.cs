namespace Iot.Edge.Drivers.Tests.Hx711;

using System.Device.Gpio;
using Iot.Edge.Drivers.Gpio;
using Iot.Edge.Drivers.Hx711;
using Hx711Driver = Iot.Edge.Drivers.Hx711.Hx711;

public class Hx711ProtocolTests
{
    const int Sck = Hx711Rig.ClockPin;
    const int Dout = Hx711Rig.DataPin;

    [Fact]
    public void Constructor_drives_PD_SCK_low_and_reads_nothing()
    {
        using var rig = new Hx711Rig();
        Assert.Equal(["W5=Low"], rig.Simulator.Operations.Describe());
        Assert.Equal(PinMode.Output, rig.Controller.GetPinMode(Sck));
        Assert.Equal(PinMode.Input, rig.Controller.GetPinMode(Dout));
    }

    [Fact]
    public void First_read_selects_the_input_and_discards_conversions_until_settled()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => 2.5;

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(rig.Simulator.CountsForMass(2.5), reading.Value.Value.Counts);
        Assert.Equal(Hx711Input.ChannelAGain128, reading.Value.Value.Input);

        // The first conversion comes a settling time (400 ms) after power-up and only carries the selection; those
        // at 500, 600 and 700 ms are within 400 ms of it and are discarded; the one at 800 ms is returned.
        Assert.Equal(5, rig.Simulator.ConversionsRead);
        Assert.Equal(TimeSpan.FromMilliseconds(800), rig.Time.GetUtcNow() - new DateTimeOffset(2025, 5, 1, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, rig.Simulator.CommunicationErrors);
    }

    [Fact]
    public void A_read_clocks_24_bits_MSB_first_and_one_pulse_for_channel_A_gain_128()
    {
        using var rig = new Hx711Rig();
        rig.Settle();
        const uint code = 0xA5_0F3Cu; // 1010 0101 0000 1111 0011 1100
        rig.Simulator.CodeOverride = code;
        rig.AdvanceToDataReady();

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(0xA5_0F3C - 0x100_0000, reading.Value.Value.Counts);
        var expected = new List<string> { "R6=Low" }; // data ready
        for (int bit = 23; bit >= 0; bit--)
        {
            expected.Add("W5=High");
            expected.Add(((code >> bit) & 1) == 1 ? "R6=High" : "R6=Low");
            expected.Add("W5=Low");
        }

        expected.AddRange(["W5=High", "R6=High", "W5=Low"]); // 25th pulse: DOUT back high, next input A/128
        Assert.Equal(expected, rig.Simulator.Operations.Describe());
        Assert.Equal(25, rig.Simulator.PulseCount);
        Assert.Equal(0, rig.Simulator.CommunicationErrors);
    }

    [Fact]
    public void Channel_B_gain_32_uses_26_pulses_and_returns_the_settled_channel_B_value()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => 4.0;
        rig.Simulator.ChannelBMillivolts = _ => 10.0;
        rig.Settle();

        rig.Adc.Input = Hx711Input.ChannelBGain32;
        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(Hx711Input.ChannelBGain32, reading.Value.Value.Input);

        // 10 mV / (0.5 · 5 V / 32 / 2^23) = 1 073 741.8: exactly the settled value, none of the blend between the
        // channel A value and it that the conversions inside the settling time give.
        Assert.Equal(1_073_742, reading.Value.Value.Counts);
        Assert.Equal(Hx711Input.ChannelBGain32, rig.Simulator.Selection);
        Assert.Equal(26, rig.Simulator.PulseCount);
        Assert.Equal(0, rig.Simulator.CommunicationErrors);

        // Steady state on channel B: one conversion, 26 pulses, 52 writes.
        rig.Simulator.ClearOperations();
        rig.AdvanceToDataReady();
        reading = rig.Read();
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(52, rig.Simulator.Writes.Count);
        Assert.Equal(1_073_742, reading.Value.Value.Counts);
    }

    [Fact]
    public void Channel_A_gain_64_uses_27_pulses_and_half_the_counts_of_gain_128()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => 3.0;
        Hx711Reading at128 = rig.Settle();

        rig.Adc.Input = Hx711Input.ChannelAGain64;
        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(27, rig.Simulator.PulseCount);
        Assert.Equal(Hx711Input.ChannelAGain64, rig.Simulator.Selection);
        Assert.Equal(at128.Counts / 2.0, reading.Value.Value.Counts, 1.0);
    }

    [Fact]
    public void Never_ready_chip_fails_at_the_deadline_without_clocking_and_the_next_read_recovers()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => 1.0;
        rig.Settle();
        rig.Simulator.NeverReady = true;
        rig.Adc.DataReadyTimeout = TimeSpan.FromMilliseconds(250);
        DateTimeOffset start = rig.Time.GetUtcNow();

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.False(reading.Ok);
        Assert.Equal("data not ready within 250 ms (DOUT stayed high: chip unpowered, unwired or powered down?)", reading.Error);
        TimeSpan waited = rig.Time.GetUtcNow() - start;
        Assert.InRange(waited, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(252));
        Assert.Empty(rig.Simulator.Writes);

        rig.Simulator.NeverReady = false;
        reading = rig.Read();
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(rig.Simulator.CountsForMass(1.0), reading.Value.Value.Counts);
    }

    [Fact]
    public void Default_deadline_is_two_conversion_periods()
    {
        using var rig = new Hx711Rig(Hx711DataRate.EightySamplesPerSecond);
        Assert.Equal(TimeSpan.FromMilliseconds(25), rig.Adc.DataReadyTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), rig.Adc.SettlingTime);
        rig.Settle();
        rig.Simulator.NeverReady = true;

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.False(reading.Ok);
        Assert.StartsWith("data not ready within 25 ms", reading.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chip_that_never_becomes_ready_from_the_start_fails_after_settling_time_plus_deadline()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.NeverReady = true;

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.False(reading.Ok);
        Assert.Equal("while selecting ChannelAGain128: data not ready within 600 ms (DOUT stayed high: chip unpowered, unwired or powered down?)", reading.Error);
    }

    [Theory]
    [InlineData(0x7F_FFFFu, "input out of range: saturated code 0x7FFFFF (positive full scale of ChannelAGain128)")]
    [InlineData(0x80_0000u, "input out of range: saturated code 0x800000 (negative full scale of ChannelAGain128)")]
    public void Saturated_codes_are_failures_and_the_next_good_read_recovers(uint code, string error)
    {
        using var rig = new Hx711Rig();
        rig.Settle();
        rig.Simulator.CodeOverride = code;

        DriverResult<Hx711Reading> reading = rig.Read();
        Assert.False(reading.Ok);
        Assert.Equal(error, reading.Error);

        rig.Simulator.CodeOverride = null;
        rig.Simulator.Mass = _ => 0.5;
        reading = rig.Read();
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(rig.Simulator.CountsForMass(0.5), reading.Value.Value.Counts);
    }

    [Theory]
    [InlineData(0x00_0001u, 1)]
    [InlineData(0xFF_FFFFu, -1)]
    [InlineData(0x7F_FFFEu, 8_388_606)]
    [InlineData(0x80_0001u, -8_388_607)]
    public void Codes_next_to_the_boundaries_decode_through_the_pins(uint code, int counts)
    {
        using var rig = new Hx711Rig();
        rig.Settle();
        rig.Simulator.CodeOverride = code;

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(counts, reading.Value.Value.Counts);
    }

    [Fact]
    public void Data_line_stuck_low_is_a_failure_and_the_next_good_read_recovers()
    {
        using var rig = new Hx711Rig();
        rig.Settle();
        rig.Simulator.DataStuckLow = true;

        DriverResult<Hx711Reading> reading = rig.Read();
        Assert.False(reading.Ok);
        Assert.Contains("DOUT still low after the 25th PD_SCK pulse", reading.Error, StringComparison.Ordinal);

        rig.Simulator.DataStuckLow = false;
        rig.Simulator.Mass = _ => 6.0;
        reading = rig.Read();
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(rig.Simulator.CountsForMass(6.0), reading.Value.Value.Counts);
    }

    [Fact]
    public void A_clock_pulse_held_high_past_the_limit_fails_the_read_and_the_chip_resets()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => 2.0;
        rig.Settle();
        rig.AdvanceToDataReady();

        // The thread is "preempted" for 70 µs while PD_SCK is high during the 10th bit.
        int doutReads = 0;
        rig.Simulator.OperationRecorded += (_, operation) =>
        {
            if (operation.Kind == SimulatedPinOperationKind.Read && operation.Pin == Dout && ++doutReads == 11)
            {
                rig.Time.Advance(TimeSpan.FromMicroseconds(70));
            }
        };

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.False(reading.Ok);
        Assert.StartsWith("PD_SCK stayed high at least 70 µs on pulse 10", reading.Error, StringComparison.Ordinal);
        Assert.Equal(1, rig.Simulator.ResetCount);

        // The driver stopped clocking at once: 10 pulses.
        Assert.Equal(20, rig.Simulator.Writes.Count);

        doutReads = int.MinValue; // no more stalls
        reading = rig.Read();
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(rig.Simulator.CountsForMass(2.0), reading.Value.Value.Counts);
    }

    [Fact]
    public void Power_down_holds_PD_SCK_high_and_power_up_resets_to_channel_A_gain_128()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => 1.5;
        rig.Adc.Input = Hx711Input.ChannelAGain64;
        rig.Settle();
        Assert.Equal(Hx711Input.ChannelAGain64, rig.Simulator.Selection);

        rig.Adc.PowerDown();
        rig.Time.Advance(TimeSpan.FromMicroseconds(61));

        Assert.True(rig.Adc.IsPoweredDown);
        Assert.True(rig.Simulator.IsPoweredDown);
        Assert.Equal(["W5=High"], rig.Simulator.Operations.Describe());
        DriverResult<Hx711Reading> reading = rig.Read();
        Assert.False(reading.Ok);
        Assert.Equal("chip is powered down; call PowerUpAsync first", reading.Error);

        rig.Run(rig.Adc.PowerUpAsync());

        Assert.False(rig.Simulator.IsPoweredDown);
        Assert.Equal(1, rig.Simulator.ResetCount);
        Assert.Equal(Hx711Input.ChannelAGain128, rig.Simulator.Selection);
        Assert.Equal(["W5=High", "W5=Low"], rig.Simulator.Operations.Describe());

        rig.Adc.Input = Hx711Input.ChannelAGain128;
        DateTimeOffset up = rig.Time.GetUtcNow();
        reading = rig.Read();
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(rig.Simulator.CountsForMass(1.5), reading.Value.Value.Counts);

        // After power-up the chip needs its settling time (400 ms at 10 SPS) before the first conversion.
        Assert.True(rig.Time.GetUtcNow() - up >= TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public void Dispose_without_shouldDispose_closes_the_two_lines_only()
    {
        var simulator = new Hx711Simulator(Sck, Dout);
        using var controller = new GpioController(simulator);
        var adc = new Hx711Driver(controller, Sck, Dout, shouldDispose: false);

        adc.Dispose();

        Assert.False(simulator.IsOpen(Sck));
        Assert.False(simulator.IsOpen(Dout));
    }

    [Fact]
    public void The_simulated_scale_round_trips_a_mass_within_one_count()
    {
        using var rig = new Hx711Rig();
        LoadCellCalibration nominal = LoadCellCalibration.FromRating(2.0, 10.0);
        rig.Simulator.Mass = _ => 7.345;

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(7.345, nominal.ToKilograms(reading.Value.Value.Counts), 1.0 / nominal.CountsPerKilogram);
    }
}
