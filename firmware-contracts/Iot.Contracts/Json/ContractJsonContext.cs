using System.Text.Json;
using System.Text.Json.Serialization;
using Iot.Contracts.Messages;

namespace Iot.Contracts.Json;

/// <summary>
/// System.Text.Json source generation for every contract message: no reflection, trim and AOT safe.
/// Strict on input: unknown properties, missing required ones, duplicate keys, nulls where the contract has none,
/// and numbers in strings are all refused, matching the JSON Schemas' <c>additionalProperties: false</c>.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowOutOfOrderMetadataProperties = true,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(ReadingsMessage))]
[JsonSerializable(typeof(EventsMessage))]
[JsonSerializable(typeof(StatusMessage))]
[JsonSerializable(typeof(CommandMessage))]
[JsonSerializable(typeof(CommandResultMessage))]
public sealed partial class ContractJsonContext : JsonSerializerContext;
