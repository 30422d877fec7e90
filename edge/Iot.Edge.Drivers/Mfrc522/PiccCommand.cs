namespace Iot.Edge.Drivers.Mfrc522;

/// <summary>Type A card (PICC) commands and constants, ISO/IEC 14443-3 clause 6 (Type A initialization and anticollision):
/// the command set (REQA, WUPA, ANTICOLLISION, SELECT, HLTA), the select sequence and the UID cascade levels.</summary>
internal static class PiccCommand
{
    /// <summary>REQA, sent as a 7-bit short frame: wakes cards in IDLE.</summary>
    public const byte ReqA = 0x26;

    /// <summary>WUPA, 7-bit short frame: wakes cards in IDLE and HALT.</summary>
    public const byte WupA = 0x52;

    /// <summary>SEL code of cascade level 1.</summary>
    public const byte SelectCascadeLevel1 = 0x93;

    /// <summary>SEL code of cascade level 2.</summary>
    public const byte SelectCascadeLevel2 = 0x95;

    /// <summary>SEL code of cascade level 3.</summary>
    public const byte SelectCascadeLevel3 = 0x97;

    /// <summary>NVB of an ANTICOLLISION command with no UID bits: 2 bytes sent (upper nibble = whole bytes, lower nibble = extra bits).</summary>
    public const byte NvbAnticollision = 0x20;

    /// <summary>NVB of a SELECT command: 7 bytes sent (SEL, NVB, 4 UID bytes, BCC), followed by CRC_A.</summary>
    public const byte NvbSelect = 0x70;

    /// <summary>Cascade tag: the first byte of a cascade level's UID CLn when the UID continues at the next level.</summary>
    public const byte CascadeTag = 0x88;

    /// <summary>SAK bit 3 (b3, value 0x04): the UID is not complete yet.</summary>
    public const byte SakCascadeBit = 0x04;

    /// <summary>HLTA first byte; the frame is 0x50 0x00 followed by CRC_A; a card that accepts it does not answer.</summary>
    public const byte HltA = 0x50;

    /// <summary>The SEL codes in cascade order.</summary>
    public static ReadOnlySpan<byte> SelectCodes => [SelectCascadeLevel1, SelectCascadeLevel2, SelectCascadeLevel3];
}
