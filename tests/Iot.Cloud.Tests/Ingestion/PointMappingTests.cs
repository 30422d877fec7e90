using Iot.Cloud.Points;
using Iot.Contracts.Messages;
using Iot.InfluxDb.LineProtocol;

namespace Iot.Cloud.Tests.Ingestion;

public sealed class PointMappingTests
{
    static readonly DateTime T = new(2026, 5, 1, 8, 30, 15, 123, DateTimeKind.Utc);
    static readonly DateTimeOffset Received = new(2026, 5, 1, 8, 31, 0, TimeSpan.Zero);
    static readonly long TMs = new DateTimeOffset(T).ToUnixTimeMilliseconds();

    static Dictionary<string, string> Tags(Point p) => p.Tags.ToDictionary(t => t.Key, t => t.Value);

    static Dictionary<string, FieldValue> Fields(Point p) => p.Fields.ToDictionary(f => f.Key, f => f.Value);

    [Fact]
    public void Each_reading_is_one_point_with_its_type_tags_fields_and_millisecond_time()
    {
        var message = Messages.Readings("gw-1", 42,
        [
            Messages.Reading(MeasurementType.Temperature, 21.5, T),
            Messages.Reading(MeasurementType.RelativeHumidity, 61, T.AddSeconds(1), sensor: "gh1-rh", traceCodes: []),
        ]);

        var points = message.Readings.Select(r => PointMapping.Reading(message, r, Received)).ToList();

        Assert.Equal(2, points.Count);
        var temperature = points[0];
        Assert.Equal("Temperature", temperature.MeasurementName);
        Assert.Equal(new Dictionary<string, string> { ["batch"] = Messages.Batch, ["gateway"] = "gw-1", ["sensor"] = "gh1-air", ["zone"] = "gh1" }, Tags(temperature));
        var fields = Fields(temperature);
        Assert.Equal(21.5, fields["value"].AsDouble);
        Assert.Equal("CEL", fields["unit"].AsString);
        Assert.Equal("good", fields["quality"].AsString);
        Assert.Equal("synchronized", fields["clock"].AsString);
        Assert.Equal(42, fields["seq"].AsInteger);
        Assert.False(fields.ContainsKey("received_ms"));
        Assert.False(fields.ContainsKey("error"));
        Assert.Equal(TMs * 1_000_000, temperature.TimestampNanoseconds);

        var humidity = points[1];
        Assert.Equal("RelativeHumidity", humidity.MeasurementName);
        Assert.False(Tags(humidity).ContainsKey("batch"));
        Assert.Equal("P1", Fields(humidity)["unit"].AsString);
        Assert.Equal((TMs + 1000) * 1_000_000, humidity.TimestampNanoseconds);
    }

    [Fact]
    public void A_bad_reading_has_no_value_but_its_error_and_an_unsynchronised_one_carries_when_it_was_received()
    {
        var reading = Messages.Reading(MeasurementType.Temperature, 0, T) with { Value = null, Quality = ReadingQuality.Bad, Error = "crc mismatch" };
        var message = Messages.Readings("gw-1", 1, [reading], ClockState.Unsynchronized);

        var fields = Fields(PointMapping.Reading(message, reading, Received));

        Assert.False(fields.ContainsKey("value"));
        Assert.Equal("bad", fields["quality"].AsString);
        Assert.Equal("crc mismatch", fields["error"].AsString);
        Assert.Equal("unsynchronized", fields["clock"].AsString);
        Assert.Equal(Received.ToUnixTimeMilliseconds(), fields["received_ms"].AsInteger);
    }

    [Fact]
    public void Several_trace_codes_make_one_batch_tag_sorted_and_joined_with_commas()
    {
        var reading = Messages.Reading(MeasurementType.Temperature, 20, T, traceCodes: [Messages.OtherBatch, Messages.Batch]);
        var message = Messages.Readings("gw-1", 1, [reading]);

        Assert.Equal($"{Messages.Batch},{Messages.OtherBatch}", Tags(PointMapping.Reading(message, reading, Received))["batch"]);
    }

    [Fact]
    public void Events_in_one_millisecond_get_distinct_sub_millisecond_timestamps_from_seq_and_index()
    {
        var message = Messages.Events("gw-1", 1_234_567, [Messages.Weighed(12.5, T), Messages.Weighed(13.0, T), Messages.Irrigation(300, time: T)]);

        var points = Enumerable.Range(0, 3).Select(i => PointMapping.Event(message, i, Received)).ToList();

        long baseNs = TMs * 1_000_000 + 567 * 1_000;
        Assert.Equal([baseNs, baseNs + 1, baseNs + 2], points.Select(p => p.TimestampNanoseconds!.Value));
        Assert.All(points, p => Assert.InRange(p.TimestampNanoseconds!.Value - (TMs * 1_000_000), 0, 999_999));
        Assert.Equal("trace_event", points[0].MeasurementName);
        Assert.Equal(new Dictionary<string, string> { ["batch"] = Messages.Batch, ["gateway"] = "gw-1", ["type"] = "weighed", ["zone"] = "pack1" }, Tags(points[0]));
        Assert.Equal(12.5, Fields(points[0])["value"].AsDouble);
        Assert.Equal("KGM", Fields(points[0])["unit"].AsString);
        Assert.Equal("inputApplied", Tags(points[2])["type"]);
        Assert.Equal("LTR", Fields(points[2])["unit"].AsString);
        Assert.Contains("\"type\":\"weighed\"", Fields(points[0])["json"].AsString, StringComparison.Ordinal);
        Assert.Contains("\"scaleId\":\"s1\"", Fields(points[0])["json"].AsString, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_messages_with_events_in_the_same_millisecond_do_not_overwrite_each_other()
    {
        var first = Messages.Events("gw-1", 1, [Messages.Weighed(12.5, T)]);
        var second = Messages.Events("gw-1", 2, [Messages.Weighed(12.5, T)]);

        Assert.NotEqual(PointMapping.Event(first, 0, Received).TimestampNanoseconds, PointMapping.Event(second, 0, Received).TimestampNanoseconds);
    }

    [Fact]
    public void The_same_message_always_maps_to_identical_points()
    {
        var readings = Messages.Readings("gw-1", 9, 50, T);
        var events = Messages.Events("gw-1", 9, [Messages.Weighed(12.5, T), Messages.Irrigation(3, Unit.CubicMetre, T)]);

        // Received later (a redelivery): synchronised points are the very same lines.
        string Lines(DateTimeOffset received) => string.Join("\n",
            readings.Readings.Select(r => PointMapping.Reading(readings, r, received).ToLineProtocol())
                .Concat(Enumerable.Range(0, events.Events.Count).Select(i => PointMapping.Event(events, i, received).ToLineProtocol())));

        Assert.Equal(Lines(Received), Lines(Received.AddHours(3)));
        Assert.Equal(52, Lines(Received).Split('\n').Distinct().Count());
    }
}
