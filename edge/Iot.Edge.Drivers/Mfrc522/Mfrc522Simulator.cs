using System.Device.Spi;

namespace Iot.Edge.Drivers.Mfrc522;

/// <summary>
/// A register-level MFRC522 on a simulated SPI bus, with an RF field in which <see cref="VirtualCard"/>s are placed
/// and removed. Used by the gateway's simulated hardware mode and by the tests.
/// </summary>
/// <remarks>
/// <para>
/// It decodes the SPI address bytes (8.1.2), keeps the registers, the 64-byte FIFO, ComIrqReg/DivIrqReg with their
/// Set1/Set2 write semantics, ErrorReg and CollReg, and runs SoftReset, Idle, CalcCRC (with the ModeReg preset) and
/// Transceive (started by BitFramingReg StartSend, honouring TxLastBits, TxCRCEn and RxCRCEn). Exchanges complete at
/// once; "no answer" raises TimerIRq only when the timer is configured (TModeReg TAuto and a non-zero TReloadReg).
/// Answers from several cards are merged bit by bit; differing bits give CollErr and CollPos, as on air.
/// </para>
/// <para>Every SPI transaction is recorded (<see cref="Transfers"/>) and so is every frame sent to the field (<see cref="FramesSent"/>).</para>
/// </remarks>
public sealed class Mfrc522Simulator : SpiDevice
{
    const int FifoSize = 64;

    readonly object _gate = new();
    readonly byte[] _registers = new byte[64];
    readonly Queue<byte> _fifo = new();
    readonly List<VirtualCard> _cards = [];
    readonly List<byte[]> _transfers = [];
    readonly List<byte[]> _framesSent = [];
    PcdCommand _command = PcdCommand.Idle;
    List<byte> _crcInput = [];
    int _powerDownReadsLeft;
    ErrorBits _injectedErrors;
    bool _throwOnNextTransfer;

    /// <summary>A powered, reset chip with no card in the field.</summary>
    /// <param name="version">VersionReg: 0x92 (version 2.0) by default; set a wrong value to test the identity check.</param>
    public Mfrc522Simulator(byte version = Mfrc522.Version2)
    {
        Version = version;
        ResetRegisters();
        _powerDownReadsLeft = 0;
    }

    /// <inheritdoc/>
    public override SpiConnectionSettings ConnectionSettings { get; } = new(0, 0) { Mode = SpiMode.Mode0, ClockFrequency = 1_000_000 };

    /// <summary>What VersionReg (0x37) reads.</summary>
    public byte Version { get; set; }

    /// <summary>Reads of CommandReg that still show PowerDown after a SoftReset (the oscillator start-up).</summary>
    public int ResetBusyReads { get; set; } = 2;

    /// <summary>Fault: after SoftReset, CommandReg PowerDown never clears.</summary>
    public bool ResetNeverCompletes { get; set; }

    /// <summary>Fault: Transceive and CalcCRC never raise an interrupt request bit, as with a hung chip.</summary>
    public bool CommandsNeverComplete { get; set; }

    /// <summary>Whether the simulated bus has been disposed (the reader disposes it when it owns it).</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Called after every SPI transaction; tests use it to move a fake clock.</summary>
    public Action? AfterTransfer { get; set; }

    /// <summary>Every SPI transaction, as the bytes sent on MOSI.</summary>
    public IReadOnlyList<byte[]> Transfers
    {
        get
        {
            lock (_gate)
            {
                return _transfers.ToArray();
            }
        }
    }

    /// <summary>Every frame transmitted to the field by Transceive (after TxCRCEn, if set).</summary>
    public IReadOnlyList<byte[]> FramesSent
    {
        get
        {
            lock (_gate)
            {
                return _framesSent.ToArray();
            }
        }
    }

    /// <summary>Whether TX1 and TX2 drive the field (TxControlReg bits 1..0).</summary>
    public bool AntennaOn
    {
        get
        {
            lock (_gate)
            {
                return (_registers[(int)Register.TxControl] & (byte)TxControlBits.AntennaOn) != 0;
            }
        }
    }

    /// <summary>Cards in the field.</summary>
    public IReadOnlyList<VirtualCard> Cards
    {
        get
        {
            lock (_gate)
            {
                return _cards.ToArray();
            }
        }
    }

    /// <summary>Places a card in the field (it powers up in IDLE).</summary>
    public VirtualCard PlaceCard(VirtualCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        lock (_gate)
        {
            card.PowerOn();
            _cards.Add(card);
            return card;
        }
    }

    /// <summary>Places a card with the given UID in the field.</summary>
    public VirtualCard PlaceCard(string uidHex, byte sak = 0x08) => PlaceCard(new VirtualCard(uidHex, sak));

    /// <summary>Takes a card out of the field (it loses power and forgets HALT).</summary>
    public void RemoveCard(VirtualCard card)
    {
        lock (_gate)
        {
            _cards.Remove(card);
        }
    }

    /// <summary>Empties the field.</summary>
    public void RemoveAllCards()
    {
        lock (_gate)
        {
            _cards.Clear();
        }
    }

    /// <summary>Fault: the next reception reports a parity error in ErrorReg.</summary>
    public void InjectParityErrorOnNextReceive()
    {
        lock (_gate)
        {
            _injectedErrors |= ErrorBits.ParityErr;
        }
    }

    /// <summary>Fault: the next SPI transaction throws <see cref="IOException"/>, as a failing bus driver does.</summary>
    public void ThrowOnNextTransfer()
    {
        lock (_gate)
        {
            _throwOnNextTransfer = true;
        }
    }

    /// <summary>Forgets the recorded transfers and frames.</summary>
    public void ClearLog()
    {
        lock (_gate)
        {
            _transfers.Clear();
            _framesSent.Clear();
        }
    }

    /// <summary>What a register holds now (without side effects such as popping the FIFO).</summary>
    public byte PeekRegister(byte address)
    {
        lock (_gate)
        {
            return address == (byte)Register.Version ? Version : _registers[address & 0x3F];
        }
    }

    /// <inheritdoc/>
    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (readBuffer.Length < writeBuffer.Length)
        {
            throw new ArgumentException("the read buffer must be as long as the write buffer", nameof(readBuffer));
        }

        Transfer(writeBuffer, readBuffer);
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) => Transfer(buffer, stackalloc byte[buffer.Length]);

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc/>
    public override void Read(Span<byte> buffer)
    {
        // Clocking with MOSI low: the chip sees address byte 0x00 (write to the reserved register 0x00).
        Span<byte> zeros = stackalloc byte[buffer.Length];
        Transfer(zeros, buffer);
    }

    /// <inheritdoc/>
    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }

    void Transfer(ReadOnlySpan<byte> mosi, Span<byte> miso)
    {
        lock (_gate)
        {
            if (_throwOnNextTransfer)
            {
                _throwOnNextTransfer = false;
                throw new IOException("simulated SPI transfer failure");
            }

            SimulationLog.Append(_transfers, mosi.ToArray());
            miso.Clear();
            if (mosi.Length > 0)
            {
                if ((mosi[0] & 0b1000_0000) != 0)
                {
                    // Read (8.1.2.1): every MOSI byte but the last is an address; MISO answers one byte later.
                    for (int i = 0; i < mosi.Length - 1; i++)
                    {
                        miso[i + 1] = ReadRegister((Register)((mosi[i] >> 1) & 0x3F));
                    }
                }
                else
                {
                    // Write (8.1.2.2): one address byte, then data bytes all to that address.
                    var register = (Register)((mosi[0] >> 1) & 0x3F);
                    for (int i = 1; i < mosi.Length; i++)
                    {
                        WriteRegister(register, mosi[i]);
                    }
                }
            }
        }

        AfterTransfer?.Invoke();
    }

    byte ReadRegister(Register register)
    {
        switch (register)
        {
            case Register.Version:
                return Version;
            case Register.FifoData:
                return _fifo.Count > 0 ? _fifo.Dequeue() : (byte)0;
            case Register.FifoLevel:
                return (byte)_fifo.Count;
            case Register.Command:
                byte value = _registers[(int)Register.Command];
                if (ResetNeverCompletes && _powerDownReadsLeft > 0)
                {
                    return (byte)(value | (byte)CommandBits.PowerDown);
                }

                if (_powerDownReadsLeft > 0)
                {
                    _powerDownReadsLeft--;
                    return (byte)(value | (byte)CommandBits.PowerDown);
                }

                return value;
            default:
                return _registers[(int)register];
        }
    }

    void WriteRegister(Register register, byte value)
    {
        switch (register)
        {
            case Register.Command:
                _registers[(int)Register.Command] = (byte)(value & 0b0011_1111);
                Execute((PcdCommand)(value & (byte)CommandBits.CommandMask));
                break;
            case Register.ComIrq:
                _registers[(int)register] = SetOrClear(_registers[(int)register], value);
                break;
            case Register.DivIrq:
                _registers[(int)register] = SetOrClear(_registers[(int)register], value);
                break;
            case Register.FifoLevel:
                if ((value & (byte)FifoLevelBits.FlushBuffer) != 0)
                {
                    _fifo.Clear();
                    _registers[(int)Register.Error] &= unchecked((byte)~ErrorBits.BufferOvfl);
                }

                break;
            case Register.FifoData:
                PushFifo(value);
                if (_command == PcdCommand.CalcCrc)
                {
                    // The coprocessor keeps adding bytes written while CalcCRC is active (10.3.1.4).
                    _crcInput.Add(_fifo.Dequeue());
                    FinishCrc();
                }

                break;
            case Register.BitFraming:
                _registers[(int)register] = value;
                if ((value & (byte)BitFramingBits.StartSend) != 0 && _command == PcdCommand.Transceive)
                {
                    Transceive();
                }

                break;
            case Register.TxControl:
                bool wasOn = (_registers[(int)register] & (byte)TxControlBits.AntennaOn) != 0;
                _registers[(int)register] = value;
                if (!wasOn && (value & (byte)TxControlBits.AntennaOn) != 0)
                {
                    // The field comes up: every card in it powers up in IDLE.
                    _cards.ForEach(card => card.PowerOn());
                }

                break;
            case Register.Version:
            case Register.Error:
            case Register.Status1:
            case Register.Status2:
            case Register.CrcResultHigh:
            case Register.CrcResultLow:
                break; // read-only
            case Register.Coll:
                _registers[(int)register] = (byte)((_registers[(int)register] & ~(byte)CollBits.ValuesAfterColl) | (value & (byte)CollBits.ValuesAfterColl));
                break;
            default:
                _registers[(int)register] = value;
                break;
        }
    }

    /// <summary>ComIrqReg / DivIrqReg writes: bit 7 = 1 sets the marked bits, 0 clears them (9.3.1.5, 9.3.1.6).</summary>
    static byte SetOrClear(byte current, byte written)
    {
        byte marked = (byte)(written & 0b0111_1111);
        return (written & 0b1000_0000) != 0 ? (byte)(current | marked) : (byte)(current & ~marked);
    }

    void PushFifo(byte value)
    {
        if (_fifo.Count >= FifoSize)
        {
            _registers[(int)Register.Error] |= (byte)ErrorBits.BufferOvfl;
            return;
        }

        _fifo.Enqueue(value);
    }

    void Execute(PcdCommand command)
    {
        _command = command;
        switch (command)
        {
            case PcdCommand.SoftReset:
                ResetRegisters();
                _powerDownReadsLeft = ResetNeverCompletes ? 1 : ResetBusyReads;
                break;
            case PcdCommand.CalcCrc:
                // The FIFO content goes to the coprocessor (10.3.1.4).
                _crcInput = [.. _fifo];
                _fifo.Clear();
                FinishCrc();
                break;
            case PcdCommand.Transceive:
            case PcdCommand.Idle:
            case PcdCommand.NoCmdChange:
                break;
            default:
                // Mem, GenerateRandomID, Transmit, Receive, MFAuthent: not simulated; they end at once.
                _command = PcdCommand.Idle;
                _registers[(int)Register.Command] &= unchecked((byte)~CommandBits.CommandMask);
                break;
        }
    }

    void FinishCrc()
    {
        if (CommandsNeverComplete)
        {
            return;
        }

        ushort crc = CrcA.Compute(_crcInput.ToArray(), CurrentPreset());
        _registers[(int)Register.CrcResultHigh] = (byte)(crc >> 8);
        _registers[(int)Register.CrcResultLow] = (byte)crc;
        _registers[(int)Register.DivIrq] |= (byte)DivIrqBits.CrcIrq;
        _registers[(int)Register.Status1] |= (byte)Status1Bits.CrcReady;
    }

    void Transceive()
    {
        int txLastBits = _registers[(int)Register.BitFraming] & (byte)BitFramingBits.TxLastBitsMask;
        List<byte> frame = [.. _fifo];
        _fifo.Clear();
        if ((_registers[(int)Register.TxMode] & (byte)CrcEnableBits.CrcEnable) != 0)
        {
            ushort crc = CrcA.Compute(frame.ToArray(), CurrentPreset());
            frame.Add((byte)crc);
            frame.Add((byte)(crc >> 8));
        }

        SimulationLog.Append(_framesSent, [.. frame]);
        _registers[(int)Register.Error] = 0;
        _registers[(int)Register.Coll] = (byte)((_registers[(int)Register.Coll] & (byte)CollBits.ValuesAfterColl) | (byte)CollBits.CollPosNotValid);
        _registers[(int)Register.Control] &= unchecked((byte)~ControlBits.RxLastBitsMask);
        if (CommandsNeverComplete)
        {
            return;
        }

        _registers[(int)Register.ComIrq] |= (byte)ComIrqBits.TxIrq;

        List<byte[]> answers = [];
        if (AntennaOnUnlocked)
        {
            foreach (VirtualCard card in _cards)
            {
                if (card.Receive(frame.ToArray(), txLastBits) is { } answer)
                {
                    answers.Add(answer);
                }
            }
        }

        if (answers.Count == 0)
        {
            // TAuto starts the timer at the end of the transmission; with no answer it runs down to TimerIRq (8.5).
            bool timerConfigured = (_registers[(int)Register.TMode] & (byte)TModeBits.TAuto) != 0
                && (_registers[(int)Register.TReloadHigh] | _registers[(int)Register.TReloadLow]) != 0;
            if (timerConfigured)
            {
                _registers[(int)Register.ComIrq] |= (byte)ComIrqBits.TimerIrq;
            }

            return;
        }

        byte[] received = Merge(answers, out int collisionBit);
        ErrorBits errors = _injectedErrors;
        _injectedErrors = ErrorBits.None;
        if (collisionBit >= 0)
        {
            errors |= ErrorBits.CollErr;
            int position = collisionBit + 1; // 1 = first bit ... 32 = 32nd bit, written as 0 (9.3.1.15)
            byte coll = (byte)(_registers[(int)Register.Coll] & (byte)CollBits.ValuesAfterColl);
            coll |= position <= 32 ? (byte)(position & (byte)CollBits.CollPosMask) : (byte)CollBits.CollPosNotValid;
            _registers[(int)Register.Coll] = coll;
        }

        if ((_registers[(int)Register.RxMode] & (byte)CrcEnableBits.CrcEnable) != 0)
        {
            if (received.Length < 2 || CrcA.Compute(received.AsSpan(0, received.Length - 2), CurrentPreset()) != (ushort)(received[^2] | (received[^1] << 8)))
            {
                errors |= ErrorBits.CrcErr;
            }
            else
            {
                received = received[..^2];
            }
        }

        foreach (byte b in received)
        {
            PushFifo(b);
        }

        _registers[(int)Register.Error] |= (byte)errors;
        _registers[(int)Register.ComIrq] |= (byte)ComIrqBits.RxIrq;
        if (_registers[(int)Register.Error] != 0)
        {
            _registers[(int)Register.ComIrq] |= (byte)ComIrqBits.ErrIrq;
        }
    }

    bool AntennaOnUnlocked => (_registers[(int)Register.TxControl] & (byte)TxControlBits.AntennaOn) != 0;

    /// <summary>CRC coprocessor preset from ModeReg CRCPreset (9.3.2.2).</summary>
    ushort CurrentPreset() => (_registers[(int)Register.Mode] & (byte)ModeBits.CrcPresetMask) switch
    {
        0b00 => 0x0000,
        0b01 => 0x6363,
        0b10 => 0xA671,
        _ => 0xFFFF,
    };

    /// <summary>Overlays answers bit by bit, LSB first as on air; returns the first differing bit (0-based) or -1.</summary>
    static byte[] Merge(List<byte[]> answers, out int collisionBit)
    {
        int length = answers.Max(a => a.Length);
        var merged = new byte[length];
        collisionBit = -1;
        for (int bit = 0; bit < length * 8; bit++)
        {
            int ones = 0;
            int present = 0;
            foreach (byte[] answer in answers)
            {
                if (bit / 8 < answer.Length)
                {
                    present++;
                    ones += (answer[bit / 8] >> (bit % 8)) & 1;
                }
            }

            if (ones > 0)
            {
                merged[bit / 8] |= (byte)(1 << (bit % 8));
            }

            if (collisionBit < 0 && (present != answers.Count || (ones != 0 && ones != present)))
            {
                collisionBit = bit;
            }
        }

        return merged;
    }

    /// <summary>Reset values of the registers the simulation uses (9.3, each register's "reset value").</summary>
    void ResetRegisters()
    {
        Array.Clear(_registers);
        _fifo.Clear();
        _command = PcdCommand.Idle;
        _registers[(int)Register.Command] = (byte)CommandBits.RcvOff; // 0x20
        _registers[(int)Register.ComIEn] = 0x80;
        _registers[(int)Register.ComIrq] = (byte)(ComIrqBits.IdleIrq | ComIrqBits.LoAlertIrq); // 0x14
        _registers[(int)Register.Status1] = (byte)(Status1Bits.CrcReady | Status1Bits.LoAlert); // 0x21
        _registers[(int)Register.WaterLevel] = 0x08;
        _registers[(int)Register.Control] = 0x10;
        _registers[(int)Register.Coll] = (byte)(CollBits.ValuesAfterColl | CollBits.CollPosNotValid);
        _registers[(int)Register.Mode] = 0x3F; // CRC preset 0xFFFF until the driver sets 0x6363
        _registers[(int)Register.TxControl] = 0x80; // antenna off
        _registers[(int)Register.TxSel] = 0x10;
        _registers[(int)Register.RxSel] = 0x84;
        _registers[(int)Register.RxThreshold] = 0x84;
        _registers[(int)Register.Demod] = 0x4D;
        _registers[(int)Register.MfTx] = 0x62;
        _registers[(int)Register.SerialSpeed] = 0xEB;
        _registers[(int)Register.CrcResultHigh] = 0xFF;
        _registers[(int)Register.CrcResultLow] = 0xFF;
        _registers[(int)Register.ModWidth] = 0x26;
        _registers[(int)Register.RfCfg] = 0x48;
        _registers[(int)Register.GsN] = 0x88;
        _registers[(int)Register.CwGsP] = 0x20;
        _registers[(int)Register.ModGsP] = 0x20;
    }
}
