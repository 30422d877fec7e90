using System.Globalization;
using System.Text;
using Iot.Cloud.National;
using Iot.Cloud.Registry;
using Iot.Cloud.Storage;
using Microsoft.Data.Sqlite;

namespace Iot.Cloud.Tests.National;

/// <summary>A real registry in a fresh SQLite file in a temporary folder, deleted afterwards, and an importer over it.</summary>
sealed class RegistryRig : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"iot-national-{Guid.NewGuid():N}");

    public RegistryRig(NationalImportLimits? limits = null)
    {
        Database = CloudDatabase.Open(Path.Combine(folder, "cloud.db"));
        Registry = new RegistryStore(Database, TimeProvider.System);
        Import = new NationalImport(Registry, limits);
    }

    public CloudDatabase Database { get; }

    public RegistryStore Registry { get; }

    public NationalImport Import { get; }

    /// <summary>The sample files of cloud/Iot.Cloud/National/samples.</summary>
    public static string Sample(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Iot.sln")))
            {
                return Path.Combine(dir.FullName, "cloud", "Iot.Cloud", "National", "samples", name);
            }
        }

        throw new InvalidOperationException($"no Iot.sln above {AppContext.BaseDirectory}");
    }

    public ImportReport Csv(string kind, string text) => Import.ImportCsv(kind, new MemoryStream(Encoding.UTF8.GetBytes(text)));

    public ImportReport Json(string text) => Import.ImportJson(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    public ImportReport CsvFile(string kind, string sample)
    {
        using var file = File.OpenRead(Sample(sample));
        return Import.ImportCsv(kind, file);
    }

    public long Count(string table)
    {
        using var connection = Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public string? NationalCodeOf(string batchCode) => Registry.FindBatch(batchCode)?.NationalCode;

    /// <summary>A product and a farm enterprise, and a batch of theirs with the given code.</summary>
    public Batch Batch(string code, string gtin = "06901234567892", string? entityCode = "ZT350600000101")
    {
        var product = Registry.RegisterProduct(new ProductDraft("小白菜", "叶菜类", gtin)).Product;
        var producer = Registry.RegisterParty(new PartyDraft("enterprise", "farm", "漳州市绿源蔬菜专业合作社", "93350600MA2XK7L5YQ", null, "350602", entityCode)).Party;
        return Registry.RegisterBatch(new BatchDraft(code, product.Id, producer.Id, null, null)).Batch;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform: the temp folder is cleaned by the system.
        }
    }
}
