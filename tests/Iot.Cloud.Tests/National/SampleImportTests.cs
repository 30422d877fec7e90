using Iot.Cloud.National;
using Iot.Cloud.Registry;

namespace Iot.Cloud.Tests.National;

/// <summary>The sample files in cloud/Iot.Cloud/National/samples import as the README says.</summary>
public sealed class SampleImportTests
{
    [Fact]
    public void The_sample_files_import_with_one_suspicious_credit_code_and_a_second_import_changes_nothing()
    {
        using var rig = new RegistryRig();

        var parties = rig.CsvFile(ImportKinds.Parties, "parties.csv");
        var products = rig.CsvFile(ImportKinds.Products, "products.csv");
        RegisterSampleBatches(rig);
        var traceCodes = rig.CsvFile(ImportKinds.TraceCodes, "trace-codes.csv");

        Assert.Equal((6, 5, 1, 0), (parties.Rows, parties.Accepted, parties.Warned, parties.Rejected));
        Assert.Equal("92350681MA33PQ7R15", Assert.Single(parties.Results, r => r.Outcome == ImportOutcome.Warned).Code);
        Assert.Equal((3, 3), (products.Rows, products.Accepted));
        Assert.Equal((2, 2), (traceCodes.Rows, traceCodes.Accepted));
        Assert.Equal("35060020261124000001", rig.NationalCodeOf("K7M3Q9T2XW4A1B6W"));
        Assert.All([parties, products, traceCodes], r => Assert.Empty(r.Warnings));

        var again = new[]
        {
            rig.CsvFile(ImportKinds.Parties, "parties.csv"),
            rig.CsvFile(ImportKinds.Products, "products.csv"),
            rig.CsvFile(ImportKinds.TraceCodes, "trace-codes.csv"),
        };
        using var file = File.OpenRead(RegistryRig.Sample("national.json"));
        var json = rig.Import.ImportJson(file);

        Assert.All(again.Append(json), report => Assert.All(report.Results, r => Assert.Equal(ImportOutcome.Unchanged, r.Outcome)));
        Assert.Equal(7, json.Rows);
        Assert.Equal((6, 3), (rig.Count("parties"), rig.Count("products")));
    }

    [Fact]
    public void The_sample_JSON_document_imports_on_its_own()
    {
        using var rig = new RegistryRig();
        using (var products = File.OpenRead(RegistryRig.Sample("products.csv")))
        {
            rig.Import.ImportCsv(ImportKinds.Products, products);
        }

        // The batches need their producer: the JSON brings it, so register it the way the JSON does first.
        rig.Registry.RegisterParty(new PartyDraft("enterprise", "farm", "漳州市绿源蔬菜专业合作社", "93350600MA2XK7L5YQ", null, "350602", "ZT350600000101"));
        RegisterSampleBatches(rig);
        using var file = File.OpenRead(RegistryRig.Sample("national.json"));

        var report = rig.Import.ImportJson(file);

        Assert.Equal((7, 3, 3, 1, 0), (report.Rows, report.Accepted, report.Unchanged, report.Warned, report.Rejected));
        Assert.Equal(
            ["$.parties[0]", "$.parties[1]", "$.parties[2]", "$.products[0]", "$.products[1]", "$.traceCodes[0]", "$.traceCodes[1]"],
            report.Results.Select(r => r.Path));
        Assert.Equal("110105********002X", report.Results[2].Code);
    }

    static void RegisterSampleBatches(RegistryRig rig)
    {
        var producer = rig.Registry.ListParties("93350600MA2XK7L5YQ").Single();
        var products = rig.Registry.ListProducts();
        rig.Registry.RegisterBatch(new BatchDraft("K7M3Q9T2XW4A1B6W", products.Single(p => p.Name == "小白菜").Id, producer.Id, null, null));
        rig.Registry.RegisterBatch(new BatchDraft("H2N8P4R6T1U3W5YM", products.Single(p => p.Name == "番茄").Id, producer.Id, null, null));
    }
}
