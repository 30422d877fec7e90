using System.Text;
using Iot.Contracts.Messages;
using Iot.Contracts.Validation;

namespace Iot.Contracts.Tests.Messages;

public class ContractWriterTests
{
    static Reading Reading(double? value, ReadingQuality quality = ReadingQuality.Good, string? error = null) => new()
    {
        SensorId = "gh1-air",
        Zone = "gh1",
        Type = MeasurementType.Temperature,
        Value = value,
        Unit = Unit.DegreeCelsius,
        Time = new DateTime(2026, 11, 24, 9, 27, 19, 123, DateTimeKind.Utc),
        Quality = quality,
        Error = error,
        TraceCodes = ["7K3M9Q2TXW4A1B63"],
    };

    static ReadingsMessage Message(params Reading[] readings) => new()
    {
        Schema = MessageSchemas.Readings,
        GatewayId = "gw-1",
        Seq = 1,
        Clock = ClockState.Synchronized,
        Readings = readings,
    };

    [Fact]
    public void Writes_timestamps_as_utc_with_milliseconds_and_units_as_rec20_codes()
    {
        string json = Encoding.UTF8.GetString(ContractWriter.Write(Message(Reading(23.41))));
        Assert.Contains("\"time\":\"2026-11-24T09:27:19.123Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"unit\":\"CEL\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"Temperature\"", json, StringComparison.Ordinal);
        Assert.Contains("\"clock\":\"synchronized\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Refuses_to_write_a_value_json_cannot_hold(double value)
    {
        var e = Assert.Throws<ArgumentException>(() => ContractWriter.Write(Message(Reading(value))));
        Assert.Contains("$.readings[0].value: value must be a finite number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_to_write_a_bad_reading_that_carries_a_stale_value()
    {
        var e = Assert.Throws<ArgumentException>(() => ContractWriter.Write(Message(Reading(21.0, ReadingQuality.Bad, "crc mismatch"))));
        Assert.Contains("a bad reading has no value", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_reading_without_a_value_is_written_and_read_back()
    {
        byte[] bytes = ContractWriter.Write(Message(Reading(null, ReadingQuality.Bad, "crc mismatch")));
        var back = ContractReader.ReadReadings(bytes);
        Assert.True(back.IsValid, back.Reason);
        Assert.Null(back.Message!.Readings[0].Value);
        Assert.Equal("crc mismatch", back.Message.Readings[0].Error);
    }

    [Fact]
    public void Local_times_are_written_in_utc()
    {
        var local = new DateTime(2026, 11, 24, 17, 27, 19, 123, DateTimeKind.Local);
        string json = Encoding.UTF8.GetString(ContractWriter.Write(Message(Reading(1) with { Time = local })));
        Assert.Contains($"\"time\":\"{local.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_refuses_oversized_and_empty_payloads_without_parsing()
    {
        Assert.Contains("payload is empty", ContractReader.ReadReadings([]).Reason, StringComparison.Ordinal);
        var big = new byte[MessageSchemas.MaxPayloadBytes + 1];
        Assert.Contains("the most allowed is 262144", ContractReader.ReadReadings(big).Reason, StringComparison.Ordinal);
        Assert.Contains("payload is JSON null", ContractReader.ReadReadings("null"u8).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_never_throws_on_arbitrary_bytes()
    {
        var random = new Random(20261124);
        byte[] valid = ContractWriter.Write(Message(Reading(23.41)));
        for (int i = 0; i < 2000; i++)
        {
            byte[] mutated = (byte[])valid.Clone();
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var result = ContractReader.Read("agri/v1/gw-1/readings", mutated);
            Assert.True(result.IsValid || result.Errors.Count > 0);
        }
    }
}
