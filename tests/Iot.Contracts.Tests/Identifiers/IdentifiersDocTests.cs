using System.Globalization;
using Iot.Contracts.Identifiers;
using Iot.Contracts.Identifiers.Epc;

namespace Iot.Contracts.Tests.Identifiers;

/// <summary>
/// firmware-contracts/Identifiers.md is what a firmware engineer implements from: its weight tables and worked examples
/// are computed here (and checked against the library), so the page cannot drift from the code.
/// </summary>
public class IdentifiersDocTests
{
    static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Contracts, "Identifiers.md")).ReplaceLineEndings("\n");

    static void AssertDocContains(string expected) =>
        Assert.True(Doc.Contains(expected, StringComparison.Ordinal), $"Identifiers.md should contain:\n{expected}");

    static string Row(IEnumerable<object> cells) => "| " + string.Join(" | ", cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture))) + " |";

    [Fact]
    public void Has_the_batch_trace_code_weight_table()
    {
        int[] weights = BatchTraceCodeTests.Weights();
        AssertDocContains(Row(new object[] { "position" }.Concat(Enumerable.Range(1, 16).Cast<object>())));
        AssertDocContains(Row(new object[] { "weight" }.Concat(weights.Cast<object>())));
    }

    [Fact]
    public void Has_the_batch_trace_code_worked_example_as_the_library_computes_it()
    {
        string payload = BatchTraceCodeTests.ExamplePayload;
        int[] weights = BatchTraceCodeTests.Weights();
        int sum = 0;
        var rows = new List<string>();
        for (int i = 0; i < payload.Length; i++)
        {
            int value = BatchTraceCode.Alphabet.IndexOf(payload[i], StringComparison.Ordinal);
            sum += value * weights[i];
            rows.Add(Row([i + 1, $"`{payload[i]}`", value, weights[i], value * weights[i]]));
        }

        int remainder = sum % 31;
        int check = (31 - remainder) % 31;
        string code = BatchTraceCode.FromPayload(payload).Value;
        Assert.Equal(BatchTraceCode.Alphabet[check], code[^1]);

        AssertDocContains(string.Join("\n", rows));
        AssertDocContains(string.Create(CultureInfo.InvariantCulture,
            $"Sum: {sum}. {sum} mod 31 = {remainder}. Check value: (31 - {remainder}) mod 31 = {check}, which is the character `{code[^1]}`. The code is `{code}`."));
        AssertDocContains(string.Create(CultureInfo.InvariantCulture,
            $"Verifying: {sum} + {check} × 1 = {sum + check} = 31 × {(sum + check) / 31}, so the sum over all 16 positions is 0 mod 31."));
        Assert.Equal(0, (sum + check) % 31);
    }

    [Fact]
    public void Has_the_unified_social_credit_code_weights_and_worked_example()
    {
        const string Code = "91350200776049653A";
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        AssertDocContains("Weights for positions 1..17: `" + string.Join(' ', weights) + "`");
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            sum += UnifiedSocialCreditCode.Alphabet.IndexOf(Code[i], StringComparison.Ordinal) * weights[i];
        }

        int check = (31 - (sum % 31)) % 31;
        Assert.Equal(UnifiedSocialCreditCode.Alphabet[check], UnifiedSocialCreditCode.Parse(Code).CheckCharacter);
        AssertDocContains(string.Create(CultureInfo.InvariantCulture,
            $"`{Code}`: sum {sum}, {sum} mod 31 = {sum % 31}, 31 - {sum % 31} = {check}, which is `{UnifiedSocialCreditCode.Alphabet[check]}`."));
    }

    [Fact]
    public void Has_the_resident_identity_number_weights_and_worked_example()
    {
        const string Number = "11010519491231002X";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        AssertDocContains("Weights for positions 1..17: `" + string.Join(' ', weights) + "`");
        int sum = Enumerable.Range(0, 17).Sum(i => (Number[i] - '0') * weights[i]);
        Assert.True(ResidentIdentityNumber.TryParse(Number, FixedClock.Nov2026, out _, out _));
        AssertDocContains(string.Create(CultureInfo.InvariantCulture,
            $"`{Number}`: sum {sum}, {sum} mod 11 = {sum % 11}, `\"10X98765432\"[{sum % 11}]` = `{"10X98765432"[sum % 11]}`."));
        AssertDocContains("`110105********002X`");
    }

    [Fact]
    public void Has_the_gs1_worked_example()
    {
        const string Gtin = "09521234543213";
        int sum = 0;
        int weight = 3;
        var terms = new List<string>();
        for (int i = Gtin.Length - 2; i >= 0; i--)
        {
            sum += weight * (Gtin[i] - '0');
            terms.Add(string.Create(CultureInfo.InvariantCulture, $"{weight}×{Gtin[i]}"));
            weight = 4 - weight;
        }

        Assert.Equal(Gtin[^1], Gs1.CheckDigit(Gtin.AsSpan(0, 13)));
        AssertDocContains(string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(" + ", terms)} = {sum}; (10 - {sum % 10}) mod 10 = {(10 - (sum % 10)) % 10}"));
    }

    [Fact]
    public void Has_the_epc_vectors_bit_by_bit()
    {
        AssertDocContains(BitRow("3074257BF7194E4000001A85", [8, 3, 3, 24, 20, 38]));
        AssertDocContains(BitRow("3174257BF4499602D2000000", [8, 3, 3, 24, 34, 24]));
        Assert.Equal("urn:epc:tag:sgtin-96:3.0614141.812345.6789", Sgtin96.Parse("3074257BF7194E4000001A85").TagUrn);
        foreach (string text in new[]
        {
            "urn:epc:tag:sgtin-96:3.0614141.812345.6789", "urn:epc:id:sgtin:0614141.812345.6789", "(01)80614141123458 (21)6789",
            "urn:epc:tag:sscc-96:3.0614141.1234567890", "urn:epc:id:sscc:0614141.1234567890", "(00)106141412345678908",
        })
        {
            AssertDocContains(text);
        }
    }

    [Fact]
    public void Names_every_kind_the_classifier_reports()
    {
        foreach (string kind in new[]
        {
            "GTIN-8", "GTIN-12", "GTIN-13 or GLN", "GTIN-14", "SSCC", "unified social credit code", "resident identity number",
            "batch trace code", "GS1 Digital Link", "SGTIN-96 EPC", "SSCC-96 EPC", "HF tag UID", IdentifierCheck.NationalTraceCodeKind,
        })
        {
            AssertDocContains(kind);
        }
    }

    [Fact]
    public void Its_iot_check_example_is_what_the_command_prints()
    {
        string[] lines = Doc.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith("$ ./iot check ", StringComparison.Ordinal));
        Assert.True(start >= 0, "Identifiers.md should show an iot check session");
        string[] args = lines[start]["$ ./iot check ".Length..].Split(' ');
        string[] expected = lines[(start + 1)..].TakeWhile(l => l != "```").ToArray();

        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = Iot.Check.CheckCommand.Run(args, output, error, FixedClock.Nov2026);
        Assert.Equal(expected, output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Equal(1, exit);
    }

    /// <summary>The bits of a 96-bit EPC cut into fields: <c>`00110000` `011` ...</c>.</summary>
    static string BitRow(string hex, int[] widths)
    {
        string bits = string.Concat(hex.Select(c => Convert.ToString(Convert.ToInt32(c.ToString(), 16), 2).PadLeft(4, '0')));
        var fields = new List<string>();
        int offset = 0;
        foreach (int width in widths)
        {
            fields.Add($"`{bits.Substring(offset, width)}`");
            offset += width;
        }

        return string.Join(" ", fields);
    }
}
