using Iot.Cloud.History;
using Iot.Cloud.History.Rollups;
using Iot.Cloud.Points;
using Iot.Cloud.Storage;
using Iot.Contracts.Messages;
using Iot.InfluxDb.LineProtocol;
using Iot.InfluxDb.Querying;
using Iot.InfluxDb.Writing;
using Iot.Testing.InfluxDb;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.Tests.History;

/// <summary>
/// A database of its own on the shared influxd and a fresh SQLite file: readings written the way ingestion writes them
/// (PointMapping, then the running <see cref="PointWriter"/>, which marks their hours dirty), the
/// <see cref="HourlyRollup"/> over them, and two readers whose "now" is <see cref="Now"/>: <see cref="History"/> with
/// rollups and <see cref="Raw"/> without.
/// </summary>
internal sealed class RollupRig : IAsyncDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"iot-rollup-{Guid.NewGuid():N}");
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };
    readonly PointWriter writer;
    long seq;

    RollupRig(InfluxDbServer server, string database, DateTimeOffset now)
    {
        Now = now;
        var time = new FixedTime(now);
        SqlitePath = Path.Combine(folder, "cloud.db");
        Storage = CloudDatabase.Open(SqlitePath);
        Dirty = new DirtyHours(Storage, time);
        Query = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = server.BaseUri });
        Database = database;
        var options = Options.Create(new Iot.Cloud.Points.InfluxDbOptions { Url = server.BaseUri, Database = database, Gzip = false });
        writer = new PointWriter(new InfluxWriteClient(http, options.Value.ToWriteOptions()), options, time, NullLogger<PointWriter>.Instance, Dirty);
        Rollup = new HourlyRollup(Query, database, Dirty, TimeSpan.FromMinutes(1), time, NullLogger<HourlyRollup>.Instance);
        History = new BatchHistory(Query, database, time, Dirty);
        Raw = new BatchHistory(Query, database, time);
    }

    public DateTimeOffset Now { get; }

    public string SqlitePath { get; }

    public CloudDatabase Storage { get; }

    public DirtyHours Dirty { get; }

    public InfluxQueryClient Query { get; }

    public string Database { get; }

    public HourlyRollup Rollup { get; }

    /// <summary>Reads with the rollups.</summary>
    public BatchHistory History { get; }

    /// <summary>Reads every reading raw.</summary>
    public BatchHistory Raw { get; }

    public static async Task<RollupRig> StartAsync(InfluxDbFixture influx, DateTimeOffset? now = null)
    {
        var rig = new RollupRig(influx.Server, await influx.CreateDatabaseAsync("rollup"), now ?? new DateTimeOffset(HistoryRig.Day.AddDays(30)));
        await rig.writer.StartAsync(CancellationToken.None);
        return rig;
    }

    /// <summary>Writes the readings of <paramref name="gateway"/> as ingestion does: PointMapping, then the PointWriter.</summary>
    public async Task WriteAsync(string gateway, IEnumerable<Reading> readings)
    {
        var writes = new List<Task<IReadOnlyList<RejectedPoint>>>();
        foreach (var chunk in readings.Chunk(MessageSchemas.MaxReadings))
        {
            var message = Messages.Readings(gateway, ++seq, chunk);
            writes.Add(writer.WriteAsync([.. chunk.Select(r => PointMapping.Reading(message, r, DateTimeOffset.UtcNow))], CancellationToken.None));
        }

        foreach (var rejected in await Task.WhenAll(writes))
        {
            Assert.Empty(rejected);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await writer.StopAsync(CancellationToken.None);
        writer.Dispose();
        Rollup.Dispose();
        http.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
