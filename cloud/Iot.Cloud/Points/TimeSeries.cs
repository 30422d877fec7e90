using Iot.Contracts.Messages;

namespace Iot.Cloud.Points;

/// <summary>
/// The shape of what ingestion stores in InfluxDB: measurement, tag and field names, in one place for writers and
/// readers. Described for people in cloud/README.md ("One reading, one point").
/// </summary>
public static class TimeSeries
{
    /// <summary>Measurement of trace events (one point per event).</summary>
    public const string EventMeasurement = "trace_event";

    /// <summary>Tag: the gateway id.</summary>
    public const string GatewayTag = "gateway";

    /// <summary>Tag: the zone or line.</summary>
    public const string ZoneTag = "zone";

    /// <summary>Tag: the sensor id.</summary>
    public const string SensorTag = "sensor";

    /// <summary>Tag: the trace codes stamped on the reading or event, sorted and joined with commas.</summary>
    public const string BatchTag = "batch";

    /// <summary>Tag on events: the event type (<c>weighed</c>, <c>batchEntered</c>, ...).</summary>
    public const string EventTypeTag = "type";

    /// <summary>Field: the value, in <see cref="UnitField"/>; absent on bad readings.</summary>
    public const string ValueField = "value";

    /// <summary>Field: the UN/ECE Rec 20 unit code.</summary>
    public const string UnitField = "unit";

    /// <summary>Field: <c>good</c>, <c>uncertain</c> or <c>bad</c>.</summary>
    public const string QualityField = "quality";

    /// <summary>Field: why a bad reading has no value.</summary>
    public const string ErrorField = "error";

    /// <summary>Field: <c>synchronized</c> or <c>unsynchronized</c>, the gateway clock's state when the time was taken.</summary>
    public const string ClockField = "clock";

    /// <summary>Field: when the cloud received an unsynchronised reading (ms since the epoch), to place it later.</summary>
    public const string ReceivedField = "received_ms";

    /// <summary>Field: the sequence number of the message the point came in (to find the message again).</summary>
    public const string SeqField = "seq";

    /// <summary>Field on events: the event as it came, JSON, per the contract.</summary>
    public const string EventJsonField = "json";

    /// <summary>The measurement of a reading of <paramref name="type"/>: the CBV term, e.g. <c>Temperature</c>.</summary>
    public static string MeasurementOf(MeasurementType type) => type.ToString();

    /// <summary>The wire name of <paramref name="quality"/>.</summary>
    public static string Name(ReadingQuality quality) => quality switch
    {
        ReadingQuality.Good => "good",
        ReadingQuality.Uncertain => "uncertain",
        _ => "bad",
    };

    /// <summary>The wire name of <paramref name="clock"/>.</summary>
    public static string Name(ClockState clock) => clock == ClockState.Synchronized ? "synchronized" : "unsynchronized";

    /// <summary>The <see cref="BatchTag"/> value of <paramref name="traceCodes"/>, or null when there are none.</summary>
    public static string? BatchTagValue(IReadOnlyList<string> traceCodes) => traceCodes.Count switch
    {
        0 => null,
        1 => traceCodes[0],
        _ => string.Join(',', traceCodes.Order(StringComparer.Ordinal)),
    };
}
