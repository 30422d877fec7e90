using System.Text;
using System.Text.Json.Nodes;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;

namespace Iot.Cloud.Tests.Hostile;

/// <summary>
/// One hostile message: who publishes it (MQTT client id), on which topic, the exact bytes, and the dead letter it
/// must become (reason code, and words the reason must contain: the JSON path or field and what is wrong).
/// </summary>
public sealed record HostileCase(string ClientId, string Topic, byte[] Payload, string Code, params string[] ReasonNames);

/// <summary>The hostile messages of the suite, by name. Gateways <see cref="Bad"/> and <see cref="Good"/> are registered.</summary>
public static class HostileCases
{
    public const string Bad = "gw-bad";
    public const string Good = "gw-good";

    static readonly string BadReadings = Topic.Readings(Bad).ToString();
    static readonly string BadEvents = Topic.Events(Bad).ToString();

    /// <summary>A valid message from <see cref="Bad"/>: one temperature reading of 21.5 °C a minute ago.</summary>
    static ReadingsMessage Valid() => Messages.Readings(Bad, NextSeq(), [Messages.Reading(MeasurementType.Temperature, 21.5)]);

    static long _seq = 100;

    /// <summary>Each hostile message has its own sequence number, as a real gateway's would.</summary>
    static long NextSeq() => Interlocked.Increment(ref _seq);

    static HostileCase Readings(byte[] payload, string code, params string[] reasonNames) => new(Bad, BadReadings, payload, code, reasonNames);

    static HostileCase Edited(Action<JsonObject> change, string code, params string[] reasonNames) =>
        Readings(Messages.Edited(Valid(), change), code, reasonNames);

    static HostileCase Replaced(string oldText, string newText, string code, params string[] reasonNames) =>
        Readings(Messages.Replaced(Valid(), oldText, newText), code, reasonNames);

    static JsonObject FirstReading(JsonObject json) => json["readings"]![0]!.AsObject();

    static HostileCase TraceCode(string code, params string[] reasonNames) =>
        Edited(j => FirstReading(j)["traceCodes"] = new JsonArray(code), "contract", ["$.readings[0].traceCodes[0]", .. reasonNames]);

    public static readonly IReadOnlyDictionary<string, Func<HostileCase>> All = new Dictionary<string, Func<HostileCase>>
    {
        // Truncated and oversized payloads.
        ["truncated in the middle"] = () => { byte[] whole = Messages.Bytes(Valid()); return Readings(whole[..(whole.Length / 2)], "contract", "not valid JSON"); },
        ["truncated to one byte"] = () => Readings("{"u8.ToArray(), "contract", "not valid JSON"),
        ["empty payload"] = () => Readings([], "contract", "$: payload is empty"),
        ["not JSON at all"] = () => Readings([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81], "contract", "not valid JSON"),
        ["JSON null"] = () => Readings("null"u8.ToArray(), "contract", "JSON null"),
        ["oversized (300 kB)"] = () => Readings([.. Enumerable.Repeat((byte)' ', 300_000), .. Messages.Bytes(Valid())], "contract", "$: payload is 300", "the most allowed is 262144"),
        ["too many readings (1001)"] = () => Readings(Messages.Edited(Messages.Readings(Bad, NextSeq(), 1000), j => j["readings"]!.AsArray().Add(j["readings"]![0]!.DeepClone())), "contract", "$.readings", "at most 1000 readings"),

        // Wrong types.
        ["seq as a string"] = () => Edited(j => j["seq"] = "7", "contract", "$.seq"),
        ["seq negative"] = () => Edited(j => j["seq"] = -1, "contract", "$.seq", "seq must be 1 to"),
        ["value as a string"] = () => Edited(j => FirstReading(j)["value"] = "21.5", "contract", "$.readings[0].value"),
        ["readings as an object"] = () => Edited(j => j["readings"] = new JsonObject(), "contract", "$.readings"),
        ["time as a number"] = () => Edited(j => FirstReading(j)["time"] = 1_700_000_000_000, "contract", "$.readings[0].time", "a timestamp must be a string"),
        ["time with an offset"] = () => Edited(j => FirstReading(j)["time"] = "2026-01-01T08:00:00.000+08:00", "contract", "$.readings[0].time", "UTC with milliseconds"),
        ["unknown unit"] = () => Edited(j => FirstReading(j)["unit"] = "FAH", "contract", "$.readings[0].unit"),
        ["unit of another quantity"] = () => Edited(j => FirstReading(j)["unit"] = "P1", "contract", "$.readings[0].unit", "does not measure Temperature"),
        ["unknown property"] = () => Edited(j => j["admin"] = true, "contract", "unknown property 'admin'"),
        ["wrong schema"] = () => Edited(j => j["schema"] = "agri.readings.v2", "contract", "$.schema"),
        ["status payload on the readings topic"] = () => Edited(j => j["schema"] = "agri.status.v1", "contract", "$.schema"),

        // NaN and infinity: JSON has no literal for them; every spelling is refused by the contract.
        ["value NaN"] = () => Replaced("\"value\":21.5", "\"value\":NaN", "contract", "not valid JSON"),
        ["value \"NaN\""] = () => Replaced("\"value\":21.5", "\"value\":\"NaN\"", "contract", "$.readings[0].value"),
        ["value Infinity"] = () => Replaced("\"value\":21.5", "\"value\":Infinity", "contract", "not valid JSON"),
        ["value 1e999 (overflows to infinity)"] = () => Replaced("\"value\":21.5", "\"value\":1e999", "contract", "$.readings[0].value"),
        ["value -1e999"] = () => Replaced("\"value\":21.5", "\"value\":-1e999", "contract", "$.readings[0].value"),

        // Gateway ids: the payload, the topic and the MQTT client must all name one registered gateway.
        ["payload gateway differs from the topic"] = () => Readings(Messages.Bytes(Messages.Readings(Good, NextSeq(), 1)), "contract", "$.gatewayId", "differs from topic gateway id"),
        ["client differs from the gateway"] = () => new HostileCase("gw-impostor", BadReadings, Messages.Bytes(Valid()), "wrong-gateway", "MQTT client 'gw-impostor'", "gateway 'gw-bad'"),
        ["unregistered gateway"] = () => new HostileCase("gw-stranger", Topic.Readings("gw-stranger").ToString(), Messages.Bytes(Messages.Readings("gw-stranger", NextSeq(), 3)), "unknown-gateway", "gateway 'gw-stranger' is not registered"),

        // Values built to inject line protocol: the contract's id rules refuse them before any point is made.
        ["line protocol in a sensor id"] = () => Edited(j => FirstReading(j)["sensorId"] = "gh1-air,gateway=gw-good value=99", "contract", "$.readings[0].sensorId", "','"),
        ["line protocol in a zone"] = () => Edited(j => FirstReading(j)["zone"] = "gh1 value=99 1", "contract", "$.readings[0].zone", "U+0020"),
        ["equals sign in a zone"] = () => Edited(j => FirstReading(j)["zone"] = "gh1=x", "contract", "$.readings[0].zone", "'='"),
        ["quote in a sensor id"] = () => Edited(j => FirstReading(j)["sensorId"] = "gh1\"air", "contract", "$.readings[0].sensorId", "'\"'"),
        ["newline in a sensor id"] = () => Edited(j => FirstReading(j)["sensorId"] = "gh1\nTemperature,gateway=gw-good value=99", "contract", "$.readings[0].sensorId"),
        ["line protocol in the payload gateway id"] = () => Edited(j => j["gatewayId"] = "gw-bad,zone=x", "contract", "$.gatewayId"),
        ["line protocol in the topic gateway id"] = () => new HostileCase(Bad, "agri/v1/gw-bad,zone=x value=1/readings", Messages.Bytes(Valid()), "contract", "topic", "topic gateway id"),
        ["line protocol in a trace code"] = () => TraceCode("7K3M9Q2TXW4A1B63,batch=x"),
        ["line protocol in an error text"] = () => Edited(
            j =>
            {
                var r = FirstReading(j);
                r.Remove("value");
                r["quality"] = "bad";
                r["error"] = "crc\nTemperature,gateway=gw-good value=99";
            },
            "contract", "$.readings[0].error", "control characters"),

        // Invalid trace codes.
        ["trace code with a wrong check character"] = () => TraceCode("7K3M9Q2TXW4A1B64", "check"),
        ["trace code with a letter GB 32100 leaves out"] = () => TraceCode("7K3M9Q2TXW4A1BO3", "'O'"),
        ["trace code too short"] = () => TraceCode("7K3M9Q2T", "16"),
        ["trace code in lower case"] = () => TraceCode("7k3m9q2txw4a1b63"),
        ["the same trace code twice"] = () => Edited(j => FirstReading(j)["traceCodes"] = new JsonArray(Messages.Batch, Messages.Batch), "contract", "$.readings[0].traceCodes[1]", "appears twice"),

        // Times from a synchronised clock.
        ["2019 from a synchronised clock"] = () => Readings(Messages.Bytes(Messages.Readings(Bad, NextSeq(), [Messages.Reading(MeasurementType.Temperature, 21.5, new DateTime(2019, 6, 1, 12, 0, 0, DateTimeKind.Utc))])), "time", "$.readings[0].time", "before 2020-01-01"),
        ["a day ahead from a synchronised clock"] = () => Readings(Messages.Bytes(Messages.Readings(Bad, NextSeq(), [Messages.Reading(MeasurementType.Temperature, 21.5, DateTime.UtcNow.AddDays(1))])), "time", "$.readings[0].time", "ahead of the cloud's clock"),
        ["year 9999 from an unsynchronised clock"] = () => Readings(Messages.Bytes(Messages.Readings(Bad, NextSeq(), [Messages.Reading(MeasurementType.Temperature, 21.5, new DateTime(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc))], ClockState.Unsynchronized)), "time", "$.readings[0].time", "cannot be stored"),
        ["events from 2019"] = () => new HostileCase(Bad, BadEvents, Messages.Bytes(Messages.Events(Bad, NextSeq(), [Messages.Weighed(12.5, new DateTime(2019, 6, 1, 12, 0, 0, DateTimeKind.Utc))])), "time", "$.events[0].time"),

        // Physically implausible values.
        ["500 °C"] = () => Readings(Messages.Bytes(Messages.Readings(Bad, NextSeq(), [Messages.Reading(MeasurementType.Temperature, 500)])), "implausible", "$.readings[0].value", "sensor 'gh1-air'", "500 CEL", "Temperature"),
        ["-5 % relative humidity"] = () => Readings(Messages.Bytes(Messages.Readings(Bad, NextSeq(), [Messages.Reading(MeasurementType.RelativeHumidity, -5, sensor: "gh1-rh")])), "implausible", "$.readings[0].value", "sensor 'gh1-rh'", "-5 P1", "RelativeHumidity"),
        ["soil moisture 130 %"] = () => Readings(Messages.Bytes(Messages.Readings(Bad, NextSeq(), [Messages.Reading(MeasurementType.VolumeFraction, 130, sensor: "gh1-soil")])), "implausible", "$.readings[0].value", "130 P1"),
        ["10 tonnes on a crate scale"] = () => new HostileCase(Bad, BadEvents, Messages.Bytes(Messages.Events(Bad, NextSeq(), [Messages.Weighed(10_000)])), "implausible", "$.events[0].net", "10000 KGM"),
        ["ten million grams on a crate scale"] = () => new HostileCase(Bad, BadEvents, Messages.Bytes(Messages.Events(Bad, NextSeq(), [Messages.Weighed(10_000_000, unit: Unit.Gram)])), "implausible", "$.events[0].net", "GRM"),
        ["irrigation of 2e12 mL"] = () => new HostileCase(Bad, BadEvents, Messages.Bytes(Messages.Events(Bad, NextSeq(), [Messages.Irrigation(2e12, Unit.Millilitre)])), "implausible", "$.events[0].amount", "MLT"),
        ["irrigation of 2e9 L"] = () => new HostileCase(Bad, BadEvents, Messages.Bytes(Messages.Events(Bad, NextSeq(), [Messages.Irrigation(2e9)])), "implausible", "$.events[0].amount", "LTR"),
    };

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (string name in All.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    /// <summary>The bytes as text for a failure message.</summary>
    public static string Show(byte[] payload) => payload.Length > 200 ? $"{payload.Length} bytes" : Encoding.UTF8.GetString(payload);
}
