namespace Iot.Edge.Drivers.Tests.Hx711;

using System.Device.Gpio;
using Iot.Edge.Drivers.Gpio;
using Iot.Edge.Drivers.Hx711;

/// <summary>
/// A read must fit in one conversion period ("Serial Interface": 25..27 pulses within one conversion period). A thread
/// preempted while PD_SCK is low between two pulses does not stretch any pulse, but the next conversion can complete in
/// the middle of the shift-out; the simulator then shifts out the new conversion from its MSB, and the bits mix two
/// conversions. These tests stall the fake clock at chosen moments of a read, as a preemption on a loaded gateway does.
/// </summary>
public class Hx711ReadWindowTests
{
    const int Sck = Hx711Rig.ClockPin;

    // 4.2 kg on the default 2 mV/V, 10 kg cell at 5 V, gain 128: code 0x1B866E.
    const double Mass = 4.2;

    [Fact]
    public void A_conversion_completing_between_two_pulses_is_refused_not_mixed_into_the_reading()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => Mass;
        rig.Settle();
        int expected = rig.Simulator.CountsForMass(Mass);
        Assert.Equal(0x1B_866E, expected);

        // Preempted for one conversion period with PD_SCK low after the 11th pulse. The next conversion completes; the
        // simulator shifts it out from its MSB, so pulses 12..24 carry its bits 23..11 and the 25th its bit 10, which is
        // 1: DOUT reads high after the 25th pulse as if nothing happened.
        StallAfterFallingEdge(rig, pulse: 11, rig.Adc.ConversionPeriod);

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.False(reading.Ok, $"a read mixing two conversions returned 0x{(reading.Ok ? Hx711.ToCode(reading.Value.Value.Counts) : 0):X6} as valid (right value 0x{expected:X6})");
        Assert.StartsWith("read not finished within one conversion period: the last PD_SCK pulse ended 1", reading.Error, StringComparison.Ordinal);
        Assert.Contains("(limit 75 ms)", reading.Error, StringComparison.Ordinal);
        Assert.Equal(0, rig.Simulator.ResetCount);

        // The chip was left in the middle of a shift-out: the next read resets it first and then reads a fresh,
        // settled conversion.
        reading = rig.Read();
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(expected, reading.Value.Value.Counts);
        Assert.Equal(1, rig.Simulator.ResetCount);
    }

    [Fact]
    public void A_conversion_already_waiting_at_the_first_poll_is_refused_too_when_the_next_completes_mid_read()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => Mass;
        rig.Settle();
        rig.AdvanceToDataReady(); // DOUT is low at the driver's first poll: no high-to-low edge seen in this read
        StallAfterFallingEdge(rig, pulse: 11, rig.Adc.ConversionPeriod);

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.False(reading.Ok, $"returned {(reading.Ok ? reading.Value.Value.Counts : 0)} as valid");
        Assert.StartsWith("read not finished within one conversion period", reading.Error, StringComparison.Ordinal);

        reading = rig.Read();
        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(rig.Simulator.CountsForMass(Mass), reading.Value.Value.Counts);
    }

    [Fact]
    public void After_a_read_stopped_mid_shift_the_chip_is_reset_before_DOUT_is_trusted_again()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => Mass;
        rig.Settle();
        rig.AdvanceToDataReady();

        // 55 µs high on the 10th pulse: past the 50 µs limit, so the driver stops, but short of the 60 µs power-down, so
        // the chip does not reset: it is left after 10 of its 24 bits, DOUT showing the 11th bit, not "data ready".
        int doutReads = 0;
        rig.Simulator.OperationRecorded += (_, operation) =>
        {
            if (operation.Kind == SimulatedPinOperationKind.Read && operation.Pin == Hx711Rig.DataPin && ++doutReads == 11)
            {
                rig.Time.Advance(TimeSpan.FromMicroseconds(55));
            }
        };

        DriverResult<Hx711Reading> reading = rig.Read();
        Assert.False(reading.Ok);
        Assert.StartsWith("PD_SCK stayed high at least 55 µs on pulse 10", reading.Error, StringComparison.Ordinal);
        Assert.False(rig.Simulator.IsPoweredDown);
        Assert.Equal(0, rig.Simulator.ResetCount);

        doutReads = int.MinValue;
        reading = rig.Read();

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(rig.Simulator.CountsForMass(Mass), reading.Value.Value.Counts);
        Assert.Equal(1, rig.Simulator.ResetCount);
    }

    [Fact]
    public void A_conversion_that_waited_an_unknown_time_is_not_clocked_the_chip_is_reset_instead()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => Mass;
        rig.Settle();

        // Nobody read for a second: DOUT is low, and the next conversion may complete at any moment of the read.
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        DateTimeOffset start = rig.Time.GetUtcNow();

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(rig.Simulator.CountsForMass(Mass), reading.Value.Value.Counts);
        Assert.Equal(1, rig.Simulator.ResetCount);
        Assert.Equal(["R6=Low", "W5=High", "W5=Low", "R6=High"], rig.Simulator.Operations.Take(4).Describe());

        // Reset, then the first conversion a settling time (400 ms) later.
        Assert.InRange(rig.Time.GetUtcNow() - start, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(402));
    }

    [Fact]
    public void Back_to_back_reads_see_data_ready_fall_and_need_no_reset()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => Mass;
        rig.Settle();

        for (int i = 0; i < 20; i++)
        {
            DriverResult<Hx711Reading> reading = rig.Read();
            Assert.True(reading.Ok, reading.Error);
            Assert.Equal(rig.Simulator.CountsForMass(Mass), reading.Value.Value.Counts);
        }

        Assert.Equal(0, rig.Simulator.ResetCount);
        Assert.Equal(0, rig.Simulator.CommunicationErrors);
    }

    [Fact]
    public void A_caller_that_always_arrives_after_data_ready_gets_right_values_and_a_reset_now_and_then()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => Mass;
        rig.Settle();

        // DOUT is already low at every first poll: each read's bound comes from the previous one and loses the quarter
        // period the driver allows for a fast oscillator, so every few reads the bound runs out and the chip is reset.
        for (int i = 0; i < 20; i++)
        {
            rig.AdvanceToDataReady();
            DriverResult<Hx711Reading> reading = rig.Read();
            Assert.True(reading.Ok, reading.Error);
            Assert.Equal(rig.Simulator.CountsForMass(Mass), reading.Value.Value.Counts);
        }

        Assert.InRange(rig.Simulator.ResetCount, 1, 10);
        Assert.Equal(0, rig.Simulator.CommunicationErrors);
    }

    [Fact]
    public void Preempted_between_two_polls_for_longer_than_the_window_the_driver_resets_instead_of_clocking()
    {
        using var rig = new Hx711Rig();
        rig.Simulator.Mass = _ => Mass;
        rig.Settle();

        // 30 ms before the next conversion the driver sees DOUT high, then is preempted for 80 ms (past the 75 ms
        // window) before its next poll, which finds DOUT low: the conversion is 50 ms old, but the driver cannot prove
        // it is not older.
        int highs = 0;
        rig.Simulator.OperationRecorded += (_, operation) =>
        {
            if (operation.Kind == SimulatedPinOperationKind.Read && operation.Value == PinValue.High && ++highs == 71)
            {
                rig.DriverTime.PreemptAfterNextTimestamp(TimeSpan.FromMilliseconds(80));
            }
        };

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.True(reading.Ok, reading.Error);
        Assert.Equal(rig.Simulator.CountsForMass(Mass), reading.Value.Value.Counts);
        Assert.Equal(1, rig.Simulator.ResetCount);
        Assert.Equal(["R6=High", "R6=Low", "W5=High", "W5=Low"], rig.Simulator.Operations.Skip(70).Take(4).Describe());
    }

    [Fact]
    public void A_data_line_stuck_low_right_after_a_reset_fails_instead_of_looping()
    {
        using var rig = new Hx711Rig();
        rig.Settle();
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        rig.Simulator.DataStuckLow = true;

        DriverResult<Hx711Reading> reading = rig.Read();

        Assert.False(reading.Ok);
        Assert.Equal("DOUT low at the first poll right after a reset, before the chip can have converted anything (data line stuck low or shorted?)", reading.Error);
        Assert.Equal(1, rig.Simulator.ResetCount);
    }

    /// <summary>
    /// "Preempts" the driver for <paramref name="stall"/> with PD_SCK low after a pulse: right after it has taken the
    /// timestamp that closes the pulse's high time, before the next rising edge. No pulse is stretched.
    /// </summary>
    static void StallAfterFallingEdge(Hx711Rig rig, int pulse, TimeSpan stall)
    {
        int falls = 0;
        rig.Simulator.OperationRecorded += (_, operation) =>
        {
            if (operation.Kind == SimulatedPinOperationKind.Write && operation.Pin == Sck && operation.Value == PinValue.Low && ++falls == pulse)
            {
                rig.DriverTime.PreemptAfterNextTimestamp(stall);
            }
        };
    }
}
