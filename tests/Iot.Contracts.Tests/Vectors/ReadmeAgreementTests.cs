using System.Text.RegularExpressions;
using Iot.Contracts.Json;
using Iot.Contracts.Messages;

namespace Iot.Contracts.Tests.Vectors;

/// <summary>firmware-contracts/README.md is what a firmware engineer reads: it must say what the code and schemas do.</summary>
public partial class ReadmeAgreementTests
{
    static readonly string Readme = File.ReadAllText(Path.Combine(RepoPaths.Contracts, "README.md"));

    [Fact]
    public void Names_every_schema_and_every_topic()
    {
        foreach (string schema in new[] { MessageSchemas.Readings, MessageSchemas.Events, MessageSchemas.Status, MessageSchemas.Command, MessageSchemas.CommandResult })
        {
            Assert.Contains($"`{schema}`", Readme, StringComparison.Ordinal);
        }

        foreach (var kind in Enum.GetValues<Iot.Contracts.Topics.TopicKind>())
        {
            string command = kind == Iot.Contracts.Topics.TopicKind.Command ? "NAME" : null!;
            string topic = Iot.Contracts.Topics.Topic.For(kind, "GW", command).ToString()
                .Replace("GW", "{gatewayId}", StringComparison.Ordinal).Replace("NAME", "{name}", StringComparison.Ordinal);
            Assert.Contains(topic, Readme, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Its_measurement_table_is_the_code_s_unit_table()
    {
        var rows = MeasurementRow().Matches(Readme).ToDictionary(
            m => m.Groups["type"].Value,
            m => UnitCode().Matches(m.Groups["units"].Value).Select(u => u.Groups[1].Value).ToList());

        Assert.Equal(Enum.GetValues<MeasurementType>().Select(t => t.ToString()).Order(), rows.Keys.Order());
        foreach (var type in Enum.GetValues<MeasurementType>())
        {
            Assert.Equal(MeasurementTypes.UnitsOf(type).Select(u => u.Code()), rows[type.ToString()]);
        }
    }

    [Fact]
    public void Names_every_event_kind_command_and_enumerated_value()
    {
        foreach (string kind in new[] { "batchEntered", "batchLeft", "crateAssociated", "crateRemoved", "weighed", "inputApplied" })
        {
            Assert.Contains($"`{kind}`", Readme, StringComparison.Ordinal);
        }

        foreach (string name in CommandNames.All)
        {
            Assert.Contains($"`{name}`", Readme, StringComparison.Ordinal);
        }

        AssertNamesAll(ContractJsonContext.Default.ClockState);
        AssertNamesAll(ContractJsonContext.Default.ReadingQuality);
        AssertNamesAll(ContractJsonContext.Default.BatchSource);
        AssertNamesAll(ContractJsonContext.Default.InputKind);
        AssertNamesAll(ContractJsonContext.Default.GatewayState);
        AssertNamesAll(ContractJsonContext.Default.SensorCondition);
        AssertNamesAll(ContractJsonContext.Default.CommandOutcome);
    }

    static void AssertNamesAll<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            string wire = System.Text.Json.JsonSerializer.Serialize(value, info).Trim('"');
            Assert.Contains($"`{wire}`", Readme, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"^\| `(?<type>[A-Z][A-Za-z]+)` \| [^|]+ \| (?<units>[^|]+) \|$", RegexOptions.Multiline)]
    private static partial Regex MeasurementRow();

    [GeneratedRegex("`([A-Z0-9]+)`")]
    private static partial Regex UnitCode();
}
