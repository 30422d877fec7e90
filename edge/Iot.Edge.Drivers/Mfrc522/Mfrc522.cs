using System.Device.Spi;
using System.Globalization;

namespace Iot.Edge.Drivers.Mfrc522;

/// <summary>
/// NXP MFRC522 13.56 MHz reader over SPI, reading the UIDs of ISO/IEC 14443 A cards (crate tags, batch cards).
/// Datasheet: MFRC522 "Standard performance MIFARE and NTAG frontend", Rev. 3.9, 27 April 2016.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="TryReadCard"/> runs one poll: REQA (or WUPA), the anticollision and select loop over up to three cascade
/// levels, then HLTA so the same card is not read again while it stays in the field. It returns false when no card
/// answered, which is the normal outcome of most polls and not an error.
/// </para>
/// <para>
/// Several cards in the field are reported as a failure ("several cards in the field"), never resolved bit by bit:
/// on a packing line two tags at the reader mean we cannot tell which crate is on the scale.
/// </para>
/// </remarks>
public sealed class Mfrc522 : IDisposable
{
    /// <summary>VersionReg of a genuine MFRC522 version 1.0 (9.3.4.8).</summary>
    public const byte Version1 = 0x91;

    /// <summary>VersionReg of a genuine MFRC522 version 2.0 (9.3.4.8).</summary>
    public const byte Version2 = 0x92;

    /// <summary>Deadline for the wake-up after SoftReset; the oscillator start-up time depends on the crystal (8.8.2).</summary>
    internal static readonly TimeSpan ResetDeadline = TimeSpan.FromMilliseconds(150);

    /// <summary>Deadline for a Transceive: twice the chip's own 25 ms no-answer timer set in <see cref="Initialize"/>.</summary>
    internal static readonly TimeSpan TransceiveDeadline = TimeSpan.FromMilliseconds(50);

    /// <summary>Deadline for CalcCRC (10.3.1.4); the coprocessor needs microseconds for a few bytes.</summary>
    internal static readonly TimeSpan CrcDeadline = TimeSpan.FromMilliseconds(20);

    /// <summary>Safety bound on polls of one register, should the clock stop (a frozen test clock, a stuck TimeProvider).</summary>
    const int MaxPolls = 2000;

    /// <summary>Polls before the loop starts sleeping 1 ms between reads.</summary>
    const int BusyPolls = 8;

    /// <summary>Largest answer we accept (ATQA 2, anticollision 5, SAK + CRC_A 3); the FIFO holds 64 (8.3).</summary>
    const int MaxAnswer = 16;

    readonly SpiDevice _spi;
    readonly bool _shouldDispose;
    readonly TimeProvider _time;
    bool _disposed;

    /// <summary>
    /// Checks VersionReg, soft-resets the chip and configures timer, modulation, CRC preset and antenna.
    /// </summary>
    /// <param name="spiDevice">The SPI device (mode 0, MSB first, up to 10 MHz; 1 MHz is plenty).</param>
    /// <param name="shouldDispose">Dispose <paramref name="spiDevice"/> with this reader (also when the constructor throws).</param>
    /// <param name="timeProvider">Clock for the deadlines; the system clock by default.</param>
    /// <exception cref="IOException">Nothing answers, VersionReg is unknown, or the reset did not complete.</exception>
    public Mfrc522(SpiDevice spiDevice, bool shouldDispose = true, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(spiDevice);
        _spi = spiDevice;
        _shouldDispose = shouldDispose;
        _time = timeProvider ?? TimeProvider.System;
        try
        {
            ChipVersion = ReadRegister(Register.Version);
            VersionWarning = CheckVersion(ChipVersion);
            Initialize();
        }
        catch
        {
            if (shouldDispose)
            {
                spiDevice.Dispose();
            }

            throw;
        }
    }

    /// <summary>VersionReg as read at construction.</summary>
    public byte ChipVersion { get; }

    /// <summary>Null for a genuine MFRC522 (0x91, 0x92); a warning for a known clone or counterfeit that is accepted anyway.</summary>
    public string? VersionWarning { get; }

    /// <summary>Whether VersionReg is one of NXP's values.</summary>
    public bool IsGenuine => VersionWarning is null;

    /// <summary>
    /// Looks at VersionReg: genuine versions give null, known clones a warning, anything else an <see cref="IOException"/>.
    /// </summary>
    /// <remarks>
    /// 0x91 and 0x92 are NXP's (9.3.4.8). The clone values are not in any datasheet; they are what boards sold as "RC522"
    /// report, as collected by the community (0x88 and 0xB2 Fudan FM17522 clones, 0x89 FM17522E, 0x12 a counterfeit
    /// whose SoftReset does not reset everything, 0x90 a pre-production v0.0). We accept them with a warning: they read UIDs.
    /// 0x00 and 0xFF are what an empty or miswired bus reads.
    /// </remarks>
    internal static string? CheckVersion(byte version) => version switch
    {
        Version1 or Version2 => null,
        0x88 or 0xB2 => Hex(version) + " is a Fudan FM17522 clone, not an NXP MFRC522",
        0x89 => Hex(version) + " is a Fudan FM17522E clone, not an NXP MFRC522",
        0x12 => Hex(version) + " is a counterfeit MFRC522; known to ignore parts of SoftReset",
        0x90 => Hex(version) + " is a pre-production MFRC522 v0.0",
        0x00 or 0xFF => throw new IOException(
            $"no MFRC522 answers on the SPI bus: VersionReg (0x37) read {Hex(version)}, expected {Hex(Version1)} or {Hex(Version2)}; check wiring, chip select and power"),
        _ => throw new IOException(
            $"not an MFRC522: VersionReg (0x37) read {Hex(version)}, expected {Hex(Version1)} or {Hex(Version2)} (or a known clone 0x88, 0x89, 0xB2, 0x12)"),
    };

    /// <summary>
    /// Polls the field once for a card and reads its UID.
    /// </summary>
    /// <param name="result">
    /// When true is returned: the UID, or why it could not be read (several cards, BCC or CRC mismatch, card left the
    /// field, bus error, deadline). When false is returned: a failure "no card in the field", never a value.
    /// </param>
    /// <param name="request"><see cref="CardRequest.Idle"/> (REQA) skips cards already read and halted; <see cref="CardRequest.All"/> (WUPA) does not.</param>
    /// <returns>False when no card answered the request: the normal, quiet outcome. True when a card answered.</returns>
    public bool TryReadCard(out DriverResult<CardUid> result, CardRequest request = CardRequest.Idle)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return TryReadCardCore(request, out result);
        }
        catch (IOException e)
        {
            result = DriverResult<CardUid>.Failure("spi bus error: " + e.Message);
            return true;
        }
    }

    bool TryReadCardCore(CardRequest request, out DriverResult<CardUid> result)
    {
        Span<byte> answer = stackalloc byte[MaxAnswer];

        // REQA / WUPA as a 7-bit short frame: BitFramingReg TxLastBits = 7 (9.3.1.14); the answer is the 2-byte ATQA.
        byte command = request == CardRequest.All ? PiccCommand.WupA : PiccCommand.ReqA;
        Exchange atqa = Transceive([command], 7, answer);
        if (atqa.Status == ExchangeStatus.NoAnswer)
        {
            result = DriverResult<CardUid>.Failure("no card in the field");
            return false;
        }

        result = atqa switch
        {
            { Status: ExchangeStatus.Collision } => DriverResult<CardUid>.Failure("several cards in the field"),
            { Status: ExchangeStatus.Error } => DriverResult<CardUid>.Failure(atqa.Error + " on " + (request == CardRequest.All ? "WUPA" : "REQA")),
            { Length: not 2 } or { LastBits: not 0 } => DriverResult<CardUid>.Failure(Invariant($"ATQA had {atqa.Length} bytes, expected 2")),
            _ => SelectCascade(answer),
        };

        if (result.Ok)
        {
            Halt(answer);
        }
        else
        {
            Abort(answer);
        }

        return true;
    }

    /// <summary>ANTICOLLISION and SELECT per cascade level until SAK says the UID is complete (ISO/IEC 14443-3 select sequence).</summary>
    DriverResult<CardUid> SelectCascade(Span<byte> answer)
    {
        Span<byte> uid = stackalloc byte[10];
        int uidLength = 0;
        Span<byte> frame = stackalloc byte[9];
        Span<byte> levelUid = stackalloc byte[4];
        Span<byte> sakCrc = stackalloc byte[2];
        for (int level = 1; level <= 3; level++)
        {
            byte sel = PiccCommand.SelectCodes[level - 1];

            // ANTICOLLISION: SEL, NVB = 0x20; the card answers its 4 UID bytes of this level (UID CLn) and BCC.
            Exchange anticollision = Transceive([sel, PiccCommand.NvbAnticollision], 0, answer);
            if (Failed(anticollision, "anticollision", level) is { } failure)
            {
                return DriverResult<CardUid>.Failure(failure);
            }

            if (anticollision.Length != 5 || anticollision.LastBits != 0)
            {
                return DriverResult<CardUid>.Failure(Invariant($"anticollision answer had {anticollision.Length} bytes, expected 5 (cascade level {level})"));
            }

            // BCC is the exclusive-or of the 4 UID CLn bytes.
            byte bcc = (byte)(answer[0] ^ answer[1] ^ answer[2] ^ answer[3]);
            if (bcc != answer[4])
            {
                return DriverResult<CardUid>.Failure(Invariant($"bcc mismatch at cascade level {level}: UID bytes give {Hex(bcc)}, card sent {Hex(answer[4])}"));
            }

            // SELECT: SEL, NVB = 0x70, UID CLn, BCC, CRC_A from the chip's coprocessor.
            frame[0] = sel;
            frame[1] = PiccCommand.NvbSelect;
            answer[..5].CopyTo(frame[2..]);
            if (!TryCalculateCrc(frame[..7], frame[7..]))
            {
                return DriverResult<CardUid>.Failure("crc coprocessor did not finish within " + Milliseconds(CrcDeadline));
            }

            bool cascadeTag = answer[0] == PiccCommand.CascadeTag;
            answer[..4].CopyTo(levelUid);

            Exchange select = Transceive(frame, 0, answer);
            if (Failed(select, "select", level) is { } selectFailure)
            {
                return DriverResult<CardUid>.Failure(selectFailure);
            }

            // SAK is one byte followed by its CRC_A.
            if (select.Length != 3 || select.LastBits != 0)
            {
                return DriverResult<CardUid>.Failure(Invariant($"SAK answer had {select.Length} bytes, expected 3 (cascade level {level})"));
            }

            if (!TryCalculateCrc(answer[..1], sakCrc))
            {
                return DriverResult<CardUid>.Failure("crc coprocessor did not finish within " + Milliseconds(CrcDeadline));
            }

            if (sakCrc[0] != answer[1] || sakCrc[1] != answer[2])
            {
                return DriverResult<CardUid>.Failure(Invariant($"crc mismatch on SAK (cascade level {level})"));
            }

            bool uidIncomplete = (answer[0] & PiccCommand.SakCascadeBit) != 0;
            if (cascadeTag != uidIncomplete)
            {
                return DriverResult<CardUid>.Failure(cascadeTag
                    ? Invariant($"cascade tag without the SAK cascade bit (cascade level {level})")
                    : Invariant($"SAK cascade bit without a cascade tag (cascade level {level})"));
            }

            if (!cascadeTag)
            {
                levelUid.CopyTo(uid[uidLength..]);
                uidLength += 4;
                return DriverResult<CardUid>.Success(CardUid.FromBytes(uid[..uidLength]));
            }

            if (level == 3)
            {
                return DriverResult<CardUid>.Failure("cascade tag at cascade level 3: a UID has at most 10 bytes");
            }

            // A cascade tag stands in front of 3 UID bytes; the UID continues at the next level.
            levelUid[1..].CopyTo(uid[uidLength..]);
            uidLength += 3;
        }

        return DriverResult<CardUid>.Failure("UID not complete after 3 cascade levels");
    }

    static string? Failed(Exchange exchange, string step, int level) => exchange.Status switch
    {
        ExchangeStatus.Ok => null,
        ExchangeStatus.NoAnswer => Invariant($"card left the field during {step} (cascade level {level})"),
        ExchangeStatus.Collision => "several cards in the field",
        _ => Invariant($"{exchange.Error} during {step} (cascade level {level})"),
    };

    /// <summary>HLTA: 0x50 0x00 CRC_A. A card that accepts it stays silent; its answer or silence changes nothing for the UID read.</summary>
    void Halt(Span<byte> answer)
    {
        Span<byte> frame = [PiccCommand.HltA, 0x00, 0, 0];
        if (TryCalculateCrc(frame[..2], frame[2..]))
        {
            Transceive(frame, 0, answer);
        }
    }

    /// <summary>
    /// After a failed select sequence a card may be left in READY or ACTIVE, where it would ignore the next REQA.
    /// A frame it cannot accept (HLTA without its CRC_A) sends it back to IDLE (or HALT, if it was woken from there),
    /// so the next poll starts clean. Cards in IDLE or HALT ignore the frame.
    /// </summary>
    void Abort(Span<byte> answer) => Transceive([PiccCommand.HltA, 0x00], 0, answer);

    /// <summary>
    /// Transceive (10.3.1.8): FIFO in, StartSend, wait for RxIRq or TimerIRq in ComIrqReg, check ErrorReg, FIFO out.
    /// </summary>
    Exchange Transceive(ReadOnlySpan<byte> data, int txLastBits, Span<byte> answer)
    {
        WriteRegister(Register.Command, (byte)PcdCommand.Idle);
        WriteRegister(Register.ComIrq, (byte)ComIrqBits.AllIrqs); // Set1 = 0: clear every request bit (9.3.1.5)
        WriteRegister(Register.FifoLevel, (byte)FifoLevelBits.FlushBuffer);
        WriteFifo(data);
        byte framing = (byte)(txLastBits & (int)BitFramingBits.TxLastBitsMask);
        WriteRegister(Register.BitFraming, framing);
        WriteRegister(Register.Command, (byte)PcdCommand.Transceive);
        WriteRegister(Register.BitFraming, (byte)(framing | (byte)BitFramingBits.StartSend));

        const byte Done = (byte)(ComIrqBits.RxIrq | ComIrqBits.IdleIrq | ComIrqBits.TimerIrq);
        if (!WaitFor(Register.ComIrq, Done, TransceiveDeadline, out byte irq))
        {
            WriteRegister(Register.Command, (byte)PcdCommand.Idle);
            return Exchange.Failed("reader did not finish the exchange within " + Milliseconds(TransceiveDeadline));
        }

        var errors = (ErrorBits)ReadRegister(Register.Error);
        if ((errors & ErrorBits.BufferOvfl) != 0)
        {
            return Exchange.Failed("fifo buffer overflow");
        }

        if ((errors & ErrorBits.CollErr) != 0)
        {
            return new Exchange(ExchangeStatus.Collision, 0, 0, null);
        }

        if ((errors & ErrorBits.ParityErr) != 0)
        {
            return Exchange.Failed("parity error");
        }

        if ((errors & ErrorBits.ProtocolErr) != 0)
        {
            return Exchange.Failed("protocol error");
        }

        if ((errors & ErrorBits.CrcErr) != 0)
        {
            return Exchange.Failed("crc error");
        }

        if ((irq & (byte)(ComIrqBits.RxIrq | ComIrqBits.IdleIrq)) == 0)
        {
            // Only TimerIRq: the 25 ms timer ran out after the transmission without an answer (8.5).
            return new Exchange(ExchangeStatus.NoAnswer, 0, 0, null);
        }

        int length = ReadRegister(Register.FifoLevel) & (int)FifoLevelBits.LevelMask;
        if (length == 0)
        {
            return new Exchange(ExchangeStatus.NoAnswer, 0, 0, null);
        }

        if (length > answer.Length)
        {
            return Exchange.Failed(Invariant($"answer of {length} bytes is longer than any expected"));
        }

        ReadFifo(answer[..length]);
        int lastBits = ReadRegister(Register.Control) & (int)ControlBits.RxLastBitsMask;
        return new Exchange(ExchangeStatus.Ok, length, lastBits, null);
    }

    /// <summary>CalcCRC (10.3.1.4): the CRC coprocessor over the FIFO; the result in CRCResultReg, low byte first on air.</summary>
    bool TryCalculateCrc(ReadOnlySpan<byte> data, Span<byte> crc)
    {
        WriteRegister(Register.Command, (byte)PcdCommand.Idle);
        WriteRegister(Register.DivIrq, (byte)DivIrqBits.CrcIrq); // Set2 = 0: clear CRCIRq (9.3.1.6)
        WriteRegister(Register.FifoLevel, (byte)FifoLevelBits.FlushBuffer);
        WriteFifo(data);
        WriteRegister(Register.Command, (byte)PcdCommand.CalcCrc);
        bool done = WaitFor(Register.DivIrq, (byte)DivIrqBits.CrcIrq, CrcDeadline, out _);
        WriteRegister(Register.Command, (byte)PcdCommand.Idle);
        if (!done)
        {
            return false;
        }

        crc[0] = ReadRegister(Register.CrcResultLow);
        crc[1] = ReadRegister(Register.CrcResultHigh);
        return true;
    }

    /// <summary>Soft reset and the settings every read relies on.</summary>
    void Initialize()
    {
        // SoftReset (10.3.1.10); CommandReg PowerDown reads 1 until the oscillator runs again (9.3.1.2, 8.8.2).
        WriteRegister(Register.Command, (byte)PcdCommand.SoftReset);
        if (!WaitForClear(Register.Command, (byte)CommandBits.PowerDown, ResetDeadline))
        {
            throw new IOException("MFRC522 soft reset did not complete: CommandReg PowerDown still set after " + Milliseconds(ResetDeadline));
        }

        // Timer (8.5, 9.3.3.10): TAuto starts it at the end of every transmission. f_timer = 13.56 MHz / (2 * TPrescaler + 1);
        // TPrescaler = 169 (0x0A9) gives 40 kHz, 25 us per tick; TReload = 1000 (0x03E8) gives
        // (2 * 169 + 1) * (1000 + 1) / 13.56 MHz = 25.0 ms before TimerIRq reports "no answer".
        WriteRegister(Register.TMode, (byte)TModeBits.TAuto); // TPrescaler_Hi = 0
        WriteRegister(Register.TPrescaler, 0xA9);
        WriteRegister(Register.TReloadHigh, 0x03);
        WriteRegister(Register.TReloadLow, 0xE8);

        // 100 % ASK modulation as ISO/IEC 14443 A requires (9.3.2.6).
        WriteRegister(Register.TxAsk, (byte)TxAskBits.Force100Ask);

        // CRC coprocessor preset 0x6363, the CRC_A initial value (9.3.2.2); keep the other ModeReg bits.
        byte mode = ReadRegister(Register.Mode);
        WriteRegister(Register.Mode, (byte)((mode & ~(byte)ModeBits.CrcPresetMask) | (byte)ModeBits.CrcPreset6363));

        // Antenna on: TX1 and TX2 drive the carrier (9.3.2.5); the reset switched them off.
        byte txControl = ReadRegister(Register.TxControl);
        if ((txControl & (byte)TxControlBits.AntennaOn) != (byte)TxControlBits.AntennaOn)
        {
            WriteRegister(Register.TxControl, (byte)(txControl | (byte)TxControlBits.AntennaOn));
        }
    }

    bool WaitFor(Register register, byte mask, TimeSpan deadline, out byte value)
    {
        long start = _time.GetTimestamp();
        for (int poll = 0; ; poll++)
        {
            value = ReadRegister(register);
            if ((value & mask) != 0)
            {
                return true;
            }

            if (_time.GetElapsedTime(start) > deadline || poll >= MaxPolls)
            {
                return false;
            }

            Pause(poll);
        }
    }

    bool WaitForClear(Register register, byte mask, TimeSpan deadline)
    {
        long start = _time.GetTimestamp();
        for (int poll = 0; ; poll++)
        {
            if ((ReadRegister(register) & mask) == 0)
            {
                return true;
            }

            if (_time.GetElapsedTime(start) > deadline || poll >= MaxPolls)
            {
                return false;
            }

            Pause(poll);
        }
    }

    static void Pause(int poll)
    {
        // A few quick polls catch fast commands; then sleep so a 25 ms timeout does not spin a core.
        if (poll >= BusyPolls)
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>SPI address byte (8.1.2.3): bits 6..1 the register address, bit 0 = 0, bit 7 = 1 for a read.</summary>
    internal static byte AddressByte(Register register, bool read) =>
        (byte)((((byte)register << 1) & 0b0111_1110) | (read ? 0b1000_0000 : 0));

    /// <summary>Register read (8.1.2.1): MOSI address, 0x00; MISO X, data.</summary>
    byte ReadRegister(Register register)
    {
        Span<byte> mosi = [AddressByte(register, read: true), 0x00];
        Span<byte> miso = stackalloc byte[2];
        _spi.TransferFullDuplex(mosi, miso);
        return miso[1];
    }

    /// <summary>Register write (8.1.2.2): MOSI address, data.</summary>
    void WriteRegister(Register register, byte value)
    {
        Span<byte> mosi = [AddressByte(register, read: false), value];
        _spi.Write(mosi);
    }

    /// <summary>FIFO write: one address byte, then every data byte goes to FIFODataReg (8.1.2.2).</summary>
    void WriteFifo(ReadOnlySpan<byte> data)
    {
        Span<byte> mosi = stackalloc byte[data.Length + 1];
        mosi[0] = AddressByte(Register.FifoData, read: false);
        data.CopyTo(mosi[1..]);
        _spi.Write(mosi);
    }

    /// <summary>FIFO read: the read address repeated once per byte, then 0x00 (8.1.2.1).</summary>
    void ReadFifo(Span<byte> destination)
    {
        Span<byte> mosi = stackalloc byte[destination.Length + 1];
        Span<byte> miso = stackalloc byte[destination.Length + 1];
        mosi[..destination.Length].Fill(AddressByte(Register.FifoData, read: true));
        mosi[^1] = 0x00;
        _spi.TransferFullDuplex(mosi, miso);
        miso[1..].CopyTo(destination);
    }

    static string Hex(byte value) => "0x" + value.ToString("X2", CultureInfo.InvariantCulture);

    static string Milliseconds(TimeSpan span) => Invariant($"{span.TotalMilliseconds:0} ms");

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_shouldDispose)
        {
            _spi.Dispose();
        }
    }

    enum ExchangeStatus
    {
        Ok,
        NoAnswer,
        Collision,
        Error,
    }

    readonly record struct Exchange(ExchangeStatus Status, int Length, int LastBits, string? Error)
    {
        public static Exchange Failed(string error) => new(ExchangeStatus.Error, 0, 0, error);
    }
}
