using System.Diagnostics.CodeAnalysis;

namespace Iot.Contracts.Validation;

/// <summary>Checks RFID tag values as they travel in messages: UHF EPCs and HF UIDs, upper-case hex.</summary>
public static class RfidTags
{
    /// <summary>A UHF tag's EPC: 24 upper-case hex digits, SGTIN-96 or SSCC-96, decodable; if not, why.</summary>
    public static bool IsValidEpc(string epc, [NotNullWhen(false)] out string? error)
    {
        if (!IsHex(epc, out error, "EPC"))
        {
            return false;
        }

        if (epc.Length != 24)
        {
            error = $"EPC must be 24 hex digits (96 bits), got {epc.Length}";
            return false;
        }

        if (!epc.StartsWith("30", StringComparison.Ordinal) && !epc.StartsWith("31", StringComparison.Ordinal))
        {
            error = $"EPC header 0x{epc[..2]} is neither SGTIN-96 (0x30) nor SSCC-96 (0x31)";
            return false;
        }

        // Decode it: partition, field widths and digit counts must be what the GS1 Tag Data Standard allows.
        return epc[1] == '0'
            ? Identifiers.Epc.Sgtin96.TryParse(epc, out _, out error)
            : Identifiers.Epc.Sscc96.TryParse(epc, out _, out error);
    }

    /// <summary>An HF (ISO 14443A) tag's UID: 4, 7 or 10 bytes in upper-case hex; if not, why.</summary>
    public static bool IsValidUid(string uid, [NotNullWhen(false)] out string? error)
    {
        if (!IsHex(uid, out error, "UID"))
        {
            return false;
        }

        if (uid.Length is not (8 or 14 or 20))
        {
            error = $"an ISO 14443A UID is 4, 7 or 10 bytes (8, 14 or 20 hex digits), got {uid.Length} hex digits";
            return false;
        }

        return true;
    }

    static bool IsHex(string value, [NotNullWhen(false)] out string? error, string what)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (!char.IsAsciiHexDigitUpper(value[i]) && !char.IsAsciiDigit(value[i]))
            {
                error = $"{what}: character '{MessageRules.Printable(value[i].ToString())}' at position {i + 1} is not an upper-case hex digit";
                return false;
            }
        }

        error = null;
        return true;
    }
}
