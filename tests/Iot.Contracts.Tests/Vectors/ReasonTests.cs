using Iot.Contracts.Validation;

namespace Iot.Contracts.Tests.Vectors;

/// <summary>A refusal is only useful if a person can act on it: these reasons are asserted word for word where it matters.</summary>
public class ReasonTests
{
    [Theory]
    [InlineData("invalid/readings-trace-code-check-character.json", "$.readings[0].traceCodes[0]", "batch trace code check character is '4', expected '3'")]
    [InlineData("invalid/readings-trace-code-letter-o.json", "$.readings[0].traceCodes[0]", "character 'O' at position 13 is not allowed (did you mean '0'?)")]
    [InlineData("invalid/readings-wrong-unit.json", "$.readings[0].unit", "unit P1 does not measure Temperature; use CEL")]
    [InlineData("invalid/readings-gateway-differs-from-topic.json", "$.gatewayId", "payload gateway id 'gw-farm1-01' differs from topic gateway id 'gw-farm2-07'")]
    [InlineData("invalid/readings-misspelled-property.json", "$.readings[0].trace_codes", "unknown property 'trace_codes'")]
    [InlineData("invalid/readings-unknown-type.json", "$.readings[0].type", "must be one of \"Temperature\", \"RelativeHumidity\"")]
    [InlineData("invalid/readings-time-with-offset.json", "$.readings[0].time", "a timestamp must be UTC with milliseconds")]
    [InlineData("invalid/readings-bad-with-value.json", "$.readings[0].value", "a bad reading has no value")]
    [InlineData("invalid/readings-seq-zero.json", "$.seq", "seq must be 1 to 9007199254740991")]
    [InlineData("invalid/readings-nan-value.json", "$.readings[0].value", "not valid JSON")]
    [InlineData("invalid/readings-duplicate-key.json", "$.seq", "appears twice")]
    [InlineData("invalid/events-pesticide-without-registration.json", "$.events[0].registrationNumber", "registration number (农药登记证号)")]
    [InlineData("invalid/events-epc-unknown-header.json", "$.events[0].crate.epc", "header 0xE2 is neither SGTIN-96 (0x30) nor SSCC-96 (0x31)")]
    [InlineData("invalid/events-unknown-type.json", "$.events[0]", "unknown kind 'teleported': a trace event names its kind in \"type\"")]
    [InlineData("invalid/command-name-differs-from-topic.json", "$.name", "command 'tare' arrived on the topic of command 'set-batch'")]
    public void Refusal_names_the_place_and_the_fault(string file, string path, string reasonPart)
    {
        var v = VectorManifest.Find(file);
        var result = ContractReader.Read(v.Topic, v.Bytes);
        Assert.Contains(result.Errors, e => e.Path == path && e.Reason.Contains(reasonPart, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_refusal_is_free_of_dotnet_type_names()
    {
        foreach (var v in VectorManifest.Invalid)
        {
            var result = ContractReader.Read(v.Topic, v.Bytes);
            Assert.All(result.Errors, e => Assert.DoesNotContain("Iot.Contracts", e.Reason, StringComparison.Ordinal));
            Assert.All(result.Errors, e => Assert.DoesNotContain("System.", e.Reason, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Reasons_are_listed_for_review()
    {
        var lines = VectorManifest.Invalid.Select(v => $"{v.File}\n    {ContractReader.Read(v.Topic, v.Bytes).Reason}");
        File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "vector-reasons.txt"), lines);
        Assert.Equal(VectorManifest.Invalid.Count, lines.Count());
    }
}
