using Iot.Contracts.Identifiers;

namespace Iot.Contracts.Tests.Identifiers;

public class IdentifierCheckTests
{
    static readonly TimeProvider Clock = FixedClock.Nov2026;

    public static TheoryData<string, string> Lines => new()
    {
        // EPCs, hex and URNs
        { "3074257BF7194E4000001A85", "3074257BF7194E4000001A85: SGTIN-96 EPC = urn:epc:id:sgtin:0614141.812345.6789 = (01)80614141123458 (21)6789 ok" },
        { "3174257BF4499602D2000000", "3174257BF4499602D2000000: SSCC-96 EPC = urn:epc:id:sscc:0614141.1234567890 = (00)106141412345678908 ok" },
        { "3574257BF7194E4000001A85", "3574257BF7194E4000001A85: invalid: EPC header 0x35 is neither SGTIN-96 (0x30) nor SSCC-96 (0x31)" },
        { "307C257BF7194E4000001A85", "307C257BF7194E4000001A85: invalid: SGTIN-96 partition 7 is invalid; partitions are 0 to 6" },
        { "3174257BF4499602D2000001", "3174257BF4499602D2000001: invalid: SSCC-96 reserved bits (the last 24) must be zero, got 0x000001" },
        { "urn:epc:tag:sgtin-96:3.0614141.812345.6789", "urn:epc:tag:sgtin-96:3.0614141.812345.6789: SGTIN-96 tag URN = EPC 3074257BF7194E4000001A85 = (01)80614141123458 (21)6789 ok" },
        { "urn:epc:id:sgtin:0614141.812345.6789", "urn:epc:id:sgtin:0614141.812345.6789: SGTIN pure identity URN = (01)80614141123458 (21)6789 ok" },
        { "urn:epc:tag:sscc-96:3.0614141.1234567890", "urn:epc:tag:sscc-96:3.0614141.1234567890: SSCC-96 tag URN = EPC 3174257BF4499602D2000000 = (00)106141412345678908 ok" },
        { "urn:epc:id:sscc:0614141.1234567890", "urn:epc:id:sscc:0614141.1234567890: SSCC pure identity URN = (00)106141412345678908 ok" },
        { "urn:epc:id:sgln:0614141.12345.0", "urn:epc:id:sgln:0614141.12345.0: invalid: EPC URN not supported; known are urn:epc:tag:sgtin-96:, urn:epc:tag:sscc-96:, urn:epc:id:sgtin: and urn:epc:id:sscc: (lower case)" },
        { "urn:epc:id:sgtin:0614141.812345.06789", "urn:epc:id:sgtin:0614141.812345.06789: invalid: SGTIN-96 serial must be a number from 0 to 274877906943 without leading zeros, got '06789'" },

        // GS1 keys
        { "09521234543213", "09521234543213: GTIN-14 ok" },
        { "09521234543214", "09521234543214: invalid: GTIN-14 check digit is '4', expected '3'" },
        { "9521234543213", "9521234543213: GTIN-13 or GLN ok" },
        { "614141123452", "614141123452: GTIN-12 ok" },
        { "96385074", "96385074: GTIN-8 ok" },
        { "96385075", "96385075: invalid: GTIN-8 check digit is '5', expected '4'" },
        { "106141412345678908", "106141412345678908: SSCC ok" },

        // 18 characters: every kind that passes, or the reasons of every kind it looks like
        { "91350200776049653A", "91350200776049653A: unified social credit code ok" },
        { "91350200776049653B", "913502********653B: invalid: unified social credit code check character is 'B', expected 'A' (a character is mistyped or two are swapped); resident identity number: character 'B' at position 18 is not allowed; the check character is a digit or 'X'" },
        { "91350200776O49653A", "91350200776O49653A: invalid: unified social credit code: character 'O' at position 12 is not allowed (did you mean '0'?); allowed are 0-9 and A-Z without I, O, S, V, Z" },
        { "11010519491231002X", "110105********002X: resident identity number ok" },
        { "110105194912310021", "110105********0021: invalid: SSCC check digit is '1', expected '6'; unified social credit code check character is '1', expected 'B' (a character is mistyped or two are swapped); resident identity number check character is '1', expected 'X' (a digit is mistyped or two are swapped)" },
        { "11010519491231002x", "110105********002x: invalid: resident identity number: character 'x' at position 18 is not allowed (use upper case 'X'); the check character is a digit or 'X'" },
        { "110105194912300171", "110105********0171: SSCC ok (also a valid resident identity number)" },
        { "110105194912300980", "110105********0980: SSCC ok (also a valid unified social credit code and a valid resident identity number)" },
        { "110105194912300690", "110105194912300690: SSCC ok (also a valid unified social credit code)" },
        { "110105194912300024", "110105********0024: unified social credit code ok (also a valid resident identity number)" },

        // Batch trace codes
        { "7K3M9Q2TXW4A1B63", "7K3M9Q2TXW4A1B63: batch trace code ok" },
        { "7K3M9Q2TXW4A1B64", "7K3M9Q2TXW4A1B64: invalid: batch trace code check character is '4', expected '3' (a character is mistyped or two are swapped)" },
        { "K73M9Q2TXW4A1B63", "K73M9Q2TXW4A1B63: invalid: batch trace code check character is '3', expected 'B' (a character is mistyped or two are swapped)" },
        { "7K3M9Q2TXW4A1B6O", "7K3M9Q2TXW4A1B6O: invalid: batch trace code: character 'O' at position 16 is not allowed (did you mean '0'?); allowed are 0-9 and A-Z without I, O, S, V, Z" },

        // GS1 Digital Link
        { "https://id.example.com/01/09521234543213/10/LOT%2F7?17=261231", "https://id.example.com/01/09521234543213/10/LOT%2F7?17=261231: GS1 Digital Link = (01)09521234543213 (10)LOT/7 (17)261231 ok" },
        { "https://id.example.com/01/09521234543213/10/LOT%207", "https://id.example.com/01/09521234543213/10/LOT%207: invalid: GS1 Digital Link: AI 10: character U+0020 at position 4 is not in the GS1 AI character set 82" },
        { "https://id.example.com/01/09521234543213/21/1/10/2", "https://id.example.com/01/09521234543213/21/1/10/2: invalid: GS1 Digital Link: AI 10 is out of order; qualifiers go 22, 10, 21" },
        { "HTTP://id.example.com/01/09521234543213", "HTTP://id.example.com/01/09521234543213: invalid: GS1 Digital Link must use https, not http" },

        // HF tag UIDs, national trace codes, the rest
        { "04A224E2C45D80", "04A224E2C45D80: HF tag UID (ISO 14443A, 7 bytes) or national trace code (opaque, format not published) ok" },
        { "NY-2026-000123", "NY-2026-000123: national trace code (opaque, format not published) ok" },
        { "1234567", "1234567: national trace code (opaque, format not published) ok" },
        { "abc", "abc: invalid: unrecognised identifier; national trace code must be 4 to 64 characters, got 3" },
        { "追溯码12345", "追溯码12345: invalid: unrecognised identifier; national trace code: character '追' at position 1 is not allowed; allowed are 0-9, A-Z, a-z, '-', '.' and '_'" },
        { "", "\"\": invalid: empty value" },
        { "a\tb\nc", "a\\tb\\nc: invalid: unrecognised identifier; national trace code: character U+0009 at position 2 is not allowed; allowed are 0-9, A-Z, a-z, '-', '.' and '_'" },
        { "x\u202Ey\\", "x\\u202Ey\\\\: invalid: unrecognised identifier; national trace code: character '\\u202E' at position 2 is not allowed; allowed are 0-9, A-Z, a-z, '-', '.' and '_'" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Says_what_each_value_is_in_one_line(string value, string line)
    {
        var report = IdentifierCheck.Check(value, Clock);
        Assert.Equal(line, report.Line);
        Assert.Equal(line, report.ToString());
        Assert.Equal(!line.Contains(": invalid: ", StringComparison.Ordinal), report.IsValid);
        Assert.Equal(report.IsValid, report.Kind is not null);
        Assert.Equal(report.IsValid, report.Reason is null);
    }

    public static TheoryData<string> TypoedCheckCharacterValues => new()
    {
        "09521234543214", "9521234543214", "614141123453", "96385075", "106141412345678909", "91350200776049653B",
        "110105194912310021", "7K3M9Q2TXW4A1B64",
    };

    [Theory]
    [MemberData(nameof(TypoedCheckCharacterValues))]
    public void A_value_shaped_like_a_checked_identifier_is_never_waved_through_as_a_national_trace_code(string value)
    {
        Assert.True(NationalTraceCode.TryParse(value, out _, out _));
        Assert.False(IdentifierCheck.Check(value, Clock).IsValid);
    }

    [Fact]
    public void Every_substitution_and_adjacent_swap_of_every_vector_is_reported_invalid_or_as_another_valid_kind()
    {
        // A typo in a check-charactered identifier must not pass as what it was; it may only, by rare coincidence, be
        // a valid identifier of another kind (e.g. an 18-digit typo that happens to be a valid SSCC), which the line names.
        (string Valid, string Kind, string Alphabet)[] vectors =
        [
            ("09521234543213", "GTIN-14", Mutations.Digits),
            ("106141412345678908", "SSCC", Mutations.Digits),
            ("91350200776049653A", "unified social credit code", UnifiedSocialCreditCode.Alphabet),
            ("11010519491231002X", "resident identity number", Mutations.Digits),
            ("7K3M9Q2TXW4A1B63", "batch trace code", BatchTraceCode.Alphabet),
        ];
        foreach (var (valid, kind, alphabet) in vectors)
        {
            Assert.StartsWith(kind, IdentifierCheck.Check(valid, Clock).Kind, StringComparison.Ordinal);
            var typos = Mutations.Substitutions(valid, _ => alphabet).Select(m => m.Text)
                .Concat(Mutations.AdjacentTranspositions(valid).Select(m => m.Text));
            foreach (string typo in typos)
            {
                var report = IdentifierCheck.Check(typo, Clock);
                bool gs1Blind = kind is "GTIN-14" or "SSCC" && Gs1.HasValidCheckDigit(typo);
                if (report.IsValid && !gs1Blind)
                {
                    Assert.DoesNotContain(kind, report.Kind, StringComparison.Ordinal);
                }

                Assert.DoesNotContain("national trace code", report.Line, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_resident_identity_number_never_appears_in_full_in_a_line()
    {
        const string Valid = "11010519491231002X";
        var values = Mutations.Substitutions(Valid, i => i == 17 ? Mutations.Digits + "Xx" : Mutations.Digits).Select(m => m.Text)
            .Concat(Mutations.AdjacentTranspositions(Valid).Select(m => m.Text))
            .Append(Valid)
            .Append(ResidentIdentityNumberTests.WithCheck("11010520991231002"))
            .Append(ResidentIdentityNumberTests.WithCheck("11010519491331002"));
        foreach (string value in values)
        {
            string line = IdentifierCheck.Check(value, Clock).Line;
            bool validOtherwise = Sscc.TryParse(value, out _, out _) || UnifiedSocialCreditCode.TryParse(value, out _, out _);
            if (!validOtherwise || ResidentIdentityNumber.TryParse(value, Clock, out _, out _))
            {
                Assert.StartsWith(value[..6] + "********" + value[^4..] + ": ", line, StringComparison.Ordinal);
                ResidentIdentityNumberTests.AssertNoDigitsLeak(value, line, shownPrefix: true);
            }
        }
    }

    [Fact]
    public void Printable_escapes_what_a_terminal_would_hide_or_obey()
    {
        Assert.Equal("plain 汉字 é 🌾", IdentifierCheck.Printable("plain 汉字 é 🌾"));
        Assert.Equal(@"\\ \n \r \t \u0000 \u001B \u007F \u200B \u202E \u00A0 \u3000 \u2028", IdentifierCheck.Printable("\\ \n \r \t \0 \u001B \u007F \u200B \u202E \u00A0 \u3000 \u2028"));
        Assert.Equal(@"\uD800x\uDC00", IdentifierCheck.Printable("\uD800x\uDC00"));
        Assert.Equal(@"\U000E0001", IdentifierCheck.Printable("\U000E0001"));
    }

    [Fact]
    public void Never_throws_on_random_text()
    {
        var random = new Random(2026);
        string[] seeds = ["3074257BF7194E4000001A85", "https://id.example.com/01/09521234543213/10/A", "urn:epc:tag:sgtin-96:3.0614141.812345.6789", "11010519491231002X", "7K3M9Q2TXW4A1B63"];
        for (int n = 0; n < 20_000; n++)
        {
            string value = n % 2 == 0
                ? new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0, 0x3100)).ToArray())
                : Mangle(seeds[n % seeds.Length], random);
            var report = IdentifierCheck.Check(value, Clock);
            Assert.DoesNotContain('\n', report.Line);
            Assert.DoesNotContain('\r', report.Line);
            Assert.DoesNotContain(report.Line, c => char.IsControl(c));
        }
    }

    static string Mangle(string seed, Random random)
    {
        var chars = seed.ToCharArray();
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            chars[random.Next(chars.Length)] = "0123456789ABCDEFabcdef%/:?.-\0 é"[random.Next(31)];
        }

        return new string(chars);
    }
}
