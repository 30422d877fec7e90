namespace Iot.Edge.Drivers.Mfrc522;

/// <summary>The commands written to CommandReg bits 3..0, datasheet section 10.3, Table 149.</summary>
internal enum PcdCommand : byte
{
    /// <summary>No action, cancels the current command (10.3.1.1).</summary>
    Idle = 0b0000,

    /// <summary>Stores 25 bytes into the internal buffer (10.3.1.2). Not used.</summary>
    Mem = 0b0001,

    /// <summary>Generates a 10-byte random ID (10.3.1.3). Not used.</summary>
    GenerateRandomId = 0b0010,

    /// <summary>Activates the CRC coprocessor over the FIFO content (10.3.1.4).</summary>
    CalcCrc = 0b0011,

    /// <summary>Transmits the FIFO content (10.3.1.5). Not used.</summary>
    Transmit = 0b0100,

    /// <summary>Changes CommandReg bits without changing the command (10.3.1.6).</summary>
    NoCmdChange = 0b0111,

    /// <summary>Activates the receiver (10.3.1.7). Not used.</summary>
    Receive = 0b1000,

    /// <summary>Transmits the FIFO to the antenna, then receives; each transmission is started by BitFramingReg StartSend (10.3.1.8).</summary>
    Transceive = 0b1100,

    /// <summary>MIFARE Classic authentication (10.3.1.9). Not used: we only read UIDs.</summary>
    MfAuthent = 0b1110,

    /// <summary>Resets the MFRC522 (10.3.1.10).</summary>
    SoftReset = 0b1111,
}

/// <summary>CommandReg bits above the command code (9.3.1.2).</summary>
[Flags]
internal enum CommandBits : byte
{
    None = 0,

    /// <summary>Command code mask, bits 3..0.</summary>
    CommandMask = 0b0000_1111,

    /// <summary>Soft power-down; reads 1 during the wake-up (oscillator start) after a reset and 0 once the chip is ready.</summary>
    PowerDown = 0b0001_0000,

    /// <summary>Analog part of the receiver switched off.</summary>
    RcvOff = 0b0010_0000,
}

/// <summary>ComIrqReg bits (9.3.1.5). Writing with Set1 = 1 sets the marked bits, with Set1 = 0 clears them.</summary>
[Flags]
internal enum ComIrqBits : byte
{
    None = 0,

    /// <summary>The timer reached zero: no answer within the timer period (8.5).</summary>
    TimerIrq = 0b0000_0001,

    /// <summary>Any error bit in ErrorReg is set.</summary>
    ErrIrq = 0b0000_0010,

    /// <summary>FIFO level at or below the water level.</summary>
    LoAlertIrq = 0b0000_0100,

    /// <summary>FIFO level at or above 64 minus the water level.</summary>
    HiAlertIrq = 0b0000_1000,

    /// <summary>A command terminated by itself.</summary>
    IdleIrq = 0b0001_0000,

    /// <summary>The receiver detected the end of a valid data stream.</summary>
    RxIrq = 0b0010_0000,

    /// <summary>The last bit of the transmitted data was sent out.</summary>
    TxIrq = 0b0100_0000,

    /// <summary>Write mode: 1 sets the marked bits, 0 clears them.</summary>
    Set1 = 0b1000_0000,

    /// <summary>Every interrupt request bit (7 bits), for clearing them all with Set1 = 0.</summary>
    AllIrqs = 0b0111_1111,
}

/// <summary>DivIrqReg bits (9.3.1.6).</summary>
[Flags]
internal enum DivIrqBits : byte
{
    None = 0,

    /// <summary>The CalcCRC command is active and all data is processed.</summary>
    CrcIrq = 0b0000_0100,

    /// <summary>MFIN is active.</summary>
    MfinActIrq = 0b0001_0000,

    /// <summary>Write mode: 1 sets the marked bits, 0 clears them.</summary>
    Set2 = 0b1000_0000,
}

/// <summary>ErrorReg bits (9.3.1.7).</summary>
[Flags]
internal enum ErrorBits : byte
{
    None = 0,

    /// <summary>SOF incorrect, or wrong number of bytes received for MFAuthent.</summary>
    ProtocolErr = 0b0000_0001,

    /// <summary>Parity check failed.</summary>
    ParityErr = 0b0000_0010,

    /// <summary>RxModeReg RxCRCEn is set and the CRC calculation failed.</summary>
    CrcErr = 0b0000_0100,

    /// <summary>A bit collision was detected (several cards answered with different bits).</summary>
    CollErr = 0b0000_1000,

    /// <summary>The host or the chip wrote to a full FIFO.</summary>
    BufferOvfl = 0b0001_0000,

    /// <summary>Internal temperature sensor detected overheating; the antenna drivers are switched off.</summary>
    TempErr = 0b0100_0000,

    /// <summary>Data written to the FIFO at the wrong time.</summary>
    WrErr = 0b1000_0000,
}

/// <summary>Status1Reg bits (9.3.1.8).</summary>
[Flags]
internal enum Status1Bits : byte
{
    None = 0,
    LoAlert = 0b0000_0001,
    HiAlert = 0b0000_0010,
    TRunning = 0b0000_1000,
    IRq = 0b0001_0000,
    CrcReady = 0b0010_0000,
    CrcOk = 0b0100_0000,
}

/// <summary>FIFOLevelReg bits (9.3.1.11).</summary>
[Flags]
internal enum FifoLevelBits : byte
{
    None = 0,

    /// <summary>Number of bytes stored in the FIFO (0..64).</summary>
    LevelMask = 0b0111_1111,

    /// <summary>Write 1 to empty the FIFO (and clear BufferOvfl).</summary>
    FlushBuffer = 0b1000_0000,
}

/// <summary>ControlReg bits (9.3.1.13).</summary>
[Flags]
internal enum ControlBits : byte
{
    None = 0,

    /// <summary>Number of valid bits in the last received byte; 0 means the whole byte is valid.</summary>
    RxLastBitsMask = 0b0000_0111,

    TStartNow = 0b0100_0000,
    TStopNow = 0b1000_0000,
}

/// <summary>BitFramingReg bits (9.3.1.14).</summary>
[Flags]
internal enum BitFramingBits : byte
{
    None = 0,

    /// <summary>Number of bits of the last byte to transmit; 0 means the whole byte. 7 makes the REQA/WUPA short frame.</summary>
    TxLastBitsMask = 0b0000_0111,

    /// <summary>Bit position where the first received bit is stored (bit-oriented anticollision).</summary>
    RxAlignMask = 0b0111_0000,

    /// <summary>Starts the transmission; only valid with the Transceive command.</summary>
    StartSend = 0b1000_0000,
}

/// <summary>CollReg bits (9.3.1.15).</summary>
[Flags]
internal enum CollBits : byte
{
    None = 0,

    /// <summary>Bit position of the first collision: 1 = first bit, 8 = eighth bit, 0 = 32nd bit.</summary>
    CollPosMask = 0b0001_1111,

    /// <summary>No collision, or the collision lies beyond CollPos' range.</summary>
    CollPosNotValid = 0b0010_0000,

    /// <summary>0: every received bit after a collision is cleared.</summary>
    ValuesAfterColl = 0b1000_0000,
}

/// <summary>ModeReg bits (9.3.2.2). Reset value 0x3F (CRC preset 0xFFFF).</summary>
[Flags]
internal enum ModeBits : byte
{
    None = 0,

    /// <summary>Preset of the CRC coprocessor: 00 = 0x0000, 01 = 0x6363, 10 = 0xA671, 11 = 0xFFFF.</summary>
    CrcPresetMask = 0b0000_0011,

    /// <summary>CRCPreset = 01: 0x6363, the CRC_A initial value of ISO/IEC 14443-3.</summary>
    CrcPreset6363 = 0b0000_0001,

    PolMfin = 0b0000_1000,
    TxWaitRf = 0b0010_0000,
    MsbFirst = 0b1000_0000,
}

/// <summary>TxModeReg / RxModeReg bit 7 (9.3.2.3, 9.3.2.4).</summary>
[Flags]
internal enum CrcEnableBits : byte
{
    None = 0,

    /// <summary>TxCRCEn / RxCRCEn: the chip appends (checks) a CRC itself. We leave it off and compute CRC_A with CalcCRC.</summary>
    CrcEnable = 0b1000_0000,
}

/// <summary>TxControlReg bits (9.3.2.5). Reset value 0x80: both antenna drivers off.</summary>
[Flags]
internal enum TxControlBits : byte
{
    None = 0,

    /// <summary>TX1 delivers the modulated 13.56 MHz carrier.</summary>
    Tx1RfEn = 0b0000_0001,

    /// <summary>TX2 delivers the modulated 13.56 MHz carrier.</summary>
    Tx2RfEn = 0b0000_0010,

    /// <summary>Both antenna drivers on.</summary>
    AntennaOn = Tx1RfEn | Tx2RfEn,
}

/// <summary>TxASKReg bits (9.3.2.6).</summary>
[Flags]
internal enum TxAskBits : byte
{
    None = 0,

    /// <summary>Forces 100 % ASK modulation, as ISO/IEC 14443 A requires.</summary>
    Force100Ask = 0b0100_0000,
}

/// <summary>TModeReg bits (9.3.3.10, Table 106).</summary>
[Flags]
internal enum TModeBits : byte
{
    None = 0,

    /// <summary>High 4 bits of the 12-bit prescaler.</summary>
    TPrescalerHighMask = 0b0000_1111,

    TAutoRestart = 0b0001_0000,

    /// <summary>The timer starts automatically at the end of each transmission and stops on reception.</summary>
    TAuto = 0b1000_0000,
}
