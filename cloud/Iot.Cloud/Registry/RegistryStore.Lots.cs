using Dapper;

namespace Iot.Cloud.Registry;

/// <summary>Finding products and batches by their GS1 keys, as a GS1 Digital Link names them (AI 01, AI 10).</summary>
public sealed partial class RegistryStore
{
    /// <summary>The product with GTIN <paramref name="gtin14"/> (14 digits, as stored), or null.</summary>
    public Product? FindProductByGtin(string gtin14)
    {
        using var connection = database.Connect();
        return connection.QuerySingleOrDefault<ProductRow>("SELECT id, name, category, gtin, created_at FROM products WHERE gtin = @gtin14", new { gtin14 })?.ToProduct();
    }

    /// <summary>
    /// The batches of product <paramref name="productId"/> with GS1 lot <paramref name="lot"/> (exact, case-sensitive
    /// as GS1 lots are), oldest first. Usually one; a lot given twice for one product gives several.
    /// </summary>
    public IReadOnlyList<Batch> FindBatchesByLot(long productId, string lot)
    {
        using var connection = database.Connect();
        return connection.Query<BatchRow>(
                $"SELECT {BatchColumns} FROM batches WHERE product_id = @productId AND lot = @lot ORDER BY created_at, code",
                new { productId, lot })
            .Select(r => r.ToBatch())
            .ToList();
    }
}
