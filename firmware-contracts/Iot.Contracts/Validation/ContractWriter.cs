using System.Text.Json;
using Iot.Contracts.Json;
using Iot.Contracts.Messages;

namespace Iot.Contracts.Validation;

/// <summary>Writes messages for the wire. A message that breaks the contract is never written: it throws instead.</summary>
public static class ContractWriter
{
    /// <summary>The UTF-8 JSON of <paramref name="message"/>; throws <see cref="ArgumentException"/> listing every broken rule.</summary>
    public static byte[] Write(ContractMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var errors = MessageRules.Check(message);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"message breaks the contract: {string.Join("; ", errors)}", nameof(message));
        }

        var context = ContractJsonContext.Default;
        return message switch
        {
            ReadingsMessage m => JsonSerializer.SerializeToUtf8Bytes(m, context.ReadingsMessage),
            EventsMessage m => JsonSerializer.SerializeToUtf8Bytes(m, context.EventsMessage),
            StatusMessage m => JsonSerializer.SerializeToUtf8Bytes(m, context.StatusMessage),
            CommandMessage m => JsonSerializer.SerializeToUtf8Bytes(m, context.CommandMessage),
            CommandResultMessage m => JsonSerializer.SerializeToUtf8Bytes(m, context.CommandResultMessage),
            _ => throw new ArgumentException($"{message.GetType().Name} is not a contract message", nameof(message)),
        };
    }
}
