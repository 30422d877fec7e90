using System.Collections.Frozen;
using System.Text.Json;
using Iot.Contracts.Json;
using Iot.Contracts.Messages;

namespace Iot.Contracts.Validation;

/// <summary>The words the contract uses on the wire, for error messages that say what was expected.</summary>
internal static class ContractVocabulary
{
    static readonly FrozenDictionary<string, string> ExpectedByProperty = new Dictionary<string, string>
    {
        ["type"] = OneOf(ContractJsonContext.Default.MeasurementType),
        ["unit"] = OneOf(ContractJsonContext.Default.Unit),
        ["clock"] = OneOf(ContractJsonContext.Default.ClockState),
        ["quality"] = OneOf(ContractJsonContext.Default.ReadingQuality),
        ["by"] = OneOf(ContractJsonContext.Default.BatchSource),
        ["input"] = OneOf(ContractJsonContext.Default.InputKind),
        ["state"] = OneOf(ContractJsonContext.Default.GatewayState),
        ["condition"] = OneOf(ContractJsonContext.Default.SensorCondition),
        ["outcome"] = OneOf(ContractJsonContext.Default.CommandOutcome),
        ["value"] = "must be a number",
        ["oldestAgeSeconds"] = "must be a number",
        ["seq"] = "must be a whole number",
        ["depth"] = "must be a whole number",
        ["droppedReadings"] = "must be a whole number",
        ["failedReads"] = "must be a whole number",
        ["time"] = "must be a timestamp string like 2026-11-24T09:27:19.123Z",
        ["issuedAt"] = "must be a timestamp string like 2026-11-24T09:27:19.123Z",
        ["expiresAt"] = "must be a timestamp string like 2026-11-24T09:27:19.123Z",
        ["lastGood"] = "must be a timestamp string like 2026-11-24T09:27:19.123Z",
        ["readings"] = "must be an array",
        ["events"] = "must be an array",
        ["traceCodes"] = "must be an array of trace code strings",
        ["sensors"] = "must be an array",
        ["crate"] = "must be an object with \"epc\" or \"uid\"",
        ["card"] = "must be an object with \"epc\" or \"uid\"",
        ["net"] = "must be an object with \"value\" and \"unit\"",
        ["tare"] = "must be an object with \"value\" and \"unit\"",
        ["amount"] = "must be an object with \"value\" and \"unit\"",
        ["outbox"] = "must be an object",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>What the value at <paramref name="path"/> (e.g. <c>$.readings[0].type</c>) must look like on the wire.</summary>
    public static string ExpectedAt(string? path)
    {
        string name = path ?? string.Empty;
        name = name[(name.LastIndexOf('.') + 1)..];
        int bracket = name.IndexOf('[', StringComparison.Ordinal);
        bool inArray = bracket >= 0;
        if (inArray)
        {
            name = name[..bracket];
        }

        if (inArray && name == "traceCodes")
        {
            return "must be a trace code string";
        }

        if (!inArray && ExpectedByProperty.TryGetValue(name, out var expected))
        {
            return expected;
        }

        return name.Length > 0 && name != "$" ? "must be a string" : "must be a JSON object";
    }

    /// <summary>The property that names a trace event's kind, and its values.</summary>
    public const string EventKinds =
        "a trace event names its kind in \"type\", one of batchEntered, batchLeft, crateAssociated, crateRemoved, weighed, inputApplied";

    static string OneOf<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : struct, Enum =>
        "must be one of " + string.Join(", ", Enum.GetValues<T>().Select(v => JsonSerializer.Serialize(v, typeInfo)));
}
