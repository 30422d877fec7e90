namespace Iot.Edge.Drivers.Mfrc522;

/// <summary>
/// MFRC522 registers, datasheet Rev. 3.9 section 9.2 (register overview) and 9.3 (register descriptions).
/// Over SPI the address byte is <c>(address &lt;&lt; 1)</c>, with bit 7 set for a read (section 8.1.2.3).
/// </summary>
internal enum Register : byte
{
    // Page 0: command and status (9.3.1)

    /// <summary>CommandReg: starts and stops command execution (9.3.1.2).</summary>
    Command = 0x01,

    /// <summary>ComIEnReg: interrupt request enable bits for the IRQ pin (9.3.1.3).</summary>
    ComIEn = 0x02,

    /// <summary>DivIEnReg (9.3.1.4).</summary>
    DivIEn = 0x03,

    /// <summary>ComIrqReg: interrupt request bits (9.3.1.5).</summary>
    ComIrq = 0x04,

    /// <summary>DivIrqReg: interrupt request bits, among them CRCIRq (9.3.1.6).</summary>
    DivIrq = 0x05,

    /// <summary>ErrorReg: error bits of the last command executed (9.3.1.7).</summary>
    Error = 0x06,

    /// <summary>Status1Reg (9.3.1.8).</summary>
    Status1 = 0x07,

    /// <summary>Status2Reg (9.3.1.9).</summary>
    Status2 = 0x08,

    /// <summary>FIFODataReg: input and output of the 64-byte FIFO buffer (9.3.1.10).</summary>
    FifoData = 0x09,

    /// <summary>FIFOLevelReg: number of bytes in the FIFO, and FlushBuffer (9.3.1.11).</summary>
    FifoLevel = 0x0A,

    /// <summary>WaterLevelReg (9.3.1.12).</summary>
    WaterLevel = 0x0B,

    /// <summary>ControlReg: timer control and RxLastBits (9.3.1.13).</summary>
    Control = 0x0C,

    /// <summary>BitFramingReg: StartSend, RxAlign, TxLastBits (9.3.1.14).</summary>
    BitFraming = 0x0D,

    /// <summary>CollReg: position of the first bit collision (9.3.1.15).</summary>
    Coll = 0x0E,

    // Page 1: command (9.3.2)

    /// <summary>ModeReg: general transmit/receive modes and the CRC preset (9.3.2.2).</summary>
    Mode = 0x11,

    /// <summary>TxModeReg: TxCRCEn and transmit speed (9.3.2.3).</summary>
    TxMode = 0x12,

    /// <summary>RxModeReg: RxCRCEn and receive speed (9.3.2.4).</summary>
    RxMode = 0x13,

    /// <summary>TxControlReg: antenna driver pins TX1 and TX2 (9.3.2.5).</summary>
    TxControl = 0x14,

    /// <summary>TxASKReg: Force100ASK (9.3.2.6).</summary>
    TxAsk = 0x15,

    /// <summary>TxSelReg (9.3.2.7).</summary>
    TxSel = 0x16,

    /// <summary>RxSelReg (9.3.2.8).</summary>
    RxSel = 0x17,

    /// <summary>RxThresholdReg (9.3.2.9).</summary>
    RxThreshold = 0x18,

    /// <summary>DemodReg (9.3.2.10).</summary>
    Demod = 0x19,

    /// <summary>MfTxReg (9.3.2.13).</summary>
    MfTx = 0x1C,

    /// <summary>MfRxReg (9.3.2.14).</summary>
    MfRx = 0x1D,

    /// <summary>SerialSpeedReg (9.3.2.16).</summary>
    SerialSpeed = 0x1F,

    // Page 2: configuration (9.3.3)

    /// <summary>CRCResultReg, most significant byte (9.3.3.2).</summary>
    CrcResultHigh = 0x21,

    /// <summary>CRCResultReg, least significant byte (9.3.3.2).</summary>
    CrcResultLow = 0x22,

    /// <summary>ModWidthReg (9.3.3.4).</summary>
    ModWidth = 0x24,

    /// <summary>RFCfgReg: receiver gain (9.3.3.6).</summary>
    RfCfg = 0x26,

    /// <summary>GsNReg (9.3.3.7).</summary>
    GsN = 0x27,

    /// <summary>CWGsPReg (9.3.3.8).</summary>
    CwGsP = 0x28,

    /// <summary>ModGsPReg (9.3.3.9).</summary>
    ModGsP = 0x29,

    /// <summary>TModeReg: TAuto and the high 4 bits of the prescaler (9.3.3.10, Table 106).</summary>
    TMode = 0x2A,

    /// <summary>TPrescalerReg: the low 8 bits of the prescaler (9.3.3.10).</summary>
    TPrescaler = 0x2B,

    /// <summary>TReloadReg, high byte (9.3.3.11).</summary>
    TReloadHigh = 0x2C,

    /// <summary>TReloadReg, low byte (9.3.3.11).</summary>
    TReloadLow = 0x2D,

    /// <summary>TCounterValReg, high byte (9.3.3.12).</summary>
    TCounterValueHigh = 0x2E,

    /// <summary>TCounterValReg, low byte (9.3.3.12).</summary>
    TCounterValueLow = 0x2F,

    // Page 3: test (9.3.4)

    /// <summary>AutoTestReg (9.3.4.7).</summary>
    AutoTest = 0x36,

    /// <summary>VersionReg: 0x91 = version 1.0, 0x92 = version 2.0 (9.3.4.8).</summary>
    Version = 0x37,
}
