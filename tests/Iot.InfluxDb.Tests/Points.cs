using Iot.InfluxDb.LineProtocol;

namespace Iot.InfluxDb.Tests;

internal static class Points
{
    public static readonly DateTimeOffset Start = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>count points of measurement "reading", one per second from <see cref="Start"/>, field value = index.</summary>
    public static List<Point> Many(int count, string measurement = "reading") =>
        [.. Enumerable.Range(0, count).Select(i => Point.Measurement(measurement).Tag("sensor", "s1").Field("value", (double)i).Timestamp(Start.AddSeconds(i)))];
}
