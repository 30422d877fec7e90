using Iot.Check;
using Iot.Contracts.Tests.Identifiers;

namespace Iot.Contracts.Tests.Check;

public class CheckCommandTests
{
    static (int Exit, string[] Lines, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = CheckCommand.Run(args, output, error, FixedClock.Nov2026);
        string[] lines = output.ToString().Split(Environment.NewLine);
        Assert.Equal(string.Empty, lines[^1]);
        return (exit, lines[..^1], error.ToString());
    }

    [Fact]
    public void Prints_one_line_per_value_in_order_and_exits_1_when_any_is_invalid()
    {
        var (exit, lines, error) = Run(
            "3074257BF7194E4000001A85",
            "09521234543213",
            "09521234543214",
            "106141412345678908",
            "91350200776049653A",
            "11010519491231002X",
            "110105194912310021",
            "7K3M9Q2TXW4A1B63",
            "https://id.example.com/01/09521234543213/10/LOT%2F7",
            "NY-2026-000123",
            "",
            "bad\u0000value\n");

        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Equal(string.Empty, error);
        Assert.Equal(
            [
                "3074257BF7194E4000001A85: SGTIN-96 EPC = urn:epc:id:sgtin:0614141.812345.6789 = (01)80614141123458 (21)6789 ok",
                "09521234543213: GTIN-14 ok",
                "09521234543214: invalid: GTIN-14 check digit is '4', expected '3'",
                "106141412345678908: SSCC ok",
                "91350200776049653A: unified social credit code ok",
                "110105********002X: resident identity number ok",
                "110105********0021: invalid: SSCC check digit is '1', expected '6'; unified social credit code check character is '1', expected 'B' (a character is mistyped or two are swapped); resident identity number check character is '1', expected 'X' (a digit is mistyped or two are swapped)",
                "7K3M9Q2TXW4A1B63: batch trace code ok",
                "https://id.example.com/01/09521234543213/10/LOT%2F7: GS1 Digital Link = (01)09521234543213 (10)LOT/7 ok",
                "NY-2026-000123: national trace code (opaque, format not published) ok",
                "\"\": invalid: empty value",
                "bad\\u0000value\\n: invalid: unrecognised identifier; national trace code: character U+0000 at position 4 is not allowed; allowed are 0-9, A-Z, a-z, '-', '.' and '_'",
            ],
            lines);
        Assert.DoesNotContain(lines, l => l.Contains("11010519491231002", StringComparison.Ordinal) || l.Contains("110105194912310021", StringComparison.Ordinal));
    }

    [Fact]
    public void Exits_0_when_every_value_is_valid()
    {
        var (exit, lines, _) = Run("3174257BF4499602D2000000", "urn:epc:tag:sgtin-96:3.0614141.812345.6789", "9521234543213", "04A224E2C45D80");
        Assert.Equal(ExitCodes.Valid, exit);
        Assert.Equal(
            [
                "3174257BF4499602D2000000: SSCC-96 EPC = urn:epc:id:sscc:0614141.1234567890 = (00)106141412345678908 ok",
                "urn:epc:tag:sgtin-96:3.0614141.812345.6789: SGTIN-96 tag URN = EPC 3074257BF7194E4000001A85 = (01)80614141123458 (21)6789 ok",
                "9521234543213: GTIN-13 or GLN ok",
                "04A224E2C45D80: HF tag UID (ISO 14443A, 7 bytes) or national trace code (opaque, format not published) ok",
            ],
            lines);
    }

    [Fact]
    public void Without_values_prints_usage_and_exits_2()
    {
        var (exit, lines, error) = Run();
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(lines);
        Assert.StartsWith("usage: iot check VALUE...", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Survives_anything_on_the_command_line()
    {
        string[] values =
        [
            "", " ", "\0", "\u001B[31mred", "\u202Egnp.exe", "\uD800", "\uDC00\uD800", "🌾🌾🌾🌾", "汉字汉字汉字汉字汉字汉字汉字汉字汉字",
            new string('9', 10_000), "%", "urn:epc:", "https://", "https:///", "https://x/01", "https://x/01/1?17", "urn:epc:tag:sgtin-96:...",
            "urn:epc:tag:sgtin-96:9.1.2.3", "urn:epc:id:sgtin:0614141.812345.99999999999999999999999", "FFFFFFFFFFFFFFFFFFFFFFFF", "30FFFFFFFFFFFFFFFFFFFFFF",
            "31FFFFFFFFFFFFFFFFFFFFFF", "3\n", "\r\n",
        ];
        var (exit, lines, _) = Run(values);
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Equal(values.Length, lines.Length);
        Assert.All(lines, l => Assert.DoesNotContain(l, char.IsControl));
        Assert.All(lines, l => Assert.False(HasLoneSurrogate(l), l));
        Assert.Equal("\\u202Egnp.exe: invalid: unrecognised identifier; national trace code: character '\\u202E' at position 1 is not allowed; allowed are 0-9, A-Z, a-z, '-', '.' and '_'", lines[4]);
        Assert.Equal("\\uD800: invalid: unrecognised identifier; national trace code must be 4 to 64 characters, got 1", lines[5]);
    }

    [Fact]
    public void A_resident_identity_number_is_masked_even_when_invalid()
    {
        var (exit, lines, _) = Run("11010520991231002X", "11010519491231002x", "1101051949123100X2");
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.All(lines, l => Assert.StartsWith("110105********", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("194912", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("209912", l, StringComparison.Ordinal));
    }

    static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The exit codes, spelled out here so a change to the command's constants fails a test.</summary>
    static class ExitCodes
    {
        public const int Valid = 0;
        public const int Invalid = 1;
        public const int Usage = 2;
    }

    [Fact]
    public void The_exit_codes_are_0_1_2() =>
        Assert.Equal((ExitCodes.Valid, ExitCodes.Invalid, ExitCodes.Usage), (CheckCommand.ExitValid, CheckCommand.ExitInvalid, CheckCommand.ExitUsage));
}
