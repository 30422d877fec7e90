using System.Diagnostics;
using System.Globalization;
using Iot.Cloud.History;
using Iot.Cloud.History.Rollups;
using Iot.Cloud.Points;
using Iot.Cloud.Registry;
using Iot.Cloud.Storage;
using Iot.Contracts.Messages;
using Iot.InfluxDb.LineProtocol;
using Iot.InfluxDb.Querying;
using Iot.InfluxDb.Writing;
using Iot.Testing.InfluxDb;

namespace Iot.Bench.History;

/// <summary>
/// <c>./iot bench history [--quick]</c>: how long <see cref="BatchHistory.ReadAsync"/> takes for a batch's whole record
/// the way the API asks for it (default points per series), over 90 days (<c>--quick</c>: 9) of 10 sensors reading once
/// a minute, all stamped with the batch and in a zone it stayed in. Last line: <c>history: points=N server_ms=M</c>
/// (N: raw readings the answer covers; M: median of the warm calls, in milliseconds).
/// </summary>
internal static class HistoryBench
{
    internal const string Code = "7K3M9Q2TXW4A1B63";
    internal const string Gateway = "gw-bench";
    internal const string Zone = "gh1";
    internal const int Sensors = 10;
    const int PointsPerWrite = 50_000;
    const int WarmRuns = 5;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        bool quick = args.Contains("--quick");
        int days = quick ? 9 : 90;
        Say($"machine: {Environment.ProcessorCount} CPUs, load average {Figures.LoadAverage()}");

        await using var influx = await InfluxDbServer.StartNewAsync(new Iot.Testing.InfluxDb.InfluxDbOptions { LogLevel = "warn" }, ct);
        const string database = "history";
        await influx.CreateDatabaseAsync(database, ct);
        Say($"influxd on 127.0.0.1:{influx.Port}, database {database}");

        var start = DateTime.UtcNow.Date.AddDays(-days - 1);
        var end = start.AddDays(days);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        long written = await WriteAsync(http, influx, database, start, end, ct);

        var query = new InfluxQueryClient(http, new InfluxQueryOptions { BaseUri = influx.BaseUri, RequestTimeout = TimeSpan.FromMinutes(2) });
        string folder = Path.Combine(Path.GetTempPath(), $"iot-bench-history-{Guid.NewGuid():N}");
        try
        {
            return await MeasureAsync(CloudDatabase.Open(Path.Combine(folder, "cloud.db")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        async Task<int> MeasureAsync(CloudDatabase storage)
        {
            // The points went in around the PointWriter: mark their hours dirty as it would have, with coverage from the
            // first one (as if the cloud had been running since), then bring the rollups up to date.
            var dirty = new DirtyHours(storage, TimeProvider.System);
            long firstHour = new DateTimeOffset(start).ToUnixTimeSeconds(), endHour = new DateTimeOffset(end).ToUnixTimeSeconds();
            var hours = new List<long>();
            for (long hour = firstHour; hour < endHour; hour += DirtyHours.HourSeconds)
            {
                hours.Add(hour);
            }

            dirty.BeginWrite(hours);
            dirty.EndWrite(hours);
            dirty.ExtendCoverage(firstHour);
            using var rollup = new HourlyRollup(query, database, dirty, TimeSpan.FromSeconds(30), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<HourlyRollup>.Instance);
            long r0 = Stopwatch.GetTimestamp();
            await rollup.CatchUpAsync(ct);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"history: rolled up {hours.Count} dirty hours ({days} days) and backfilled coverage to {HourlyRollup.Earliest:yyyy-MM-dd} in {Stopwatch.GetElapsedTime(r0).TotalSeconds:F1} s"));

            var history = new BatchHistory(query, database, TimeProvider.System, dirty);
            ZoneStay[] stays = [new(1, Code, "z-gh1", Gateway, Zone, new DateTimeOffset(start), new DateTimeOffset(end))];
            var from = new DateTimeOffset(start);
            var to = new DateTimeOffset(end);

            var timings = new List<double>();
            long covered = 0;
            for (int run = 0; run <= WarmRuns; run++)
            {
                // As GET /api/batches/{code}/history without from: the window starts at the first stamped reading.
                long t0 = Stopwatch.GetTimestamp();
                var first = await history.FirstStampedAsync(Code, ct);
                double firstMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                var result = await history.ReadAsync(Code, stays, first ?? from, to, cancellationToken: ct);
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                Say(string.Create(CultureInfo.InvariantCulture, $"first stamped reading {first:O} found in {firstMs:F0} ms"));
                covered = result.Series.Sum(s => s.Points.Sum(p => p.Count));
                int buckets = result.Series.Sum(s => s.Points.Count);
                Say(string.Create(CultureInfo.InvariantCulture, $"{(run == 0 ? "cold" : $"warm {run}")}: {ms:F0} ms, {result.Series.Count} series x {result.IntervalName} buckets = {buckets} points covering {covered} readings, {result.Series.Sum(s => s.Gaps.Count)} gaps"));
                if (run > 0)
                {
                    timings.Add(ms);
                }
            }

            if (args.Contains("--variants"))
            {
                await VariantsAsync(query, database, from, to, Say, ct);
            }

            double median = Figures.Median(timings);
            bool exact = covered == written;
            Say($"every reading written is covered exactly once: {exact} ({covered} of {written})");
            Say($"machine: load average {Figures.LoadAverage()} at the end");
            Say(string.Create(CultureInfo.InvariantCulture, $"target: < 1000 ms for 90 days ({(quick ? "not measured: --quick" : median < 1000 ? "met" : "MISSED")})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"history: points={covered} server_ms={median:F0}"));
            return exact ? 0 : 1;
        }

        void Say(string line) => output.WriteLine("history: " + line);
    }

    /// <summary>
    /// <c>--variants</c>: the same data read other ways with plain InfluxQL, to see where the time goes (each the median
    /// of 3 runs after one unmeasured run).
    /// </summary>
    static async Task VariantsAsync(InfluxQueryClient query, string database, DateTimeOffset from, DateTimeOffset to, Action<string> say, CancellationToken ct)
    {
        string interval = HistoryIntervals.Name(HistoryIntervals.Choose(from, to, BatchHistory.DefaultPointsPerSeries));
        string regex = BatchHistory.BatchRegex(Code);
        string Statement(string select, string extra = "") =>
            $"SELECT {select} FROM \"Temperature\" WHERE \"batch\" =~ {regex}{extra} AND time >= $from AND time < $to GROUP BY time({interval}),\"gateway\",\"zone\",\"sensor\" fill(none)";
        const string All = "min(\"value\"),max(\"value\"),mean(\"value\"),count(\"value\")";

        async Task<double> TimeAsync(string name, Func<Task> run)
        {
            await run();
            var runs = new List<double>();
            for (int i = 0; i < 3; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                await run();
                runs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }

            double median = Figures.Median(runs);
            say(string.Create(CultureInfo.InvariantCulture, $"variant {name}: {median:F0} ms"));
            return median;
        }

        Task One(string statement, DateTimeOffset a, DateTimeOffset b, QueryParameters? extra = null)
        {
            var parameters = extra ?? new QueryParameters();
            parameters.Add("from", a.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).Add("to", b.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            return query.QueryAsync(database, statement, parameters, ct);
        }

        Task Split(string statement, int parts)
        {
            var width = (to - from) / parts;
            return Task.WhenAll(Enumerable.Range(0, parts).Select(i => One(statement, from + (width * i), i == parts - 1 ? to : from + (width * (i + 1)))));
        }

        await TimeAsync("one statement, FROM Temperature only, min+max+mean+count", () => One(Statement(All), from, to));
        await TimeAsync("one statement, count only", () => One(Statement("count(\"value\")"), from, to));
        await TimeAsync("one statement, mean only", () => One(Statement("mean(\"value\")"), from, to));
        await TimeAsync("one statement, min+max only", () => One(Statement("min(\"value\"),max(\"value\")"), from, to));
        await TimeAsync("one query per series, all 10 at once", () => Task.WhenAll(Enumerable.Range(0, Sensors).Select(sensor =>
            One(Statement(All, " AND \"sensor\" = $sensor"), from, to, new QueryParameters().Add("sensor", "s" + sensor.ToString("D2", CultureInfo.InvariantCulture))))));
        await TimeAsync("time split in 2 parallel queries", () => Split(Statement(All), 2));
        await TimeAsync("time split in 4 parallel queries", () => Split(Statement(All), 4));
        await TimeAsync("time split in 8 parallel queries", () => Split(Statement(All), 8));
    }

    /// <summary>
    /// One reading a minute per sensor over [start, end), as ingestion would store it (the point shape of
    /// PointMapping), through Iot.InfluxDb's writer in requests of 5,000 lines; progress on stderr.
    /// </summary>
    internal static async Task<long> WriteAsync(HttpClient http, InfluxDbServer influx, string database, DateTime start, DateTime end, CancellationToken ct)
    {
        var writer = new InfluxWriteClient(http, new InfluxWriteOptions
        {
            BaseUri = influx.BaseUri,
            Database = database,
            Gzip = false,
            BatchSize = 5_000,
            Precision = WritePrecision.Milliseconds,
            RequestTimeout = TimeSpan.FromSeconds(60),
        });
        long startMs = new DateTimeOffset(start).ToUnixTimeMilliseconds();
        long minutes = (long)(end - start).TotalMinutes;
        long total = minutes * Sensors;
        string unit = Unit.DegreeCelsius.Code();
        var clock = Stopwatch.StartNew();
        var points = new List<Point>(PointsPerWrite);
        long written = 0, nextReport = total / 10;

        // Bounded: exactly minutes x sensors points, PointsPerWrite at a time.
        for (long minute = 0; minute < minutes; minute++)
        {
            for (int sensor = 0; sensor < Sensors; sensor++)
            {
                double value = 18 + (6 * Math.Sin(minute * Math.PI / 720)) + (sensor * 0.1);
                points.Add(Point.Measurement(TimeSeries.MeasurementOf(MeasurementType.Temperature))
                    .Tag(TimeSeries.GatewayTag, Gateway)
                    .Tag(TimeSeries.ZoneTag, Zone)
                    .Tag(TimeSeries.SensorTag, "s" + sensor.ToString("D2", CultureInfo.InvariantCulture))
                    .Tag(TimeSeries.BatchTag, Code)
                    .Field(TimeSeries.ValueField, Math.Round(value, 2))
                    .Field(TimeSeries.UnitField, unit)
                    .Field(TimeSeries.QualityField, "good")
                    .Field(TimeSeries.ClockField, "synchronized")
                    .Field(TimeSeries.SeqField, (minute / 10) + 1)
                    .Timestamp(startMs + (minute * 60_000), WritePrecision.Milliseconds));
            }

            if (points.Count >= PointsPerWrite || minute == minutes - 1)
            {
                var result = await writer.WriteAsync(points, ct);
                result.ThrowIfFailed();
                if (result.Rejected.Count > 0)
                {
                    throw new InvalidOperationException($"InfluxDB rejected {result.Rejected.Count} points: {result.Rejected[0].Reason}");
                }

                written += points.Count;
                points.Clear();
                if (written >= nextReport)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"history: wrote {written} of {total} points ({clock.Elapsed.TotalSeconds:F0} s)"));
                    nextReport += total / 10;
                }
            }
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"history: wrote {written} points in {clock.Elapsed.TotalSeconds:F1} s ({written / clock.Elapsed.TotalSeconds:F0}/s)"));
        return written;
    }
}
