namespace Iot.Edge.Drivers.Tests.Mfrc522;

using Iot.Edge.Drivers.Mfrc522;
using Microsoft.Extensions.Time.Testing;

public class Mfrc522Tests
{
    static (Mfrc522Simulator Simulator, Mfrc522 Reader) Create(byte version = Mfrc522.Version2)
    {
        var simulator = new Mfrc522Simulator(version);
        var reader = new Mfrc522(simulator);
        simulator.ClearLog();
        return (simulator, reader);
    }

    static byte[] Frame(params byte[] bytes) => bytes;

    static byte[] WithCrc(params byte[] bytes)
    {
        var frame = new byte[bytes.Length + 2];
        bytes.CopyTo(frame, 0);
        CrcA.Write(bytes, frame.AsSpan(bytes.Length));
        return frame;
    }

    static byte Bcc(params byte[] bytes) => (byte)(bytes[0] ^ bytes[1] ^ bytes[2] ^ bytes[3]);

    [Fact]
    public void Spi_address_byte_puts_the_register_in_bits_6_to_1_and_read_in_bit_7()
    {
        // Datasheet 8.1.2.3: VersionReg 0x37 read is 1_110111_0 = 0xEE; CommandReg 0x01 write is 0_000001_0 = 0x02.
        Assert.Equal(0xEE, Mfrc522.AddressByte(Register.Version, read: true));
        Assert.Equal(0x02, Mfrc522.AddressByte(Register.Command, read: false));
        Assert.Equal(0x88, Mfrc522.AddressByte(Register.ComIrq, read: true));
        Assert.Equal(0x12, Mfrc522.AddressByte(Register.FifoData, read: false));
        Assert.Equal(0x92, Mfrc522.AddressByte(Register.FifoData, read: true));
    }

    [Fact]
    public void Construction_reads_the_version_then_resets_and_configures_with_these_exact_bytes()
    {
        var simulator = new Mfrc522Simulator();
        using var reader = new Mfrc522(simulator);

        byte[][] expected =
        [
            [0xEE, 0x00], // read VersionReg
            [0x02, 0x0F], // CommandReg = SoftReset
            [0x82, 0x00], // read CommandReg: PowerDown still set
            [0x82, 0x00], // ... still set
            [0x82, 0x00], // ... clear: the chip is ready
            [0x54, 0x80], // TModeReg: TAuto, TPrescaler_Hi 0
            [0x56, 0xA9], // TPrescalerReg 169: 40 kHz
            [0x58, 0x03], // TReloadReg high
            [0x5A, 0xE8], // TReloadReg low: 1000 ticks, 25 ms
            [0x2A, 0x40], // TxASKReg: Force100ASK
            [0xA2, 0x00], // read ModeReg (0x3F after reset)
            [0x22, 0x3D], // ModeReg: CRC preset 0x6363
            [0xA8, 0x00], // read TxControlReg (0x80 after reset)
            [0x28, 0x83], // TxControlReg: antenna on
        ];
        Assert.Equal(expected, simulator.Transfers);
        Assert.True(simulator.AntennaOn);
        Assert.Equal(Mfrc522.Version2, reader.ChipVersion);
        Assert.True(reader.IsGenuine);
        Assert.Null(reader.VersionWarning);
    }

    [Fact]
    public void Reqa_is_a_7_bit_short_frame_sent_with_these_exact_bytes()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard("DEADBEEF");

        reader.TryReadCard(out _);

        byte[][] reqa =
        [
            [0x02, 0x00], // CommandReg = Idle
            [0x08, 0x7F], // ComIrqReg: Set1 = 0, clear all request bits
            [0x14, 0x80], // FIFOLevelReg: FlushBuffer
            [0x12, 0x26], // FIFODataReg <- REQA
            [0x1A, 0x07], // BitFramingReg: TxLastBits = 7
            [0x02, 0x0C], // CommandReg = Transceive
            [0x1A, 0x87], // BitFramingReg: StartSend
            [0x88, 0x00], // read ComIrqReg
            [0x8C, 0x00], // read ErrorReg
            [0x94, 0x00], // read FIFOLevelReg
            [0x92, 0x92, 0x00], // read 2 bytes of FIFO: ATQA
            [0x98, 0x00], // read ControlReg: RxLastBits
        ];
        Assert.Equal(reqa, simulator.Transfers.Take(reqa.Length));
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0xFF)]
    public void Empty_bus_is_an_io_exception_naming_the_value(byte version)
    {
        var exception = Assert.Throws<IOException>(() => new Mfrc522(new Mfrc522Simulator(version)));

        Assert.Contains($"read 0x{version:X2}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("expected 0x91 or 0x92", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_version_is_an_io_exception_naming_expected_and_actual()
    {
        var exception = Assert.Throws<IOException>(() => new Mfrc522(new Mfrc522Simulator(0x42)));

        Assert.Contains("0x42", exception.Message, StringComparison.Ordinal);
        Assert.Contains("0x91", exception.Message, StringComparison.Ordinal);
        Assert.Contains("0x92", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x88, "FM17522")]
    [InlineData(0xB2, "FM17522")]
    [InlineData(0x89, "FM17522E")]
    [InlineData(0x12, "counterfeit")]
    public void Known_clones_are_accepted_with_a_warning(byte version, string warning)
    {
        var (simulator, reader) = Create(version);
        simulator.PlaceCard("DEADBEEF");

        Assert.False(reader.IsGenuine);
        Assert.Contains(warning, reader.VersionWarning, StringComparison.Ordinal);
        Assert.True(reader.TryReadCard(out var result));
        Assert.Equal("DEADBEEF", result.Value?.Hex);
    }

    [Fact]
    public void Version_1_is_genuine()
    {
        var (_, reader) = Create(Mfrc522.Version1);
        Assert.True(reader.IsGenuine);
        Assert.Equal(0x91, reader.ChipVersion);
    }

    [Fact]
    public void Soft_reset_that_never_completes_throws_after_the_deadline()
    {
        var time = new FakeTimeProvider();
        var simulator = new Mfrc522Simulator { ResetNeverCompletes = true };
        simulator.AfterTransfer = () => time.Advance(TimeSpan.FromMilliseconds(1));
        DateTimeOffset start = time.GetUtcNow();

        var exception = Assert.Throws<IOException>(() => new Mfrc522(simulator, timeProvider: time));

        Assert.Contains("soft reset did not complete", exception.Message, StringComparison.Ordinal);
        Assert.InRange(time.GetUtcNow() - start, Mfrc522.ResetDeadline, Mfrc522.ResetDeadline + TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public void Four_byte_uid_is_read_with_reqa_anticollision_select_and_hlta()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard("DEADBEEF");

        Assert.True(reader.TryReadCard(out var result));

        Assert.True(result.Ok, result.Error);
        Assert.Equal("DEADBEEF", result.Value.Value.Hex);
        byte bcc = Bcc(0xDE, 0xAD, 0xBE, 0xEF);
        Assert.Equal(0x22, bcc);
        byte[][] frames =
        [
            Frame(0x26), // REQA
            Frame(0x93, 0x20), // ANTICOLLISION cascade level 1
            WithCrc(0x93, 0x70, 0xDE, 0xAD, 0xBE, 0xEF, bcc), // SELECT cascade level 1
            Frame(0x50, 0x00, 0x57, 0xCD), // HLTA
        ];
        Assert.Equal(frames, simulator.FramesSent);
    }

    [Fact]
    public void Seven_byte_uid_goes_through_two_cascade_levels_with_a_cascade_tag()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard(new VirtualCard("04112233445566", sak: 0x00));

        Assert.True(reader.TryReadCard(out var result));

        Assert.True(result.Ok, result.Error);
        Assert.Equal("04112233445566", result.Value.Value.Hex);
        Assert.Equal(7, result.Value.Value.Length);
        byte[][] frames =
        [
            Frame(0x26),
            Frame(0x93, 0x20),
            WithCrc(0x93, 0x70, 0x88, 0x04, 0x11, 0x22, Bcc(0x88, 0x04, 0x11, 0x22)), // CT + 3 UID bytes
            Frame(0x95, 0x20),
            WithCrc(0x95, 0x70, 0x33, 0x44, 0x55, 0x66, Bcc(0x33, 0x44, 0x55, 0x66)),
            Frame(0x50, 0x00, 0x57, 0xCD),
        ];
        Assert.Equal(frames, simulator.FramesSent);
    }

    [Fact]
    public void Ten_byte_uid_goes_through_three_cascade_levels()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard(new VirtualCard("04112233445566778899", sak: 0x20));

        Assert.True(reader.TryReadCard(out var result));

        Assert.True(result.Ok, result.Error);
        Assert.Equal("04112233445566778899", result.Value.Value.Hex);
        byte[][] frames =
        [
            Frame(0x26),
            Frame(0x93, 0x20),
            WithCrc(0x93, 0x70, 0x88, 0x04, 0x11, 0x22, Bcc(0x88, 0x04, 0x11, 0x22)),
            Frame(0x95, 0x20),
            WithCrc(0x95, 0x70, 0x88, 0x33, 0x44, 0x55, Bcc(0x88, 0x33, 0x44, 0x55)),
            Frame(0x97, 0x20),
            WithCrc(0x97, 0x70, 0x66, 0x77, 0x88, 0x99, Bcc(0x66, 0x77, 0x88, 0x99)),
            Frame(0x50, 0x00, 0x57, 0xCD),
        ];
        Assert.Equal(frames, simulator.FramesSent);
    }

    [Fact]
    public void No_card_returns_false_and_no_value()
    {
        var (_, reader) = Create();

        Assert.False(reader.TryReadCard(out var result));

        Assert.False(result.Ok);
        Assert.Null(result.Value);
        Assert.Equal("no card in the field", result.Error);
    }

    [Fact]
    public void A_halted_card_is_not_read_again_until_it_re_enters_the_field()
    {
        var (simulator, reader) = Create();
        VirtualCard card = simulator.PlaceCard("DEADBEEF");

        Assert.True(reader.TryReadCard(out _));
        Assert.True(card.IsHalted);
        Assert.False(reader.TryReadCard(out _));

        simulator.RemoveCard(card);
        simulator.PlaceCard(card);
        Assert.True(reader.TryReadCard(out var again));
        Assert.Equal("DEADBEEF", again.Value?.Hex);
    }

    [Fact]
    public void Wupa_wakes_a_halted_card()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard("DEADBEEF");
        Assert.True(reader.TryReadCard(out _));
        simulator.ClearLog();

        Assert.True(reader.TryReadCard(out var result, CardRequest.All));

        Assert.Equal("DEADBEEF", result.Value?.Hex);
        Assert.Equal(new byte[] { 0x52 }, simulator.FramesSent[0]);
    }

    [Fact]
    public void Two_cards_with_different_uids_are_a_failure_not_a_wrong_uid()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard("DEADBEEF");
        VirtualCard other = simulator.PlaceCard("DEADBE0F");

        Assert.True(reader.TryReadCard(out var result));

        Assert.False(result.Ok);
        Assert.Equal("several cards in the field", result.Error);

        simulator.RemoveCard(other);
        Assert.True(reader.TryReadCard(out var single));
        Assert.Equal("DEADBEEF", single.Value?.Hex);
    }

    [Fact]
    public void Two_seven_byte_cards_that_differ_only_at_cascade_level_2_are_a_failure()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard("04112233445566");
        simulator.PlaceCard("04112233AABBCC");

        Assert.True(reader.TryReadCard(out var result));

        Assert.Equal("several cards in the field", result.Error);
        Assert.Contains(simulator.FramesSent, frame => frame.Length == 2 && frame[0] == 0x95);
    }

    [Fact]
    public void Cards_with_different_atqa_collide_at_reqa()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard("DEADBEEF");
        simulator.PlaceCard("04112233445566");

        Assert.True(reader.TryReadCard(out var result));

        Assert.Equal("several cards in the field", result.Error);
        Assert.DoesNotContain(simulator.FramesSent, frame => frame.Length == 2 && frame[0] == 0x93);
    }

    [Fact]
    public void Bad_bcc_is_a_failure_and_the_next_good_read_recovers()
    {
        var (simulator, reader) = Create();
        VirtualCard card = simulator.PlaceCard("DEADBEEF");
        card.CorruptBcc = true;

        Assert.True(reader.TryReadCard(out var bad));

        Assert.False(bad.Ok);
        Assert.Equal("bcc mismatch at cascade level 1: UID bytes give 0x22, card sent 0xDD", bad.Error);
        Assert.DoesNotContain(simulator.FramesSent, frame => frame.Length > 1 && frame[1] == 0x70);

        card.CorruptBcc = false;
        Assert.True(reader.TryReadCard(out var good));
        Assert.Equal("DEADBEEF", good.Value?.Hex);
    }

    [Fact]
    public void Bad_bcc_at_cascade_level_2_names_the_level()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard(new VirtualCard("04112233445566") { CorruptBcc = true });

        reader.TryReadCard(out var result);

        Assert.StartsWith("bcc mismatch at cascade level 1", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_sak_crc_is_a_failure_and_the_next_good_read_recovers()
    {
        var (simulator, reader) = Create();
        VirtualCard card = simulator.PlaceCard("04112233445566");
        card.CorruptSakCrc = true;

        Assert.True(reader.TryReadCard(out var bad));
        Assert.Equal("crc mismatch on SAK (cascade level 1)", bad.Error);

        card.CorruptSakCrc = false;
        Assert.True(reader.TryReadCard(out var good));
        Assert.Equal("04112233445566", good.Value?.Hex);
    }

    [Fact]
    public void Parity_error_is_a_failure_with_a_reason()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard("DEADBEEF");
        simulator.InjectParityErrorOnNextReceive();

        Assert.True(reader.TryReadCard(out var bad));
        Assert.Equal("parity error on REQA", bad.Error);

        Assert.True(reader.TryReadCard(out var good));
        Assert.Equal("DEADBEEF", good.Value?.Hex);
    }

    [Fact]
    public void Bus_error_is_a_failure_and_the_next_read_recovers()
    {
        var (simulator, reader) = Create();
        simulator.PlaceCard("DEADBEEF");
        simulator.ThrowOnNextTransfer();

        Assert.True(reader.TryReadCard(out var bad));
        Assert.Equal("spi bus error: simulated SPI transfer failure", bad.Error);

        Assert.True(reader.TryReadCard(out var good));
        Assert.Equal("DEADBEEF", good.Value?.Hex);
    }

    [Fact]
    public void Hung_chip_gives_a_failure_after_the_deadline_not_a_hang()
    {
        var time = new FakeTimeProvider();
        var simulator = new Mfrc522Simulator();
        using var reader = new Mfrc522(simulator, timeProvider: time);
        simulator.PlaceCard("DEADBEEF");
        simulator.CommandsNeverComplete = true;
        simulator.AfterTransfer = () => time.Advance(TimeSpan.FromMilliseconds(1));
        DateTimeOffset start = time.GetUtcNow();

        Assert.True(reader.TryReadCard(out var result));

        Assert.False(result.Ok);
        Assert.Equal("reader did not finish the exchange within 50 ms on REQA", result.Error);
        TimeSpan elapsed = time.GetUtcNow() - start;
        Assert.InRange(elapsed, Mfrc522.TransceiveDeadline, 3 * Mfrc522.TransceiveDeadline);
    }

    [Fact]
    public void Hung_chip_on_the_system_clock_returns_within_a_fraction_of_a_second()
    {
        var simulator = new Mfrc522Simulator();
        using var reader = new Mfrc522(simulator);
        simulator.CommandsNeverComplete = true;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.True(reader.TryReadCard(out var result));

        Assert.StartsWith("reader did not finish the exchange", result.Error, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Without_the_crc_preset_the_card_would_ignore_select_so_the_driver_sets_it()
    {
        var (simulator, _) = Create();

        Assert.Equal(0b01, simulator.PeekRegister(0x11) & 0b11);
    }

    [Fact]
    public void Reading_after_dispose_throws()
    {
        var (_, reader) = Create();
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.TryReadCard(out _));
    }

    [Fact]
    public void Dispose_disposes_the_bus_only_when_asked()
    {
        var kept = new Mfrc522Simulator();
        new Mfrc522(kept, shouldDispose: false).Dispose();
        Assert.False(kept.IsDisposed);

        var owned = new Mfrc522Simulator();
        new Mfrc522(owned).Dispose();
        Assert.True(owned.IsDisposed);
    }

    [Fact]
    public void A_failed_identity_check_disposes_an_owned_bus()
    {
        var owned = new Mfrc522Simulator(0xFF);
        Assert.Throws<IOException>(() => new Mfrc522(owned));
        Assert.True(owned.IsDisposed);
    }
}
