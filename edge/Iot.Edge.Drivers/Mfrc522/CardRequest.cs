namespace Iot.Edge.Drivers.Mfrc522;

/// <summary>Which cards a read wakes up (ISO/IEC 14443-3, REQA and WUPA).</summary>
public enum CardRequest
{
    /// <summary>REQA (0x26): only cards that have not been read and halted since they entered the field. A crate tag is reported once per presentation.</summary>
    Idle,

    /// <summary>WUPA (0x52): all cards, halted ones too, e.g. to check that a card already read is still in the field.</summary>
    All,
}
