namespace Iot.Edge.Drivers.Mfrc522;

/// <summary>
/// An ISO/IEC 14443 A card for <see cref="Mfrc522Simulator"/>: it answers REQA/WUPA with its ATQA, ANTICOLLISION with
/// UID CLn and BCC, SELECT with SAK and CRC_A, and follows the card states IDLE, READY, ACTIVE and HALT of ISO/IEC 14443-3.
/// </summary>
/// <remarks>Bit-oriented anticollision frames (NVB other than 0x20 and 0x70) are not answered.</remarks>
public sealed class VirtualCard
{
    readonly byte[] _uid;

    /// <summary>A card with the given UID.</summary>
    /// <param name="uid">4, 7 or 10 bytes; a 4-byte UID must not start with the cascade tag 0x88.</param>
    /// <param name="sak">SAK once the UID is complete, e.g. 0x08 MIFARE Classic 1K, 0x00 MIFARE Ultralight / NTAG.</param>
    /// <param name="atqa">ATQA; by default 0x0004, 0x0044 or 0x0084, whose bits 8..7 give the UID size.</param>
    public VirtualCard(ReadOnlySpan<byte> uid, byte sak = 0x08, ushort? atqa = null)
    {
        Uid = CardUid.FromBytes(uid);
        if (uid.Length == 4 && uid[0] == PiccCommand.CascadeTag)
        {
            throw new ArgumentException("a single-size UID cannot start with the cascade tag 0x88", nameof(uid));
        }

        _uid = uid.ToArray();
        Sak = (byte)(sak & ~PiccCommand.SakCascadeBit);
        Atqa = atqa ?? uid.Length switch
        {
            4 => 0x0004,
            7 => 0x0044,
            _ => 0x0084,
        };
    }

    /// <summary>A card with the UID given as hex (8, 14 or 20 digits).</summary>
    public VirtualCard(string uidHex, byte sak = 0x08, ushort? atqa = null)
        : this(CardUid.Parse(uidHex).ToArray(), sak, atqa)
    {
    }

    /// <summary>The card's UID.</summary>
    public CardUid Uid { get; }

    /// <summary>SAK sent when the UID is complete (cascade bit clear).</summary>
    public byte Sak { get; }

    /// <summary>ATQA, sent low byte first.</summary>
    public ushort Atqa { get; }

    /// <summary>Fault: the card sends a wrong BCC in its anticollision answers.</summary>
    public bool CorruptBcc { get; set; }

    /// <summary>Fault: the card sends a wrong CRC_A after its SAK.</summary>
    public bool CorruptSakCrc { get; set; }

    /// <summary>Whether the card is halted (read and sent HLTA), so it ignores REQA until it leaves the field.</summary>
    public bool IsHalted => State == CardState.Halt;

    internal CardState State { get; private set; } = CardState.Idle;

    /// <summary>Cascade level (0-based) the card is at in READY.</summary>
    int _level;

    /// <summary>Whether READY/ACTIVE was entered from HALT (READY*, ACTIVE*): errors then return it to HALT.</summary>
    bool _fromHalt;

    int Levels => _uid.Length switch
    {
        4 => 1,
        7 => 2,
        _ => 3,
    };

    /// <summary>The card enters the field, or the field is switched on: POWER-OFF to IDLE.</summary>
    internal void PowerOn()
    {
        State = CardState.Idle;
        _level = 0;
        _fromHalt = false;
    }

    /// <summary>UID CLn of a cascade level: a cascade tag and 3 UID bytes, or the last 4 UID bytes.</summary>
    internal byte[] CascadeLevelUid(int level)
    {
        if (level < Levels - 1)
        {
            return [PiccCommand.CascadeTag, _uid[3 * level], _uid[(3 * level) + 1], _uid[(3 * level) + 2]];
        }

        return _uid[(3 * level)..((3 * level) + 4)];
    }

    /// <summary>What the card answers to a frame from the reader, or null for silence.</summary>
    internal byte[]? Receive(ReadOnlySpan<byte> frame, int txLastBits)
    {
        if (txLastBits == 7 && frame.Length == 1)
        {
            return ReceiveShortFrame((byte)(frame[0] & 0x7F));
        }

        if (State is CardState.Idle or CardState.Halt)
        {
            return null; // only REQA / WUPA wake a card
        }

        if (txLastBits != 0)
        {
            return Unexpected();
        }

        int level = PiccCommand.SelectCodes.IndexOf(frame.Length > 0 ? frame[0] : (byte)0);
        if (level >= 0 && frame.Length >= 2)
        {
            return State == CardState.Ready && level == _level ? ReceiveSelect(frame, level) : Unexpected();
        }

        if (frame.Length == 4 && frame[0] == PiccCommand.HltA && frame[1] == 0x00 && CrcValid(frame))
        {
            if (State == CardState.Active)
            {
                State = CardState.Halt;
                return null; // HLTA is never answered
            }
        }

        return Unexpected();
    }

    byte[]? ReceiveShortFrame(byte command)
    {
        bool wakes = command switch
        {
            PiccCommand.ReqA => State == CardState.Idle,
            PiccCommand.WupA => State is CardState.Idle or CardState.Halt,
            _ => false,
        };
        if (!wakes)
        {
            if (State is CardState.Ready or CardState.Active)
            {
                Unexpected();
            }

            return null;
        }

        _fromHalt = State == CardState.Halt;
        State = CardState.Ready;
        _level = 0;
        return [(byte)Atqa, (byte)(Atqa >> 8)];
    }

    byte[]? ReceiveSelect(ReadOnlySpan<byte> frame, int level)
    {
        byte[] cln = CascadeLevelUid(level);
        byte bcc = (byte)(cln[0] ^ cln[1] ^ cln[2] ^ cln[3]);
        byte nvb = frame[1];
        if (nvb == PiccCommand.NvbAnticollision && frame.Length == 2)
        {
            return [.. cln, CorruptBcc ? (byte)~bcc : bcc];
        }

        if (nvb == PiccCommand.NvbSelect && frame.Length == 9)
        {
            if (!CrcValid(frame))
            {
                return Unexpected(); // a transmission error counts as an unexpected frame
            }

            if (!frame[2..6].SequenceEqual(cln) || frame[6] != bcc)
            {
                return null; // selects another card: stay READY
            }

            byte sak;
            if (level < Levels - 1)
            {
                _level = level + 1;
                sak = PiccCommand.SakCascadeBit;
            }
            else
            {
                State = CardState.Active;
                sak = Sak;
            }

            byte[] answer = [sak, 0, 0];
            CrcA.Write(answer.AsSpan(0, 1), answer.AsSpan(1));
            if (CorruptSakCrc)
            {
                answer[2] ^= 0xFF;
            }

            return answer;
        }

        return null; // bit-oriented anticollision: not implemented
    }

    byte[]? Unexpected()
    {
        // Anything unexpected in READY or ACTIVE sends the card back to IDLE, or to HALT when it came from there.
        State = _fromHalt ? CardState.Halt : CardState.Idle;
        _level = 0;
        return null;
    }

    static bool CrcValid(ReadOnlySpan<byte> frame)
    {
        ushort crc = CrcA.Compute(frame[..^2]);
        return frame[^2] == (byte)crc && frame[^1] == (byte)(crc >> 8);
    }

    internal enum CardState
    {
        Idle,
        Ready,
        Active,
        Halt,
    }
}
