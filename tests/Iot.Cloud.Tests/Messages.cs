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

    static DateTime Truncate(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
