using System.Text.Json.Nodes;
using Iot.Cloud.Epcis;

namespace Iot.Cloud.Tests.Epcis;

/// <summary>GS1's examples through our model and back, against GS1's schema; and proof the validation can fail.</summary>
public sealed class EpcisSchemaTests
{
    public static TheoryData<string> Examples()
    {
        var files = Directory.GetFiles(EpcisSchema.ExamplesFolder, "*.jsonld").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        var data = new TheoryData<string>();
        foreach (var file in files)
        {
            data.Add(file!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void A_GS1_example_is_valid_as_GS1_wrote_it(string file)
    {
        string original = File.ReadAllText(Path.Combine(EpcisSchema.ExamplesFolder, file));

        Assert.Empty(EpcisSchema.Validate(original));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void A_GS1_example_read_and_written_again_is_still_valid_and_says_the_same(string file)
    {
        string original = File.ReadAllText(Path.Combine(EpcisSchema.ExamplesFolder, file));

        string written = EpcisJson.Write(EpcisJson.Read(original));

        Assert.Empty(EpcisSchema.Validate(written));
        var before = JsonNode.Parse(original)!;
        var after = JsonNode.Parse(written)!;
        var differences = JsonSameness.Differences(before, after);
        Assert.True(differences.Count == 0, string.Join('\n', differences));
        var eventsBefore = before["epcisBody"]!["eventList"]!.AsArray();
        var eventsAfter = after["epcisBody"]!["eventList"]!.AsArray();
        Assert.Equal(eventsBefore.Count, eventsAfter.Count);
        Assert.Equal(SensorReports(eventsBefore), SensorReports(eventsAfter));
    }

    [Fact]
    public void Values_keep_their_written_form_and_extension_keys_survive()
    {
        string original = File.ReadAllText(Path.Combine(EpcisSchema.ExamplesFolder, "SensorDataExample1.jsonld"));

        string written = EpcisJson.Write(EpcisJson.Read(original));

        Assert.Contains("\"value\": 26.0", written, StringComparison.Ordinal);
        Assert.Contains("\"eventTime\": \"2019-04-02T15:00:00.000+01:00\"", written, StringComparison.Ordinal);
        var document = EpcisJson.Read(File.ReadAllText(Path.Combine(EpcisSchema.ExamplesFolder, "SensorDataExample12.jsonld")));
        var ilmd = Assert.IsType<TransformationEvent>(Assert.Single(document.EpcisBody.EventList)).Ilmd;
        Assert.Equal("LOTABC", ilmd!["cbvmda:lotNumber"]!.GetValue<string>());
    }

    [Fact]
    public void An_event_without_eventTimeZoneOffset_is_invalid()
    {
        var document = ValidDocument();
        document["epcisBody"]!["eventList"]![0]!.AsObject().Remove("eventTimeZoneOffset");

        Assert.NotEmpty(EpcisSchema.Validate(document.ToJsonString()));
    }

    [Fact]
    public void An_event_with_a_key_that_is_not_namespaced_is_invalid_and_a_namespaced_one_is_fine()
    {
        var namespaced = ValidDocument();
        namespaced["epcisBody"]!["eventList"]![0]!["example:myField"] = "kept";
        var bare = ValidDocument();
        bare["epcisBody"]!["eventList"]![0]!["myField"] = "refused";

        Assert.Empty(EpcisSchema.Validate(namespaced.ToJsonString()));
        Assert.Contains(EpcisSchema.Validate(bare.ToJsonString()), e => e.Contains("myField", StringComparison.Ordinal));
    }

    [Fact]
    public void A_document_with_a_key_that_is_not_namespaced_or_a_bad_bizStep_is_invalid()
    {
        var bare = ValidDocument();
        bare["batchCode"] = "refused";
        var badStep = ValidDocument();
        badStep["epcisBody"]!["eventList"]![0]!["bizStep"] = "treating";

        Assert.NotEmpty(EpcisSchema.Validate(bare.ToJsonString()));
        Assert.NotEmpty(EpcisSchema.Validate(badStep.ToJsonString()));
    }

    [Fact]
    public void NJsonSchema_on_its_own_misses_both_because_it_ignores_if_then_and_propertyNames()
    {
        // Why EpcisSchema rewrites the schema: without it, these invalid documents pass.
        var noOffset = ValidDocument();
        noOffset["epcisBody"]!["eventList"]![0]!.AsObject().Remove("eventTimeZoneOffset");
        noOffset["myField"] = "not namespaced";

        Assert.Empty(EpcisSchema.ValidateUnrewritten(noOffset.ToJsonString()));
        Assert.NotEmpty(EpcisSchema.Validate(noOffset.ToJsonString()));
    }

    static JsonObject ValidDocument()
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(EpcisSchema.ExamplesFolder, "SensorDataExample1.jsonld")))!.AsObject();
        Assert.Empty(EpcisSchema.Validate(document.ToJsonString()));
        return document;
    }

    static int SensorReports(JsonArray events) =>
        events.Sum(e => e!["sensorElementList"]?.AsArray().Sum(s => s!["sensorReport"]!.AsArray().Count) ?? 0);
}
