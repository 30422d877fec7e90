using System.Diagnostics.CodeAnalysis;
using Iot.Contracts.Identifiers;
using Iot.Contracts.Messages;

namespace Iot.Contracts.Topics;

/// <summary>Which stream a topic carries.</summary>
public enum TopicKind
{
    /// <summary><c>agri/v1/{gatewayId}/readings</c>: <see cref="ReadingsMessage"/>, gateway to cloud.</summary>
    Readings,

    /// <summary><c>agri/v1/{gatewayId}/events</c>: <see cref="EventsMessage"/>, gateway to cloud.</summary>
    Events,

    /// <summary><c>agri/v1/{gatewayId}/status</c>: <see cref="StatusMessage"/>, retained; the last will says offline.</summary>
    Status,

    /// <summary><c>agri/v1/{gatewayId}/cmd/{name}</c>: <see cref="CommandMessage"/>, cloud to gateway.</summary>
    Command,

    /// <summary><c>agri/v1/{gatewayId}/cmd-result</c>: <see cref="CommandResultMessage"/>, gateway to cloud.</summary>
    CommandResult,
}

/// <summary>
/// An MQTT topic of contract v1: <c>agri/v1/{gatewayId}/readings|events|status|cmd/{name}|cmd-result</c>.
/// Built and parsed only here; ids with wildcards, slashes or control characters are refused both ways.
/// </summary>
public sealed record Topic
{
    /// <summary>The first two levels of every topic.</summary>
    public const string Root = "agri/v1";

    Topic(TopicKind kind, string gatewayId, string? commandName)
    {
        Kind = kind;
        GatewayId = gatewayId;
        CommandName = commandName;
    }

    /// <summary>The stream.</summary>
    public TopicKind Kind { get; }

    /// <summary>The gateway the topic belongs to.</summary>
    public string GatewayId { get; }

    /// <summary>For <see cref="TopicKind.Command"/>, the command's name; otherwise null.</summary>
    public string? CommandName { get; }

    /// <summary>The schema a payload on this topic must declare.</summary>
    public string Schema => Kind switch
    {
        TopicKind.Readings => MessageSchemas.Readings,
        TopicKind.Events => MessageSchemas.Events,
        TopicKind.Status => MessageSchemas.Status,
        TopicKind.Command => MessageSchemas.Command,
        _ => MessageSchemas.CommandResult,
    };

    /// <summary>The topic of <paramref name="kind"/> for <paramref name="gatewayId"/>; throws <see cref="ArgumentException"/> on a bad id.</summary>
    public static Topic For(TopicKind kind, string gatewayId, string? commandName = null)
    {
        if (!LocalId.IsValid(gatewayId, "gateway id", out var error))
        {
            throw new ArgumentException(error, nameof(gatewayId));
        }

        if (kind == TopicKind.Command)
        {
            if (!LocalId.IsValid(commandName, "command name", out error))
            {
                throw new ArgumentException(error, nameof(commandName));
            }
        }
        else if (commandName is not null)
        {
            throw new ArgumentException($"only command topics have a command name, not {kind}", nameof(commandName));
        }

        return new Topic(kind, gatewayId, commandName);
    }

    /// <summary>Readings topic of a gateway.</summary>
    public static Topic Readings(string gatewayId) => For(TopicKind.Readings, gatewayId);

    /// <summary>Events topic of a gateway.</summary>
    public static Topic Events(string gatewayId) => For(TopicKind.Events, gatewayId);

    /// <summary>Status topic of a gateway.</summary>
    public static Topic Status(string gatewayId) => For(TopicKind.Status, gatewayId);

    /// <summary>Command topic of a gateway.</summary>
    public static Topic Command(string gatewayId, string name) => For(TopicKind.Command, gatewayId, name);

    /// <summary>Command result topic of a gateway.</summary>
    public static Topic CommandResult(string gatewayId) => For(TopicKind.CommandResult, gatewayId);

    /// <summary>
    /// The filter that matches <paramref name="kind"/> for every gateway (<c>agri/v1/+/readings</c>), or, with a
    /// gateway id, every command for that gateway (<c>agri/v1/gw-1/cmd/+</c>).
    /// </summary>
    public static string Filter(TopicKind kind, string? gatewayId = null)
    {
        if (gatewayId is not null && !LocalId.IsValid(gatewayId, "gateway id", out var error))
        {
            throw new ArgumentException(error, nameof(gatewayId));
        }

        return Format(kind, gatewayId ?? "+", "+");
    }

    static string Format(TopicKind kind, string gateway, string? command) => kind switch
    {
        TopicKind.Readings => $"{Root}/{gateway}/readings",
        TopicKind.Events => $"{Root}/{gateway}/events",
        TopicKind.Status => $"{Root}/{gateway}/status",
        TopicKind.Command => $"{Root}/{gateway}/cmd/{command}",
        _ => $"{Root}/{gateway}/cmd-result",
    };

    /// <summary>Parses a topic a message arrived on, saying what is wrong with it.</summary>
    public static bool TryParse(string? topic, [NotNullWhen(true)] out Topic? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (string.IsNullOrEmpty(topic))
        {
            error = "topic is empty";
            return false;
        }

        string[] levels = topic.Split('/');
        if (levels.Length < 4 || levels[0] != "agri" || levels[1] != "v1")
        {
            error = $"topic must look like {Root}/{{gatewayId}}/readings|events|status|cmd/{{name}}|cmd-result";
            return false;
        }

        if (!LocalId.IsValid(levels[2], "topic gateway id", out error))
        {
            return false;
        }

        TopicKind? kind = (levels[3], levels.Length) switch
        {
            ("readings", 4) => TopicKind.Readings,
            ("events", 4) => TopicKind.Events,
            ("status", 4) => TopicKind.Status,
            ("cmd-result", 4) => TopicKind.CommandResult,
            ("cmd", 5) => TopicKind.Command,
            _ => null,
        };

        if (kind is null)
        {
            error = $"topic level 4 must be readings, events, status, cmd/{{name}} or cmd-result; got '{string.Join('/', levels[3..])}'";
            return false;
        }

        string? name = null;
        if (kind == TopicKind.Command)
        {
            name = levels[4];
            if (!LocalId.IsValid(name, "command name", out error))
            {
                return false;
            }
        }

        parsed = new Topic(kind.Value, levels[2], name);
        error = null;
        return true;
    }

    /// <summary>The topic string.</summary>
    public override string ToString() => Format(Kind, GatewayId, CommandName);
}
