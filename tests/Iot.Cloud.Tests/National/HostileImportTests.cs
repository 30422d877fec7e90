using System.Text;
using System.Text.Json;
using Iot.Cloud.National;

namespace Iot.Cloud.Tests.National;

/// <summary>Whatever arrives, an import reports: it never throws on input and stores nothing broken.</summary>
public sealed class HostileImportTests
{
    const string Header = "kind,role,name,creditCode,residentId,divisionCode,nationalEntityCode\n";

    [Fact]
    public void Garbage_bytes_are_refused_with_a_report()
    {
        using var rig = new RegistryRig();
        var garbage = new byte[4096];
        new Random(42).NextBytes(garbage);

        var csv = rig.Import.ImportCsv(ImportKinds.Parties, new MemoryStream(garbage));
        var json = rig.Import.ImportJson(new MemoryStream(garbage));

        Assert.StartsWith("the input is not UTF-8: invalid byte sequence at byte ", csv.Refusal, StringComparison.Ordinal);
        Assert.StartsWith("the input is not UTF-8: invalid byte sequence at byte ", json.Refusal, StringComparison.Ordinal);
        Assert.Equal(0, rig.Count("parties"));
    }

    [Fact]
    public void A_GBK_file_is_refused_saying_where_and_what_to_do()
    {
        using var rig = new RegistryRig();
        // "王" in GBK is 0xCD 0xF5, which is not UTF-8.
        byte[] gbk = [.. Encoding.ASCII.GetBytes(Header + "household,farm,"), 0xCD, 0xF5, .. Encoding.ASCII.GetBytes(",,11010519491231002X,,\n")];

        var report = rig.Import.ImportCsv(ImportKinds.Parties, new MemoryStream(gbk));

        Assert.Equal(
            $"the input is not UTF-8: invalid byte sequence at byte {Header.Length + 15} (a file saved as GBK/GB 18030, e.g. by a spreadsheet, must be saved as UTF-8)",
            report.Refusal);
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_skipped_and_UTF16_is_refused()
    {
        using var rig = new RegistryRig();
        byte[] text = Encoding.UTF8.GetBytes(Header + "enterprise,farm,漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ,,,\n");

        var withBom = rig.Import.ImportCsv(ImportKinds.Parties, new MemoryStream([0xEF, 0xBB, 0xBF, .. text]));
        var utf16 = rig.Import.ImportCsv(ImportKinds.Parties, new MemoryStream(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Header)).ToArray()));

        Assert.Equal(ImportOutcome.Accepted, Assert.Single(withBom.Results).Outcome);
        Assert.Equal("the input is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8", utf16.Refusal);
    }

    [Theory]
    [InlineData("", "the input is empty")]
    [InlineData("\n\n", "the file has no header row; the first line must name the columns: kind,role,name,creditCode,residentId,divisionCode,nationalEntityCode")]
    [InlineData("kind,role,name,kind\n", "the column 'kind' is given twice")]
    [InlineData("kind,\"role,name\n", "the header row has malformed quoting (a line break inside a quoted value (an unclosed quote?))")]
    public void Input_without_a_usable_header_is_refused(string text, string refusal)
    {
        using var rig = new RegistryRig();

        Assert.Equal(refusal, rig.Csv(ImportKinds.Parties, text).Refusal);
    }

    [Fact]
    public void A_header_without_rows_is_an_empty_report_with_a_warning()
    {
        using var rig = new RegistryRig();

        var report = rig.Csv(ImportKinds.Parties, Header);

        Assert.Null(report.Refusal);
        Assert.Equal(0, report.Rows);
        Assert.Equal(["the file has a header row but no data rows"], report.Warnings);
    }

    [Fact]
    public void Malformed_quoting_and_wrong_field_counts_reject_their_rows_only()
    {
        using var rig = new RegistryRig();

        var report = rig.Csv(ImportKinds.Parties, Header + """
            enterprise,farm,"漳州市"绿源,93350600MA2XK7L5YQ,,,
            enterprise,farm,"漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ,,,
            enterprise,farm,绿源"合作社,93350600MA2XK7L5YQ,,,
            enterprise,farm,漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ,,,,extra
            enterprise,farm,漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ
            enterprise,farm,"漳州市绿源蔬菜专业合作社, 芗城",93350600MA2XK7L5YQ,,,
            """);

        Assert.Equal(
            [
                (ImportOutcome.Rejected, "malformed CSV quoting: text after the closing quote of a value; nothing of the row was read"),
                (ImportOutcome.Rejected, "malformed CSV quoting: a line break inside a quoted value (an unclosed quote?); nothing of the row was read"),
                (ImportOutcome.Rejected, "malformed CSV quoting: a quote inside an unquoted value (quote the whole value and double the quote); nothing of the row was read"),
                (ImportOutcome.Rejected, "the row has 8 fields, the header 7 (a comma in an unquoted value?)"),
                (ImportOutcome.Rejected, "the row has 4 fields, the header 7 (a comma in an unquoted value?)"),
                (ImportOutcome.Accepted, null),
            ],
            report.Results.Select(r => (r.Outcome, r.Reason)));
        Assert.Equal([1, 2, 3, 4, 5, 6], report.Results.Select(r => r.Row));
        Assert.Equal("漳州市绿源蔬菜专业合作社, 芗城", rig.Registry.FindParty(1)!.Name);
        Assert.Equal(1, rig.Count("parties"));
    }

    [Fact]
    public void Over_the_row_or_byte_limit_the_input_is_refused_before_anything_is_stored()
    {
        using var rig = new RegistryRig(new NationalImportLimits { MaxRows = 2, MaxBytes = 400 });
        string row = "enterprise,farm,漳州市绿源蔬菜专业合作社,93350600MA2XK7L5YQ,,,\n";

        var rows = rig.Csv(ImportKinds.Parties, Header + row + row + row);
        var bytes = rig.Csv(ImportKinds.Parties, Header + new string(' ', 400));
        var json = rig.Json("""{"products":[{"name":"a"},{"name":"b"}],"traceCodes":[{"nationalTraceCode":"35060020261124000001"}]}""");

        Assert.Equal("the file has more than 2 rows (the limit); split it into several files", rows.Refusal);
        Assert.Equal("the input is larger than 400 bytes (the limit); split it into several files", bytes.Refusal);
        Assert.Equal("the document has 3 rows, more than 2 (the limit); split it into several documents", json.Refusal);
        Assert.Equal((0, 0), (rig.Count("parties"), rig.Count("products")));
    }

    [Fact]
    public void An_unknown_kind_is_refused()
    {
        using var rig = new RegistryRig();

        Assert.Equal("unknown record kind 'batches'; one of parties, products, traceCodes", rig.Csv("batches", Header).Refusal);
    }

    [Theory]
    [InlineData("{\"parties\": [", "the input is not valid JSON: line 1, byte 14 of the line")]
    [InlineData("{\"parties\": [] /* note */}", "the input is not valid JSON: line 1, byte 16 of the line")]
    [InlineData("[{\"name\": \"番茄\"}]", "the document must be an object {\"parties\":[...], \"products\":[...], \"traceCodes\":[...]}, not an array")]
    [InlineData("{\"products\": {\"name\": \"番茄\"}}", "'products' must be an array, not an object")]
    [InlineData("{\"products\": [], \"products\": []}", "'products' is given twice")]
    public void Malformed_JSON_is_refused_with_a_report(string text, string refusal)
    {
        using var rig = new RegistryRig();

        var report = rig.Json(text);

        Assert.Equal(refusal, report.Refusal);
        Assert.Equal(ImportKinds.All, report.Kind);
    }

    [Fact]
    public void JSON_rows_of_the_wrong_type_are_rejected_and_unknown_properties_warned_per_row()
    {
        using var rig = new RegistryRig();

        var report = rig.Json("""
            {
              "products": [
                { "name": "番茄", "category": "茄果类", "gtin": 6901234567908 },
                "小白菜",
                { "name": "小白菜", "category": "叶菜类", "gtin": "06901234567892", "price": "3.5", "Category": "x" },
                { "name": ["芦柑"] },
                { "name": "芦柑", "category": null },
                { "name": "芦柑", "name": "芦柑2" }
              ],
              "remarks": "exported 2026-11-24"
            }
            """);

        Assert.Equal(
            [
                (0, "$.products[0]", ImportOutcome.Rejected, "gtin", "must be a string or null, not a number (codes as numbers lose their leading zeros)"),
                (1, "$.products[1]", ImportOutcome.Rejected, null, "must be an object, not a string"),
                (2, "$.products[2]", ImportOutcome.Warned, null, null),
                (3, "$.products[3]", ImportOutcome.Rejected, "name", "must be a string or null, not an array"),
                (4, "$.products[4]", ImportOutcome.Accepted, null, null),
                (5, "$.products[5]", ImportOutcome.Rejected, "name", "is given twice"),
            ],
            report.Results.Select(r => (r.Row, r.Path!, r.Outcome, r.Field, r.Reason)));
        Assert.Equal(["unknown property 'price' ignored", "unknown property 'Category' ignored (did you mean 'category'?)"], report.Results[2].Warnings);
        Assert.Equal(["unknown property 'remarks' ignored (known: parties, products, traceCodes)"], report.Warnings);
        Assert.Equal(2, rig.Count("products"));
    }

    [Fact]
    public void No_resident_identity_number_appears_in_any_report()
    {
        using var rig = new RegistryRig();
        string[] numbers = ["11010519491231002X", "110105194912310021", "350681197503120411", "350681197503120412"];

        var reports = new[]
        {
            rig.Csv(ImportKinds.Parties, Header + """
                household,farm,王建国家庭农场,,11010519491231002X,,
                household,farm,王建国家庭农场,,11010519491231002X,,
                household,farm,李秀英家庭农场,,110105194912310021,,
                enterprise,farm,陈家庭农场,,350681197503120411,,
                household,farm,陈家庭农场,350681197503120411,,,
                350681197503120411,farm,陈家庭农场,,,,
                household,350681197503120412,陈家庭农场,,,,
                household,farm,陈家庭农场,,350681197503120411,350681197503120411,
                household,farm,陈家庭农场,,"350681197503120411, 350681197503120412",,
                household,farm,陈家庭农场,,350681197503120411,,"ZT 350681197503120411"
                """),
            rig.Json("""
                {"parties": [
                  {"kind": "household", "role": "farm", "name": "王建国家庭农场", "residentId": 110105194912310021},
                  {"kind": "household", "role": "farm", "name": "王建国家庭农场", "residentId": "11010519491231002X", "350681197503120411": "x"},
                  {"kind": "350681197503120412", "role": "farm", "name": "王建国家庭农场", "residentId": "110105194912310021"}
                ]}
                """),
            rig.Csv(ImportKinds.Parties, "kind,role,name,110105194912310021\n"),
        };

        foreach (var report in reports)
        {
            foreach (string json in new[] { NationalJson.Serialize(report), JsonSerializer.Serialize(report) })
            {
                foreach (string number in numbers)
                {
                    Assert.DoesNotContain(number, json, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain(number[6..14], json, StringComparison.Ordinal);
                }
            }
        }

        Assert.Equal("110105********002X", reports[0].Results[0].Code);
        Assert.Equal(("kind", "'350681********0411' is not one of enterprise, household"), (reports[0].Results[5].Field!, reports[0].Results[5].Reason!));
        Assert.Equal(["unknown column ignored: 110105********0021", "the file has a header row but no data rows"], reports[2].Warnings);
        Assert.Equal(ImportOutcome.Unchanged, reports[0].Results[1].Outcome);
        Assert.All(reports[0].Results.Skip(2), r => Assert.Equal(ImportOutcome.Rejected, r.Outcome));
    }
}
