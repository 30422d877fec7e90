using System.Text.Json;
using Iot.Contracts.Json;
using Iot.Contracts.Messages;
using Iot.InfluxDb.LineProtocol;

namespace Iot.Cloud.Points;

/// <summary>
/// Where a reading or a trace event becomes an InfluxDB point. One reading, one point; one event, one point. The same
/// message always makes the same points (same measurement, tags and timestamp), so a redelivered message overwrites
/// itself instead of adding points.
/// </summary>
public static class PointMapping
{
    /// <summary>The point of <paramref name="reading"/> from <paramref name="message"/>, received at <paramref name="receivedAt"/>.</summary>
    public static Point Reading(ReadingsMessage message, Reading reading, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reading);
        var point = Point.Measurement(TimeSeries.MeasurementOf(reading.Type))
            .Tag(TimeSeries.GatewayTag, message.GatewayId)
            .Tag(TimeSeries.ZoneTag, reading.Zone)
            .Tag(TimeSeries.SensorTag, reading.SensorId);
        if (TimeSeries.BatchTagValue(reading.TraceCodes) is { } batch)
        {
            point.Tag(TimeSeries.BatchTag, batch);
        }

        if (reading.Value is double value)
        {
            point.Field(TimeSeries.ValueField, value);
        }

        point.Field(TimeSeries.UnitField, reading.Unit.Code())
            .Field(TimeSeries.QualityField, TimeSeries.Name(reading.Quality))
            .Field(TimeSeries.ClockField, TimeSeries.Name(message.Clock))
            .Field(TimeSeries.SeqField, message.Seq);
        if (reading.Error is { } error)
        {
            point.Field(TimeSeries.ErrorField, error);
        }

        if (message.Clock != ClockState.Synchronized)
        {
            point.Field(TimeSeries.ReceivedField, receivedAt.ToUnixTimeMilliseconds());
        }

        return point.Timestamp(Milliseconds(reading.Time), WritePrecision.Milliseconds);
    }

    /// <summary>
    /// The point of the event at <paramref name="index"/> in <paramref name="message"/>. Its timestamp is the event's
    /// millisecond plus a sub-millisecond offset made from the message's sequence number and the event's index
    /// (<c>(seq mod 1000) µs + index ns</c>), so two events of one zone in the same millisecond stay two points while a
    /// redelivered message still lands on the same ones.
    /// </summary>
    public static Point Event(EventsMessage message, int index, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        var traceEvent = message.Events[index];
        var point = Point.Measurement(TimeSeries.EventMeasurement)
            .Tag(TimeSeries.GatewayTag, message.GatewayId)
            .Tag(TimeSeries.ZoneTag, traceEvent.Zone)
            .Tag(TimeSeries.EventTypeTag, TypeName(traceEvent));
        if (TimeSeries.BatchTagValue(traceEvent.TraceCodes) is { } batch)
        {
            point.Tag(TimeSeries.BatchTag, batch);
        }

        switch (traceEvent)
        {
            case WeighedEvent weighed:
                point.Field(TimeSeries.ValueField, weighed.Net.Value).Field(TimeSeries.UnitField, weighed.Net.Unit.Code());
                break;
            case InputAppliedEvent input:
                point.Field(TimeSeries.ValueField, input.Amount.Value).Field(TimeSeries.UnitField, input.Amount.Unit.Code());
                break;
        }

        point.Field(TimeSeries.EventJsonField, JsonSerializer.Serialize(traceEvent, ContractJsonContext.Default.TraceEvent))
            .Field(TimeSeries.ClockField, TimeSeries.Name(message.Clock))
            .Field(TimeSeries.SeqField, message.Seq);
        if (message.Clock != ClockState.Synchronized)
        {
            point.Field(TimeSeries.ReceivedField, receivedAt.ToUnixTimeMilliseconds());
        }

        long nanoseconds = checked((Milliseconds(traceEvent.Time) * 1_000_000) + ((message.Seq % 1000) * 1000) + index);
        return point.Timestamp(nanoseconds, WritePrecision.Nanoseconds);
    }

    /// <summary>The contract's name of the event's type (<c>weighed</c>, <c>batchEntered</c>, ...).</summary>
    public static string TypeName(TraceEvent traceEvent) => traceEvent switch
    {
        BatchEnteredEvent => "batchEntered",
        BatchLeftEvent => "batchLeft",
        CrateAssociatedEvent => "crateAssociated",
        CrateRemovedEvent => "crateRemoved",
        WeighedEvent => "weighed",
        InputAppliedEvent => "inputApplied",
        _ => throw new ArgumentOutOfRangeException(nameof(traceEvent), traceEvent.GetType().Name, "not an event type of the contract"),
    };

    static long Milliseconds(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
}
