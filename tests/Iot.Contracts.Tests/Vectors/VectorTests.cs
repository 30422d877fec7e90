using System.Text.Json.Nodes;
using Iot.Contracts.Validation;

namespace Iot.Contracts.Tests.Vectors;

/// <summary>
/// The golden vectors are the contract's test suite for every implementation. Here they are checked against the JSON
/// Schemas and through the C# types, both ways: every valid vector passes both and survives a C# round trip
/// unchanged; every invalid vector is refused by the C# contract with a reason at the path the manifest names, and by
/// the schema wherever the manifest says JSON Schema can see the fault.
/// </summary>
public class VectorTests
{
    public static TheoryData<string> Valid => VectorManifest.ValidFiles;

    public static TheoryData<string> Invalid => VectorManifest.InvalidFiles;

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_vector_passes_its_schema(string file)
    {
        var v = VectorManifest.Find(file);
        Assert.Empty(SchemaValidator.Validate(v.SchemaPath, v.Bytes));
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_vector_reads_and_writes_back_unchanged(string file)
    {
        var v = VectorManifest.Find(file);
        var result = ContractReader.Read(v.Topic, v.Bytes);
        Assert.True(result.IsValid, result.Reason);

        byte[] written = ContractWriter.Write(result.Message!);
        var original = JsonNode.Parse(v.Bytes);
        var roundTripped = JsonNode.Parse(written);
        Assert.True(JsonNode.DeepEquals(original, roundTripped),
            $"round trip changed the message:\n{original?.ToJsonString()}\n{roundTripped?.ToJsonString()}");

        // What C# writes is itself valid against the schema.
        Assert.Empty(SchemaValidator.Validate(v.SchemaPath, written));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_vector_is_refused_by_the_contract_with_a_reason_at_its_path(string file)
    {
        var v = VectorManifest.Find(file);
        var result = ContractReader.Read(v.Topic, v.Bytes);
        Assert.False(result.IsValid, $"{file} was accepted; it should not be: {v.Why}");
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
        Assert.Contains(result.Errors, e => e.Path.StartsWith(v.Path!, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_vector_is_refused_by_the_schema_exactly_where_the_manifest_says_it_can_be(string file)
    {
        var v = VectorManifest.Find(file);
        var schemaErrors = SchemaValidator.Validate(v.SchemaPath, v.Bytes);
        if (v.SchemaCatches)
        {
            Assert.NotEmpty(schemaErrors);
        }
        else
        {
            // Check characters, topic agreement and duplicate keys are beyond JSON Schema: the manifest must say so honestly.
            Assert.Empty(schemaErrors);
        }
    }

    [Fact]
    public void Every_vector_file_is_in_the_manifest_and_every_invalid_one_says_why()
    {
        var listed = VectorManifest.Valid.Concat(VectorManifest.Invalid).Select(v => v.File).ToHashSet();
        var onDisk = Directory.EnumerateFiles(RepoPaths.Vectors, "*.json", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoPaths.Vectors, p).Replace('\\', '/'))
            .Where(p => p != "manifest.json")
            .ToHashSet();
        Assert.Equal(onDisk.Order(), listed.Order());
        Assert.All(VectorManifest.Valid, v => Assert.StartsWith("valid/", v.File, StringComparison.Ordinal));
        Assert.All(VectorManifest.Invalid, v =>
        {
            Assert.StartsWith("invalid/", v.File, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(v.Why), $"{v.File} does not say why it is invalid");
            Assert.False(string.IsNullOrWhiteSpace(v.Path), $"{v.File} does not name the path of its fault");
        });
    }
}
