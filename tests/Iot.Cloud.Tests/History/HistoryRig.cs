using Iot.Cloud.History;
using Iot.Cloud.Points;
using Iot.Cloud.Registry;
using Iot.Contracts.Messages;
using Iot.InfluxDb.LineProtocol;
using Iot.InfluxDb.Querying;
using Iot.InfluxDb.Writing;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.History;

/// <summary>
/// A database of its own on the shared influxd, readings written as ingestion writes them (PointMapping), and a
/// <see cref="BatchHistory"/> over it whose "now" is <see cref="Now"/>.
/// </summary>
internal sealed class HistoryRig : IDisposable
{
    /// <summary>Midnight UTC of the day most tests write.</summary>
    public static readonly DateTime Day = new(2025, 3, 10, 0, 0, 0, DateTimeKind.Utc);

    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };
    readonly InfluxWriteClient writer;
    long seq;

    HistoryRig(InfluxDbServer server, string database, DateTimeOffset now)
    {
        writer = new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = server.BaseUri, Database = database, Gzip = false });
        var query = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = server.BaseUri });
        History = new BatchHistory(query, database, new FixedTime(now));
    }

    public BatchHistory History { get; }

    public static async Task<HistoryRig> StartAsync(InfluxDbFixture influx, DateTimeOffset? now = null) =>
        new(influx.Server, await influx.CreateDatabaseAsync("history"), now ?? new DateTimeOffset(Day.AddDays(30)));

    /// <summary>A reading: good with <paramref name="value"/>, or bad (no value) when it is null.</summary>
    public static Reading Reading(
        DateTime time,
        double? value,
        string sensor = "s1",
        string zone = "gh1",
        IReadOnlyList<string>? codes = null,
        MeasurementType type = MeasurementType.Temperature,
        Unit? unit = null) => new()
        {
            SensorId = sensor,
            Zone = zone,
            Type = type,
            Value = value,
            Unit = unit ?? MeasurementTypes.UnitsOf(type)[0],
            Time = time,
            Quality = value is null ? ReadingQuality.Bad : ReadingQuality.Good,
            Error = value is null ? "crc mismatch" : null,
            TraceCodes = codes ?? [],
        };

    /// <summary>One reading a minute in [<paramref name="from"/>, <paramref name="to"/>), value = <paramref name="value"/>(time).</summary>
    public static IEnumerable<Reading> EveryMinute(DateTime from, DateTime to, Func<DateTime, double?> value, string sensor = "s1", string zone = "gh1", IReadOnlyList<string>? codes = null)
    {
        for (var t = from; t < to; t = t.AddMinutes(1))
        {
            yield return Reading(t, value(t), sensor, zone, codes);
        }
    }

    /// <summary>Writes the readings of <paramref name="gateway"/> as ingestion does: one point each, through PointMapping.</summary>
    public async Task WriteAsync(string gateway, IEnumerable<Reading> readings)
    {
        var points = new List<Point>();
        foreach (var chunk in readings.Chunk(MessageSchemas.MaxReadings))
        {
            var message = Messages.Readings(gateway, ++seq, chunk);
            points.AddRange(chunk.Select(r => PointMapping.Reading(message, r, DateTimeOffset.UtcNow)));
        }

        var result = await writer.WriteAsync(points);
        Assert.True(result.IsComplete, result.Failure?.Message);
        Assert.Empty(result.Rejected);
    }

    /// <summary>A stay of the batch in a gateway's zone.</summary>
    public static ZoneStay Stay(string gateway, string zone, DateTime entered, DateTime? left, string zoneId = "z-1", string batch = "AB12") =>
        new(1, batch, zoneId, gateway, zone, new DateTimeOffset(entered), left is { } l ? new DateTimeOffset(l) : null);

    public static DateTimeOffset At(DateTime time) => new(time);

    public void Dispose() => http.Dispose();

    sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
