using System.Text;
using System.Text.Json.Nodes;
using Iot.Contracts.Messages;
using Iot.Contracts.Validation;

namespace Iot.Cloud.Tests;

/// <summary>Contract messages for tests, written with the contract's own writer (so they are valid unless changed after).</summary>
public static class Messages
{
    public const string Batch = "7K3M9Q2TXW4A1B63";

    public static DateTime Now => DateTime.UtcNow.AddMilliseconds(-DateTime.UtcNow.Millisecond % 1);

    public static ReadingsMessage Readings(string gateway, long seq, int count, DateTime? start = null, string sensor = "gh1-air", ClockState clock = ClockState.Synchronized)
    {
        var t0 = Truncate(start ?? DateTime.UtcNow.AddMinutes(-1));
        return new ReadingsMessage
        {
            Schema = MessageSchemas.Readings,
            GatewayId = gateway,
            Seq = seq,
            Clock = clock,
            Readings = Enumerable.Range(0, count).Select(i => new Reading
            {
                SensorId = sensor,
                Zone = "gh1",
                Type = MeasurementType.Temperature,
                Value = 20 + (i % 100 / 10.0),
                Unit = Unit.DegreeCelsius,
                Time = t0.AddMilliseconds(i),
                Quality = ReadingQuality.Good,
                TraceCodes = [Batch],
            }).ToList(),
        };
    }

    public static byte[] Bytes(ContractMessage message) => ContractWriter.Write(message);

    /// <summary>A second valid batch trace code (for readings stamped with two batches).</summary>
    public const string OtherBatch = "7K3M9Q2TXW4A1B70";

    /// <summary>One reading of <paramref name="type"/> (in its first unit unless <paramref name="unit"/> is given).</summary>
    public static Reading Reading(MeasurementType type, double value, DateTime? time = null, string sensor = "gh1-air", Unit? unit = null, IReadOnlyList<string>? traceCodes = null) => new()
    {
        SensorId = sensor,
        Zone = "gh1",
        Type = type,
        Value = value,
        Unit = unit ?? MeasurementTypes.UnitsOf(type)[0],
        Time = Truncate(time ?? DateTime.UtcNow.AddMinutes(-1)),
        Quality = ReadingQuality.Good,
        TraceCodes = traceCodes ?? [Batch],
    };

    /// <summary>A readings message carrying exactly <paramref name="readings"/>.</summary>
    public static ReadingsMessage Readings(string gateway, long seq, IReadOnlyList<Reading> readings, ClockState clock = ClockState.Synchronized) => new()
    {
        Schema = MessageSchemas.Readings,
        GatewayId = gateway,
        Seq = seq,
        Clock = clock,
        Readings = readings,
    };

    /// <summary>An events message carrying exactly <paramref name="events"/>.</summary>
    public static EventsMessage Events(string gateway, long seq, IReadOnlyList<TraceEvent> events, ClockState clock = ClockState.Synchronized) => new()
    {
        Schema = MessageSchemas.Events,
        GatewayId = gateway,
        Seq = seq,
        Clock = clock,
        Events = events,
    };

    /// <summary>A bulk weighing of <paramref name="net"/> kilograms of <see cref="Batch"/> on scale <c>s1</c> in zone <c>pack1</c>.</summary>
    public static WeighedEvent Weighed(double net, DateTime? time = null, Unit unit = Unit.Kilogram) => new()
    {
        Time = Truncate(time ?? DateTime.UtcNow.AddMinutes(-1)),
        Zone = "pack1",
        TraceCodes = [Batch],
        Batch = Batch,
        ScaleId = "s1",
        Net = new QuantityValue { Value = net, Unit = unit },
    };

    /// <summary>An irrigation of <paramref name="amount"/> in <paramref name="unit"/> in zone <c>gh1</c>.</summary>
    public static InputAppliedEvent Irrigation(double amount, Unit unit = Unit.Litre, DateTime? time = null) => new()
    {
        Time = Truncate(time ?? DateTime.UtcNow.AddMinutes(-1)),
        Zone = "gh1",
        TraceCodes = [Batch],
        Input = InputKind.Irrigation,
        Amount = new QuantityValue { Value = amount, Unit = unit },
        SensorId = "gh1-flow",
    };

    /// <summary>The message as a JSON tree, to break it in ways the contract's writer never would.</summary>
    public static JsonObject Json(ContractMessage message) => JsonNode.Parse(Bytes(message))!.AsObject();

    /// <summary>The valid message's bytes after <paramref name="change"/> edited its JSON tree.</summary>
    public static byte[] Edited(ContractMessage message, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var json = Json(message);
        change(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>The valid message's JSON text with <paramref name="oldText"/> replaced by <paramref name="newText"/> (must occur).</summary>
    public static byte[] Replaced(ContractMessage message, string oldText, string newText)
    {
        string json = Encoding.UTF8.GetString(Bytes(message));
        if (!json.Contains(oldText, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{oldText}' is not in {json}", nameof(oldText));
        }

        return Encoding.UTF8.GetBytes(json.Replace(oldText, newText, StringComparison.Ordinal));
    }

    static DateTime Truncate(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
