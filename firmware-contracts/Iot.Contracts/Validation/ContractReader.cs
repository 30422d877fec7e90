using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Iot.Contracts.Json;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;

namespace Iot.Contracts.Validation;

/// <summary>
/// Reads messages off the wire: size, JSON, types, then every rule of the contract (see <see cref="MessageRules"/>),
/// and, given the topic, that topic and payload agree. Never throws on input; every refusal names what is wrong.
/// </summary>
public static partial class ContractReader
{
    /// <summary>Reads a payload that arrived on <paramref name="topic"/>; the topic decides which message it must be.</summary>
    public static ContractResult<ContractMessage> Read(string? topic, ReadOnlySpan<byte> payload)
    {
        if (!Topic.TryParse(topic, out var parsed, out var topicError))
        {
            return ContractResult<ContractMessage>.Invalid("topic", topicError);
        }

        var result = parsed.Kind switch
        {
            TopicKind.Readings => Widen(Read(payload, ContractJsonContext.Default.ReadingsMessage)),
            TopicKind.Events => Widen(Read(payload, ContractJsonContext.Default.EventsMessage)),
            TopicKind.Status => Widen(Read(payload, ContractJsonContext.Default.StatusMessage)),
            TopicKind.Command => Widen(Read(payload, ContractJsonContext.Default.CommandMessage)),
            _ => Widen(Read(payload, ContractJsonContext.Default.CommandResultMessage)),
        };

        if (result.Message is null)
        {
            return result;
        }

        var errors = new List<ContractError>();
        if (!string.Equals(result.Message.GatewayId, parsed.GatewayId, StringComparison.Ordinal))
        {
            errors.Add(new ContractError("$.gatewayId",
                $"payload gateway id '{result.Message.GatewayId}' differs from topic gateway id '{parsed.GatewayId}'; a gateway speaks only for itself"));
        }

        if (result.Message is CommandMessage command && !string.Equals(command.Name, parsed.CommandName, StringComparison.Ordinal))
        {
            errors.Add(new ContractError("$.name", $"command '{command.Name}' arrived on the topic of command '{parsed.CommandName}'"));
        }

        return errors.Count == 0 ? result : ContractResult<ContractMessage>.Invalid(errors);
    }

    /// <summary>Reads a readings message.</summary>
    public static ContractResult<ReadingsMessage> ReadReadings(ReadOnlySpan<byte> payload) => Read(payload, ContractJsonContext.Default.ReadingsMessage);

    /// <summary>Reads an events message.</summary>
    public static ContractResult<EventsMessage> ReadEvents(ReadOnlySpan<byte> payload) => Read(payload, ContractJsonContext.Default.EventsMessage);

    /// <summary>Reads a status message.</summary>
    public static ContractResult<StatusMessage> ReadStatus(ReadOnlySpan<byte> payload) => Read(payload, ContractJsonContext.Default.StatusMessage);

    /// <summary>Reads a command.</summary>
    public static ContractResult<CommandMessage> ReadCommand(ReadOnlySpan<byte> payload) => Read(payload, ContractJsonContext.Default.CommandMessage);

    /// <summary>Reads a command result.</summary>
    public static ContractResult<CommandResultMessage> ReadCommandResult(ReadOnlySpan<byte> payload) => Read(payload, ContractJsonContext.Default.CommandResultMessage);

    static ContractResult<T> Read<T>(ReadOnlySpan<byte> payload, JsonTypeInfo<T> typeInfo)
        where T : ContractMessage
    {
        if (payload.IsEmpty)
        {
            return ContractResult<T>.Invalid("$", "payload is empty");
        }

        if (payload.Length > MessageSchemas.MaxPayloadBytes)
        {
            return ContractResult<T>.Invalid("$", $"payload is {payload.Length} bytes; the most allowed is {MessageSchemas.MaxPayloadBytes}");
        }

        T? message;
        try
        {
            message = JsonSerializer.Deserialize(payload, typeInfo);
        }
        catch (JsonException e)
        {
            return ContractResult<T>.Invalid(e.Path ?? "$", Explain(e, typeof(T)));
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException or FormatException or OverflowException)
        {
            // System.Text.Json reports a missing or unknown polymorphic discriminator this way; the path is in the text.
            var path = PathInMessage().Match(e.Message);
            string reason = e.Message.Contains("discriminator", StringComparison.OrdinalIgnoreCase)
                ? UnknownKind(e.Message, typeof(T))
                : $"payload does not fit this message: {e.Message}";
            return ContractResult<T>.Invalid(path.Success ? path.Groups["path"].Value : "$", reason);
        }

        if (message is null)
        {
            return ContractResult<T>.Invalid("$", "payload is JSON null, not a message object");
        }

        var errors = MessageRules.Check(message);
        return errors.Count == 0 ? ContractResult<T>.Valid(message) : ContractResult<T>.Invalid(errors);
    }

    static ContractResult<ContractMessage> Widen<T>(ContractResult<T> result)
        where T : ContractMessage =>
        result.Message is { } message ? ContractResult<ContractMessage>.Valid(message) : ContractResult<ContractMessage>.Invalid(result.Errors);

    /// <summary>Turns System.Text.Json's messages, which name .NET types, into the contract's words.</summary>
    internal static string Explain(JsonException e, Type messageType)
    {
        string text = e.Message;
        int cut = text.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            text = text[..cut];
        }

        if (e.InnerException?.GetType().Name == "JsonReaderException")
        {
            return $"not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {text}";
        }

        if (MissingRequired().Match(text) is { Success: true } missing)
        {
            return $"missing required property {missing.Groups["names"].Value}";
        }

        if (Unmapped().Match(text) is { Success: true } unmapped)
        {
            return $"unknown property '{unmapped.Groups["name"].Value}'";
        }

        if (text.Contains("discriminator", StringComparison.OrdinalIgnoreCase))
        {
            return UnknownKind(text, messageType);
        }

        if (text.Contains("could not be converted", StringComparison.Ordinal))
        {
            return ContractVocabulary.ExpectedAt(e.Path);
        }

        if (text.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "a property appears twice in one object";
        }

        if (text.Contains("null", StringComparison.OrdinalIgnoreCase) && text.Contains("non-nullable", StringComparison.OrdinalIgnoreCase))
        {
            return "null is not allowed here";
        }

        return text;
    }

    static string UnknownKind(string text, Type messageType)
    {
        var id = DiscriminatorId().Match(text);
        string which = id.Success ? $"unknown kind '{id.Groups["id"].Value}'" : "the kind is missing";
        return messageType == typeof(CommandMessage)
            ? $"{which}: a command names itself in \"name\", one of {string.Join(", ", CommandNames.All)}"
            : $"{which}: {ContractVocabulary.EventKinds}";
    }

    [GeneratedRegex("discriminator id '(?<id>[^']*)'")]
    private static partial Regex DiscriminatorId();

    [GeneratedRegex("Path: (?<path>\\$[^ |]*)")]
    private static partial Regex PathInMessage();

    [GeneratedRegex("missing required properties including: (?<names>.+?)\\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex("The JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial Regex Unmapped();

}
