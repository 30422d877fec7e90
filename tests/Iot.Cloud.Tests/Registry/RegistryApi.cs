using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Iot.Cloud.Tests.Registry;

/// <summary>What the registry's API tests do again and again: post a record, register a farm's batch.</summary>
internal static class RegistryApi
{
    /// <summary>POSTs <paramref name="body"/> as JSON and returns the answer, asserting it is a success.</summary>
    public static async Task<JsonNode> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>States a trace event through <c>POST /api/events</c>.</summary>
    public static Task<JsonNode> EventAsync(HttpClient http, string type, DateTimeOffset time, string? zone, JsonObject details) =>
        PostAsync(http, "/api/events", new { type, time, zone, details });

    /// <summary>Registers a farm (credit code vector), a product (番茄) and the batch <paramref name="code"/>; returns the farm's id.</summary>
    public static async Task<long> RegisterFarmBatchAsync(HttpClient http, string code)
    {
        long farm = (await PostAsync(http, "/api/parties", new { kind = "enterprise", role = "farm", name = "绿源合作社", creditCode = "91350200776049653A" }))["party"]!["id"]!.GetValue<long>();
        await RegisterBatchAsync(http, code, farm);
        return farm;
    }

    /// <summary>Registers a product (番茄) and the batch <paramref name="code"/> of <paramref name="producer"/>.</summary>
    public static async Task RegisterBatchAsync(HttpClient http, string code, long producer)
    {
        long product = (await PostAsync(http, "/api/products", new { name = "番茄" }))["id"]!.GetValue<long>();
        await PostAsync(http, "/api/batches", new { code, productId = product, producerId = producer });
    }
}
