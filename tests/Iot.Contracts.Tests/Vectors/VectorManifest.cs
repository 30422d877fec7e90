using System.Text.Json;

namespace Iot.Contracts.Tests.Vectors;

/// <summary>One golden vector as <c>firmware-contracts/vectors/manifest.json</c> lists it.</summary>
public sealed record Vector(string File, string Schema, string Topic, string? Why, string? Path, bool SchemaCatches)
{
    public string FullPath => System.IO.Path.Combine(RepoPaths.Vectors, File);

    public byte[] Bytes => System.IO.File.ReadAllBytes(FullPath);

    public string SchemaPath => System.IO.Path.Combine(RepoPaths.Schemas, $"{Schema}.schema.json");

    public override string ToString() => File;
}

internal static class VectorManifest
{
    static readonly Lazy<(IReadOnlyList<Vector> Valid, IReadOnlyList<Vector> Invalid)> Loaded = new(Load);

    public static IReadOnlyList<Vector> Valid => Loaded.Value.Valid;

    public static IReadOnlyList<Vector> Invalid => Loaded.Value.Invalid;

    public static TheoryData<string> ValidFiles => Files(Valid);

    public static TheoryData<string> InvalidFiles => Files(Invalid);

    public static Vector Find(string file) =>
        Valid.Concat(Invalid).Single(v => v.File == file);

    static TheoryData<string> Files(IEnumerable<Vector> vectors)
    {
        var data = new TheoryData<string>();
        foreach (var v in vectors)
        {
            data.Add(v.File);
        }

        return data;
    }

    static (IReadOnlyList<Vector>, IReadOnlyList<Vector>) Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(RepoPaths.Vectors, "manifest.json")));
        return (Read(doc.RootElement.GetProperty("valid")), Read(doc.RootElement.GetProperty("invalid")));
    }

    static List<Vector> Read(JsonElement list) =>
        list.EnumerateArray().Select(e => new Vector(
            e.GetProperty("file").GetString()!,
            e.GetProperty("schema").GetString()!,
            e.GetProperty("topic").GetString()!,
            e.TryGetProperty("why", out var why) ? why.GetString() : null,
            e.TryGetProperty("path", out var path) ? path.GetString() : null,
            !e.TryGetProperty("schemaCatches", out var catches) || catches.GetBoolean())).ToList();
}
