using Iot.Cloud.National;

namespace Iot.Cloud.Tests.National;

public sealed class TraceCodeImportTests
{
    [Fact]
    public void Trace_codes_link_registered_batches_and_never_invent_or_steal_one()
    {
        using var rig = new RegistryRig();
        rig.Batch("K7M3Q9T2XW4A1B6W");
        rig.Batch("H2N8P4R6T1U3W5YM");
        rig.Registry.LinkNationalCode("H2N8P4R6T1U3W5YM", "35060020261124000009");

        var report = rig.Csv(ImportKinds.TraceCodes, """
            nationalTraceCode,batchCode,nationalEntityCode,productName,gtin
            35060020261124000001,K7M3Q9T2XW4A1B6W,ZT350600000101,小白菜,06901234567892
            35060020261124000001,K7M3Q9T2XW4A1B6W,,,
            3506-0020/2611,K7M3Q9T2XW4A1B6W,,,
            35060020261124000003,A1B2C3D4E5F6G7HL,,,
            35060020261124000009,K7M3Q9T2XW4A1B6W,,,
            35060020261124000004,H2N8P4R6T1U3W5YM,,,
            35060020261124000009,,,,
            35060020261124000005,,,,
            """);

        Assert.Equal((8, 1, 2, 0, 5), (report.Rows, report.Accepted, report.Unchanged, report.Warned, report.Rejected));
        Assert.Equal(
            [
                (ImportOutcome.Accepted, null, null),
                (ImportOutcome.Unchanged, null, null),
                (ImportOutcome.Rejected, "nationalTraceCode", "national code: character '/' at position 10 is not allowed; allowed are 0-9, A-Z, a-z, '-', '.' and '_'"),
                (ImportOutcome.Rejected, "batchCode", "batch A1B2C3D4E5F6G7HL is not registered; batches are not invented: register it, then import its code again"),
                (ImportOutcome.Rejected, "nationalTraceCode", "35060020261124000009 is already linked to batch H2N8P4R6T1U3W5YM"),
                (ImportOutcome.Rejected, "batchCode", "batch H2N8P4R6T1U3W5YM is already linked to national trace code 35060020261124000009; the import does not relink (PUT /api/batches/H2N8P4R6T1U3W5YM/national-code does)"),
                (ImportOutcome.Unchanged, null, null),
                (ImportOutcome.Rejected, "batchCode", "is empty and the national trace code is linked to no batch; batches are not invented: register the batch, then import its code again"),
            ],
            report.Results.Select(r => (r.Outcome, r.Field, r.Reason)));
        Assert.Equal(("K7M3Q9T2XW4A1B6W", "35060020261124000001"), (report.Results[0].Id, report.Results[0].Code));
        Assert.Equal("H2N8P4R6T1U3W5YM", report.Results[6].Id);

        Assert.Equal("35060020261124000001", rig.NationalCodeOf("K7M3Q9T2XW4A1B6W"));
        Assert.Equal("35060020261124000009", rig.NationalCodeOf("H2N8P4R6T1U3W5YM"));
        Assert.Equal(2, rig.Count("batches"));
        Assert.Null(rig.Registry.FindBatch("A1B2C3D4E5F6G7HL"));
    }

    [Fact]
    public void The_producer_and_product_named_by_the_platform_are_checked_against_the_batch()
    {
        using var rig = new RegistryRig();
        rig.Batch("K7M3Q9T2XW4A1B6W");

        var report = rig.Csv(ImportKinds.TraceCodes, """
            nationalTraceCode,batchCode,nationalEntityCode,productName,gtin
            35060020261124000001,K7M3Q9T2XW4A1B6W,ZT350600000999,,
            35060020261124000001,K7M3Q9T2XW4A1B6W,,,06901234567908
            35060020261124000001,k7m3q9t2xw4a1b6w,ZT350600000101,青菜,6901234567892
            """);

        Assert.Equal(
            [
                (ImportOutcome.Rejected, "nationalEntityCode"),
                (ImportOutcome.Rejected, "gtin"),
                (ImportOutcome.Warned, null),
            ],
            report.Results.Select(r => (r.Outcome, r.Field)));
        Assert.Equal("batch K7M3Q9T2XW4A1B6W was produced by party 1, whose national entity code is ZT350600000101, not ZT350600000999", report.Results[0].Reason);
        Assert.Equal("batch K7M3Q9T2XW4A1B6W is of product 1 with GTIN 06901234567892, not 06901234567908", report.Results[1].Reason);
        Assert.Equal(["productName: batch K7M3Q9T2XW4A1B6W is of '小白菜', the row says '青菜'"], report.Results[2].Warnings);
        Assert.Equal("35060020261124000001", rig.NationalCodeOf("K7M3Q9T2XW4A1B6W"));
    }

    [Fact]
    public void Products_are_registered_once_by_GTIN()
    {
        using var rig = new RegistryRig();
        const string Products = """
            name,category,gtin
            小白菜,叶菜类,06901234567892
            番茄,茄果类,6901234567908
            "芦柑, 一级",柑橘类,
            青菜,叶菜类,06901234567892
            菠菜,叶菜类,06901234567891
            """;

        var first = rig.Csv(ImportKinds.Products, Products);
        var second = rig.Csv(ImportKinds.Products, Products);

        Assert.Equal((5, 3, 1, 0, 1), (first.Rows, first.Accepted, first.Unchanged, first.Warned, first.Rejected));
        Assert.Equal("06901234567908", first.Results[1].Code);
        Assert.Equal("芦柑, 一级", rig.Registry.FindProduct(3)!.Name);
        Assert.Equal(["name: the product with GTIN 06901234567892 is registered as '小白菜', the row says '青菜'; kept as registered"], first.Results[3].Warnings);
        Assert.Equal("gtin", first.Results[4].Field);
        Assert.Equal((0, 4, 1), (second.Accepted, second.Unchanged, second.Rejected));
        Assert.Equal(3, rig.Count("products"));
    }
}
