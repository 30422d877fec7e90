using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Iot.Contracts.Json;
using Iot.Contracts.Messages;

namespace Iot.Contracts.Tests.Vectors;

/// <summary>
/// The JSON Schemas and the C# types describe the same messages: the same property names, and the same ones required.
/// A property added to one and not the other fails here.
/// </summary>
public class SchemaAgreementTests
{
    public static TheoryData<string, string, Type> Shapes => new()
    {
        { "readings", "", typeof(ReadingsMessage) },
        { "readings", "reading", typeof(Reading) },
        { "events", "", typeof(EventsMessage) },
        { "events", "batchEntered", typeof(BatchEnteredEvent) },
        { "events", "batchLeft", typeof(BatchLeftEvent) },
        { "events", "crateAssociated", typeof(CrateAssociatedEvent) },
        { "events", "crateRemoved", typeof(CrateRemovedEvent) },
        { "events", "weighed", typeof(WeighedEvent) },
        { "events", "inputApplied", typeof(InputAppliedEvent) },
        { "status", "", typeof(StatusMessage) },
        { "command", "set-batch", typeof(SetBatchCommand) },
        { "command", "tare", typeof(TareCommand) },
        { "command", "report-status", typeof(ReportStatusCommand) },
        { "cmd-result", "", typeof(CommandResultMessage) },
        { "common", "tag", typeof(CrateTag) },
        { "common", "massAmount", typeof(QuantityValue) },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Schema_and_type_have_the_same_properties_and_the_same_required_ones(string schema, string definition, Type type)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Schemas, $"{schema}.schema.json")));
        var node = definition.Length == 0 ? doc.RootElement : doc.RootElement.GetProperty("definitions").GetProperty(definition);
        var schemaProps = node.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        var schemaRequired = node.TryGetProperty("required", out var req) ? req.EnumerateArray().Select(r => r.GetString()!).ToHashSet() : [];

        JsonTypeInfo info = ContractJsonContext.Default.GetTypeInfo(type) ?? throw new InvalidOperationException($"no JSON contract for {type}");
        var typeProps = info.Properties.Select(p => p.Name).ToHashSet();
        var typeRequired = info.Properties.Where(p => p.IsRequired).Select(p => p.Name).ToHashSet();

        // The discriminator ("type" of events, "name" of commands) is metadata to System.Text.Json, a property to the schema.
        string? discriminator = type.IsSubclassOf(typeof(TraceEvent)) ? "type" : type.IsSubclassOf(typeof(CommandMessage)) ? "name" : null;
        if (discriminator is not null)
        {
            Assert.Contains(discriminator, schemaRequired);
            typeProps.Add(discriminator);
            typeRequired.Add(discriminator);
        }

        Assert.Equal(schemaProps.Order(), typeProps.Order());
        Assert.Equal(schemaRequired.Order(), typeRequired.Order());
    }

    [Fact]
    public void Every_measurement_type_and_unit_pairing_agrees_with_the_schema()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Schemas, "readings.schema.json")));
        var branches = doc.RootElement.GetProperty("definitions").GetProperty("reading").GetProperty("allOf")[0].GetProperty("oneOf");
        var fromSchema = branches.EnumerateArray().ToDictionary(
            b => b.GetProperty("properties").GetProperty("type").GetProperty("enum")[0].GetString()!,
            b => b.GetProperty("properties").GetProperty("unit").GetProperty("enum").EnumerateArray().Select(u => u.GetString()!).ToList());

        var fromCode = Enum.GetValues<MeasurementType>().ToDictionary(
            t => t.ToString(),
            t => MeasurementTypes.UnitsOf(t).Select(u => u.Code()).ToList());

        Assert.Equal(fromCode.Keys.Order(), fromSchema.Keys.Order());
        foreach (var (type, units) in fromCode)
        {
            Assert.Equal(units, fromSchema[type]);
        }
    }
}
