namespace Iot.InfluxDb.LineProtocol;

/// <summary>The unit of line protocol timestamps, sent as the <c>precision</c> query argument.</summary>
public enum WritePrecision
{
    /// <summary>Nanoseconds (<c>ns</c>), InfluxDB's default.</summary>
    Nanoseconds,

    /// <summary>Microseconds (<c>us</c>).</summary>
    Microseconds,

    /// <summary>Milliseconds (<c>ms</c>).</summary>
    Milliseconds,

    /// <summary>Seconds (<c>s</c>).</summary>
    Seconds,
}

/// <summary>Helpers for <see cref="WritePrecision"/>.</summary>
public static class WritePrecisionExtensions
{
    /// <summary>The value of the <c>precision</c> query argument (v1 and v2 alike): ns, us, ms or s.</summary>
    public static string ToQueryValue(this WritePrecision precision) => precision switch
    {
        WritePrecision.Nanoseconds => "ns",
        WritePrecision.Microseconds => "us",
        WritePrecision.Milliseconds => "ms",
        WritePrecision.Seconds => "s",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };

    /// <summary>Nanoseconds per unit.</summary>
    internal static long NanosecondsPerUnit(this WritePrecision precision) => precision switch
    {
        WritePrecision.Nanoseconds => 1L,
        WritePrecision.Microseconds => 1_000L,
        WritePrecision.Milliseconds => 1_000_000L,
        WritePrecision.Seconds => 1_000_000_000L,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };
}
