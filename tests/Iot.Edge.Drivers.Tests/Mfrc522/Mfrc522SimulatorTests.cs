namespace Iot.Edge.Drivers.Tests.Mfrc522;

using Iot.Edge.Drivers.Mfrc522;

public class Mfrc522SimulatorTests
{
    static byte Read(Mfrc522Simulator simulator, byte register)
    {
        Span<byte> miso = stackalloc byte[2];
        simulator.TransferFullDuplex([(byte)(0x80 | (register << 1)), 0x00], miso);
        return miso[1];
    }

    static void Write(Mfrc522Simulator simulator, byte register, params byte[] data) =>
        simulator.Write([(byte)(register << 1), .. data]);

    [Fact]
    public void Several_registers_can_be_read_in_one_transaction()
    {
        var simulator = new Mfrc522Simulator();
        Span<byte> miso = stackalloc byte[3];

        // MOSI: read TxControlReg, read VersionReg, 0x00; MISO: X, TxControlReg, VersionReg (8.1.2.1).
        simulator.TransferFullDuplex([0xA8, 0xEE, 0x00], miso);

        Assert.Equal(new byte[] { 0x00, 0x80, 0x92 }, miso.ToArray());
    }

    [Fact]
    public void Calc_crc_uses_the_mode_reg_preset()
    {
        var simulator = new Mfrc522Simulator();
        Write(simulator, 0x11, 0x3D); // ModeReg: preset 0x6363
        Write(simulator, 0x09, 0x12, 0x34); // FIFO
        Write(simulator, 0x01, 0x03); // CalcCRC

        Assert.Equal(0b0000_0100, Read(simulator, 0x05) & 0b0000_0100); // DivIrqReg CRCIRq
        Assert.Equal(0x26, Read(simulator, 0x22)); // CRCResultReg LSB
        Assert.Equal(0xCF, Read(simulator, 0x21)); // CRCResultReg MSB

        Write(simulator, 0x01, 0x00);
        Write(simulator, 0x11, 0x3F); // reset preset 0xFFFF gives another CRC
        Write(simulator, 0x09, 0x12, 0x34);
        Write(simulator, 0x01, 0x03);
        Assert.NotEqual(0x26, Read(simulator, 0x22));
    }

    [Fact]
    public void Com_irq_reg_write_sets_or_clears_the_marked_bits()
    {
        var simulator = new Mfrc522Simulator();
        Assert.Equal(0x14, Read(simulator, 0x04)); // reset value: IdleIRq, LoAlertIRq

        Write(simulator, 0x04, 0x7F); // Set1 = 0: clear all
        Assert.Equal(0x00, Read(simulator, 0x04));

        Write(simulator, 0x04, 0x81); // Set1 = 1: set TimerIRq
        Assert.Equal(0x01, Read(simulator, 0x04));
    }

    [Fact]
    public void Fifo_counts_flushes_and_overflows()
    {
        var simulator = new Mfrc522Simulator();
        Write(simulator, 0x09, 1, 2, 3);
        Assert.Equal(3, Read(simulator, 0x0A));
        Assert.Equal(1, Read(simulator, 0x09));
        Assert.Equal(2, Read(simulator, 0x0A));

        Write(simulator, 0x0A, 0x80); // FlushBuffer
        Assert.Equal(0, Read(simulator, 0x0A));

        Write(simulator, 0x09, new byte[65]);
        Assert.Equal(64, Read(simulator, 0x0A));
        Assert.Equal(0x10, Read(simulator, 0x06) & 0x10); // ErrorReg BufferOvfl
    }

    [Fact]
    public void Cards_answer_only_with_the_antenna_on()
    {
        var simulator = new Mfrc522Simulator();
        simulator.PlaceCard("DEADBEEF");
        using var reader = new Mfrc522(simulator, shouldDispose: false);
        Assert.True(reader.TryReadCard(out _, CardRequest.All));

        Write(simulator, 0x14, 0x80); // antenna off
        Assert.False(reader.TryReadCard(out _, CardRequest.All));
    }

    [Fact]
    public void Transceive_reports_coll_pos_of_the_first_collision()
    {
        var simulator = new Mfrc522Simulator();
        using var reader = new Mfrc522(simulator, shouldDispose: false);
        simulator.PlaceCard("DEADBEEF");
        simulator.PlaceCard("DEADBE0F");

        // Drive the exchange by hand so ErrorReg and CollReg are seen before anything else runs.
        Write(simulator, 0x01, 0x00);
        Write(simulator, 0x09, 0x26);
        Write(simulator, 0x0D, 0x07);
        Write(simulator, 0x01, 0x0C);
        Write(simulator, 0x0D, 0x87);
        Assert.Equal(0x20, Read(simulator, 0x04) & 0x20); // RxIRq: same ATQA, no collision
        Assert.Equal(0, Read(simulator, 0x06));
        Write(simulator, 0x0A, 0x80);
        Write(simulator, 0x09, 0x93, 0x20);
        Write(simulator, 0x0D, 0x00);
        Write(simulator, 0x0D, 0x80);

        Assert.Equal(0x08, Read(simulator, 0x06)); // ErrorReg CollErr
        // CollReg CollPos counts from 1: 0xEF and 0x0F (4th byte) first differ in bit 5, LSB first: the 30th bit.
        Assert.Equal(30, Read(simulator, 0x0E) & 0x1F);
        Assert.Equal(0, Read(simulator, 0x0E) & 0x20); // CollPosNotValid clear
    }

    [Fact]
    public void Wrong_crc_preset_makes_the_card_ignore_select()
    {
        var simulator = new Mfrc522Simulator();
        using var reader = new Mfrc522(simulator, shouldDispose: false);
        simulator.PlaceCard("DEADBEEF");
        Write(simulator, 0x11, 0x3F); // back to preset 0xFFFF: CalcCRC now gives a wrong CRC_A

        Assert.True(reader.TryReadCard(out var result));

        Assert.Equal("card left the field during select (cascade level 1)", result.Error);
    }
}
