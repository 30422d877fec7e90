using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Iot.Cloud.History.Rollups;
using Iot.Cloud.Points;
using Iot.Cloud.Registry;
using Iot.Contracts.Messages;
using Iot.InfluxDb.Querying;

namespace Iot.Cloud.History;

/// <summary>
/// A batch's sensor record, read from InfluxDB (cloud/README.md, "Trace registry (design)", History): every series
/// stamped with the batch's trace code, plus every series of each gateway zone the batch stayed in, during the stay.
/// </summary>
/// <remarks>
/// <para><b>What is read.</b> Two disjoint sets of readings, so that no reading counts twice: the readings whose
/// <c>batch</c> tag holds the code as a whole element of its comma-joined list (<c>batch =~ /(^|,)CODE(,|$)/</c>) over
/// [from, to); and, for each stay, the readings of the stay's gateway zone that do not hold it (<c>batch !~</c>, which
/// includes readings with no stamp at all) during the stay. Each set is one query for all its series
/// (<c>SELECT min, max, mean, count(value) ... GROUP BY time(interval), gateway, zone, sensor fill(none)</c>); a bucket
/// that gets readings from both sets is merged exactly (min of mins, max of maxes, counts added, means weighted by count).
/// The measurements are the contract's <see cref="MeasurementType"/>s, never <c>trace_event</c>.</para>
/// <para><b>Series and units.</b> A series is (measurement, unit, gateway, zone, sensor). Most measurement types take one
/// unit (<see cref="MeasurementTypes"/>); <c>Volume</c> (LTR, MTQ) and <c>Mass</c> (KGM, GRM) take two, so they are read
/// per unit (<c>AND unit = ...</c>) and a sensor that sent both shows as two series rather than as a mean of litres and
/// cubic metres.</para>
/// <para><b>Links.</b> A series with any reading stamped with the code is <see cref="SeriesLink.Stamped"/> (stamped wins),
/// even when its zone was also occupied; otherwise it is <see cref="SeriesLink.Zone"/>. Either way it appears once, with
/// the readings of both sets.</para>
/// <para><b>Windows and edges.</b> A zone-linked series belongs to the record during its stays, [EnteredAt, LeftAt, or now
/// while still there), clipped to [from, to); a stamped series from the start of its first bucket with a stamped reading
/// to the end of its last (clipped likewise), joined with the stays of its zone. Buckets are aligned to the Unix epoch,
/// as InfluxQL's GROUP BY time aligns them, so a window's first and last buckets are usually partial: they aggregate
/// only the readings inside the window (the queries are bounded by it), and a point's <see cref="HistoryPoint.Time"/>
/// is still the bucket's aligned start, which may lie before the window opens.</para>
/// <para><b>Rollups.</b> With an <see cref="IRollupCoverage"/> and buckets of whole hours, each part's clean covered
/// whole hours are read from the hourly rollup measurements instead (<see cref="RollupSeries"/>) and merged the same
/// exact way; partial edge hours, dirty hours and hours before coverage stay raw (cloud/README.md, History, "Rollups").</para>
/// <para><b>Gaps.</b> A bucket of a window with no good reading (readings of quality bad have no <c>value</c>, so they
/// count as none) is a gap; consecutive gap buckets are merged into one range, clipped to the window's edges. Nothing is
/// interpolated. A sensor with no reading at all in its windows is not listed (nothing says it existed then).</para>
/// </remarks>
public sealed class BatchHistory
{
    /// <summary>Points per series the API asks for when the caller does not say.</summary>
    public const int DefaultPointsPerSeries = 1_000;

    /// <summary>Longest batch code accepted.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>Raw points are read a day at a time for the CSV export, so memory stays bounded.</summary>
    static readonly TimeSpan CsvChunk = TimeSpan.FromDays(1);

    /// <summary>Measurements with one unit, read together: name to unit code.</summary>
    internal static readonly FrozenDictionary<string, string> SingleUnit = Enum.GetValues<MeasurementType>()
        .Where(t => MeasurementTypes.UnitsOf(t).Count == 1)
        .ToFrozenDictionary(TimeSeries.MeasurementOf, t => MeasurementTypes.UnitsOf(t)[0].Code(), StringComparer.Ordinal);

    /// <summary>Measurements with more than one unit, read one unit at a time.</summary>
    internal static readonly (string Measurement, string Unit)[] MultiUnit = [.. Enum.GetValues<MeasurementType>()
        .Where(t => MeasurementTypes.UnitsOf(t).Count > 1)
        .SelectMany(t => MeasurementTypes.UnitsOf(t).Select(u => (TimeSeries.MeasurementOf(t), u.Code())))];

    static readonly string SingleUnitFrom = string.Join(',', SingleUnit.Keys.Order(StringComparer.Ordinal).Select(Quote));

    static readonly string SingleUnitRollupFrom = string.Join(',', SingleUnit.Keys.Order(StringComparer.Ordinal).Select(m => Quote(RollupSeries.Of(m))));

    /// <summary>At most this many raw stretches per part between rollup ones; nearer ones are joined (read raw).</summary>
    const int MaxRawStretches = 8;

    const long HourMs = 3_600_000;

    readonly InfluxQueryClient query;
    readonly string database;
    readonly TimeProvider time;
    readonly IRollupCoverage? rollups;
    readonly FirstStamps? firstStamps;

    /// <summary>
    /// Reads from <paramref name="database"/> (v1; with InfluxDB 2.x, the bucket mapped for v1) through <paramref name="query"/>.
    /// With <paramref name="rollups"/>, buckets of an hour or more take the clean covered hours from the hourly rollups
    /// (cloud/README.md, History, "Rollups"); without, everything is read raw.
    /// </summary>
    public BatchHistory(InfluxQueryClient query, string database, TimeProvider? timeProvider = null, IRollupCoverage? rollups = null, FirstStamps? firstStamps = null)
    {
        this.firstStamps = firstStamps;
        this.rollups = rollups;
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        this.query = query;
        this.database = database;
        time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// The record of <paramref name="batchCode"/> over [<paramref name="from"/>, <paramref name="to"/>), each series in
    /// buckets of the narrowest interval of <see cref="HistoryIntervals.Ladder"/> that gives at most
    /// <paramref name="pointsPerSeries"/> buckets.
    /// </summary>
    /// <param name="batchCode">The batch trace code (upper-case letters and digits).</param>
    /// <param name="stays">The batch's zone stays from the registry; stays without a gateway zone have no series.</param>
    /// <param name="from">Start (inclusive).</param>
    /// <param name="to">End (exclusive).</param>
    /// <param name="pointsPerSeries">The most buckets a series may have (the ladder's top, a day, is used beyond).</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="InfluxQueryException">InfluxDB refused or did not answer.</exception>
    public async Task<HistoryResult> ReadAsync(
        string batchCode,
        IReadOnlyList<ZoneStay> stays,
        DateTimeOffset from,
        DateTimeOffset to,
        int pointsPerSeries = DefaultPointsPerSeries,
        CancellationToken cancellationToken = default)
    {
        CheckArguments(batchCode, stays, from, to);
        var interval = HistoryIntervals.Choose(from, to, pointsPerSeries);
        var gathered = await GatherAsync(batchCode, stays, from, to, interval, cancellationToken).ConfigureAwait(false);
        return new HistoryResult(
            batchCode,
            from.ToUniversalTime(),
            to.ToUniversalTime(),
            interval,
            HistoryIntervals.Name(interval),
            [.. gathered.Select(s => s.ToSeries())]);
    }

    /// <summary>
    /// Per series, one <see cref="SensorSummary"/> per bucket of <paramref name="interval"/> (default a day: buckets are
    /// aligned to the Unix epoch, so days run from midnight UTC) that meets one of the series' windows, for exports. A
    /// bucket with no good reading is there with <see cref="SensorSummary.Count"/> 0 (a gap). A summary's
    /// <see cref="SensorSummary.From"/> and <see cref="SensorSummary.To"/> are the bucket clipped to the windows, so the
    /// first and last ones of a stay are partial.
    /// </summary>
    /// <exception cref="InfluxQueryException">InfluxDB refused or did not answer.</exception>
    public async Task<IReadOnlyList<SensorSummary>> SummariseAsync(
        string batchCode,
        IReadOnlyList<ZoneStay> stays,
        DateTimeOffset from,
        DateTimeOffset to,
        TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        CheckArguments(batchCode, stays, from, to);
        var width = interval ?? TimeSpan.FromDays(1);
        _ = HistoryIntervals.Name(width); // positive whole seconds, or it throws
        var gathered = await GatherAsync(batchCode, stays, from, to, width, cancellationToken).ConfigureAwait(false);
        return [.. gathered.SelectMany(s => s.ToSummaries())];
    }

    /// <summary>
    /// Writes the raw readings of <paramref name="series"/> in <paramref name="window"/> as CSV (RFC 4180: comma
    /// separated, fields quoted when they hold a comma or a quote, CRLF line ends): a header
    /// <c>time,value,unit,quality,batch</c>, then one line per reading in time order. <c>time</c> is UTC with
    /// milliseconds (<c>2025-05-01T10:00:00.000Z</c>), <c>value</c> is empty on a bad reading, <c>batch</c> is the
    /// reading's stamp as stored (<c>A,B</c> for two batches, quoted; empty when unstamped). Every reading of the series
    /// in the window is written, stamped or not: the window says why the series belongs to the batch.
    /// </summary>
    /// <returns>The number of readings written.</returns>
    /// <exception cref="ArgumentException">The measurement is not one of the contract's, or the unit is not one it takes.</exception>
    /// <exception cref="InfluxQueryException">InfluxDB refused or did not answer.</exception>
    public async Task<long> WriteRawCsvAsync(SeriesKey series, TimeRange window, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(output);
        if (!Enum.TryParse<MeasurementType>(series.Measurement, ignoreCase: false, out var type)
            || TimeSeries.MeasurementOf(type) != series.Measurement
            || !MeasurementTypes.UnitsOf(type).Any(u => u.Code() == series.Unit))
        {
            throw new ArgumentException($"'{series.Measurement}' in '{series.Unit}' is not a measurement type and unit of the contract", nameof(series));
        }

        bool filterUnit = MeasurementTypes.UnitsOf(type).Count > 1;
        var statement = new StringBuilder()
            .Append("SELECT \"value\",\"unit\",\"quality\",\"batch\" FROM ").Append(Quote(series.Measurement))
            .Append(" WHERE \"gateway\" = $gateway AND \"zone\" = $zone AND \"sensor\" = $sensor")
            .Append(filterUnit ? " AND \"unit\" = $unit" : "")
            .Append(" AND time >= $from AND time < $to")
            .ToString();

        var csv = CsvHelper.CsvWriter.Create(output, new CsvHelper.CsvWriterOptions { NewLine = "\r\n" }, leaveOpen: true);
        await using (csv.ConfigureAwait(false))
        {
            await csv.WriteRecordAsync(["time", "value", "unit", "quality", "batch"], cancellationToken).ConfigureAwait(false);
            long written = 0;
            for (var chunkFrom = window.From; chunkFrom < window.To; chunkFrom += CsvChunk)
            {
                var chunkTo = chunkFrom + CsvChunk < window.To ? chunkFrom + CsvChunk : window.To;
                var parameters = new QueryParameters()
                    .Add("gateway", series.GatewayId)
                    .Add("zone", series.GatewayZone)
                    .Add("sensor", series.SensorId)
                    .Add("from", Rfc3339(chunkFrom))
                    .Add("to", Rfc3339(chunkTo));
                if (filterUnit)
                {
                    parameters.Add("unit", series.Unit);
                }

                var result = await query.QueryAsync(database, statement, parameters, cancellationToken).ConfigureAwait(false);
                foreach (var one in result.Series)
                {
                    int timeColumn = one.ColumnIndex("time"), valueColumn = one.ColumnIndex("value"), unitColumn = one.ColumnIndex("unit");
                    int qualityColumn = one.ColumnIndex("quality"), batchColumn = one.ColumnIndex("batch");
                    foreach (var row in one.Values)
                    {
                        csv.WriteField(Rfc3339(DateTimeOffset.FromUnixTimeMilliseconds(row[timeColumn].GetInt64())));
                        csv.WriteField(row[valueColumn].ValueKind == JsonValueKind.Number
                            ? row[valueColumn].GetDouble().ToString("R", CultureInfo.InvariantCulture)
                            : "");
                        csv.WriteField(Text(row[unitColumn]));
                        csv.WriteField(Text(row[qualityColumn]));
                        csv.WriteField(Text(row[batchColumn]));
                        await csv.EndRecordAsync(cancellationToken).ConfigureAwait(false);
                        written++;
                    }
                }
            }

            await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }
    }

    /// <summary>
    /// When the first reading stamped with <paramref name="batchCode"/> was taken, or null when there is none: a batch
    /// is often registered after its gateway started stamping it, and its record starts there. Asked of InfluxDB once,
    /// then kept in <see cref="FirstStamps"/> (when given), which every write of an earlier reading lowers.
    /// </summary>
    /// <exception cref="InfluxQueryException">InfluxDB refused or did not answer.</exception>
    public async Task<DateTimeOffset?> FirstStampedAsync(string batchCode, CancellationToken cancellationToken = default)
    {
        CheckArguments(batchCode, [], DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        if (firstStamps?.Known(batchCode) is { } known)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(known);
        }

        string from = string.Join(',', new[] { SingleUnitFrom }.Concat(MultiUnit.Select(m => Quote(m.Measurement)).Distinct()));
        var result = await query.QueryAsync(database, $"SELECT first(\"quality\") FROM {from} WHERE \"batch\" =~ {BatchRegex(batchCode)}", new QueryParameters(), cancellationToken).ConfigureAwait(false);
        long? first = null;
        foreach (var one in result.Series)
        {
            int timeColumn = one.ColumnIndex("time");
            foreach (var row in one.Values)
            {
                long at = row[timeColumn].GetInt64();
                first = first is { } f && f <= at ? f : at;
            }
        }

        if (firstStamps is not null)
        {
            first = firstStamps.Remember(batchCode, first);
        }

        return first is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>
    /// The InfluxQL regular expression literal matching a <c>batch</c> tag that holds <paramref name="batchCode"/> as a
    /// whole element of its comma-joined list: <c>/(^|,)CODE(,|$)/</c>. Every character other than an ASCII letter or
    /// digit is escaped (the code is checked to have none, but the literal never depends on that).
    /// </summary>
    public static string BatchRegex(string batchCode)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchCode);
        var regex = new StringBuilder("/(^|,)");
        foreach (char c in batchCode)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                regex.Append('\\');
            }

            regex.Append(c);
        }

        return regex.Append("(,|$)/").ToString();
    }

    static void CheckArguments(string batchCode, IReadOnlyList<ZoneStay> stays, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchCode);
        ArgumentNullException.ThrowIfNull(stays);
        if (batchCode.Length > MaxCodeLength || !batchCode.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)))
        {
            throw new ArgumentException($"a batch code is 1 to {MaxCodeLength} upper-case letters and digits", nameof(batchCode));
        }

        if (to <= from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "must be after from");
        }
    }

    /// <summary>Reads both sets of readings (stamped; unstamped during stays) and merges them per series and bucket.</summary>
    async Task<IReadOnlyList<SeriesAccumulator>> GatherAsync(
        string batchCode,
        IReadOnlyList<ZoneStay> stays,
        DateTimeOffset from,
        DateTimeOffset to,
        TimeSpan interval,
        CancellationToken cancellationToken)
    {
        long fromMs = from.ToUnixTimeMilliseconds(), toMs = to.ToUnixTimeMilliseconds();
        long nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        long width = (long)interval.TotalMilliseconds;
        string regex = BatchRegex(batchCode);
        string group = $" GROUP BY time({HistoryIntervals.Name(interval)}),\"gateway\",\"zone\",\"sensor\" fill(none)";

        // Stays per gateway zone, clipped to [from, to) and merged where they overlap, so no reading is read twice.
        var zones = new Dictionary<(string Gateway, string Zone), ZoneWindows>();
        foreach (var stay in stays)
        {
            if (stay.GatewayId is not { Length: > 0 } gateway || stay.GatewayZone is not { Length: > 0 } zone)
            {
                continue;
            }

            long start = Math.Max(stay.EnteredAt.ToUnixTimeMilliseconds(), fromMs);
            long end = Math.Min(stay.LeftAt?.ToUnixTimeMilliseconds() ?? nowMs, toMs);
            if (!zones.TryGetValue((gateway, zone), out var windows))
            {
                zones[(gateway, zone)] = windows = new ZoneWindows(stay.ZoneId);
            }

            if (end > start)
            {
                windows.Ranges.Add((start, end));
            }
        }

        foreach (var windows in zones.Values)
        {
            windows.Merge();
        }

        // With buckets of whole hours, each part's clean covered whole hours come from the rollups, the rest raw.
        var coverage = rollups is not null && width % HourMs == 0 ? rollups.Snapshot() : null;
        var parts = new List<Task<(QueryResult Result, bool Stamped)>>();
        AddPart($"\"batch\" =~ {regex}", fromMs, toMs, null, stamped: true);
        foreach (var ((gateway, zone), windows) in zones)
        {
            foreach (var (start, end) in windows.Ranges)
            {
                AddPart($"\"batch\" !~ {regex} AND \"gateway\" = $gateway AND \"zone\" = $zone", start, end, (gateway, zone), stamped: false);
            }
        }

        var answers = await Task.WhenAll(parts).ConfigureAwait(false);

        var series = new Dictionary<SeriesKey, SeriesAccumulator>();
        foreach (var (result, stamped) in answers)
        {
            foreach (var statement in result.Statements)
            {
                foreach (var one in statement.Series)
                {
                    // A rollup series is named after its rollup measurement: statement 0's by prefix, the others by position.
                    string measurement = statement.StatementId == 0
                        ? (one.Name.StartsWith(RollupSeries.Prefix, StringComparison.Ordinal) ? one.Name[RollupSeries.Prefix.Length..] : one.Name)
                        : MultiUnit[statement.StatementId - 1].Measurement;
                    string unit = statement.StatementId == 0 ? SingleUnit[measurement] : MultiUnit[statement.StatementId - 1].Unit;
                    var key = new SeriesKey(measurement, unit, Tag(one, TimeSeries.GatewayTag), Tag(one, TimeSeries.ZoneTag), Tag(one, TimeSeries.SensorTag));
                    if (!series.TryGetValue(key, out var accumulator))
                    {
                        zones.TryGetValue((key.GatewayId, key.GatewayZone), out var zoneWindows);
                        series[key] = accumulator = new SeriesAccumulator(key, zoneWindows, fromMs, toMs, width);
                    }

                    accumulator.Add(one, stamped);
                }
            }
        }

        return [.. series.Values.OrderBy(s => s.Key.GatewayId, StringComparer.Ordinal)
            .ThenBy(s => s.Key.GatewayZone, StringComparer.Ordinal)
            .ThenBy(s => s.Key.SensorId, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Measurement, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Unit, StringComparer.Ordinal)];

        void AddPart(string condition, long start, long end, (string Gateway, string Zone)? zone, bool stamped)
        {
            foreach (var (stretchFrom, stretchTo, rollup) in Stretches(start, end, coverage))
            {
                parts.Add(RunPartAsync(condition, stretchFrom, stretchTo, zone, stamped, rollup));
            }
        }

        async Task<(QueryResult, bool)> RunPartAsync(string condition, long start, long end, (string Gateway, string Zone)? zone, bool stamped, bool rollup)
        {
            if (rollup)
            {
                return await RunRollupPartAsync(condition, start, end, zone, stamped).ConfigureAwait(false);
            }

            // Statement 0: the one-unit measurements together; then one statement per (measurement, unit) of the others.
            var parameters = new QueryParameters().Add("from", Rfc3339(start)).Add("to", Rfc3339(end));
            if (zone is var (gateway, gatewayZone))
            {
                parameters.Add("gateway", gateway).Add("zone", gatewayZone);
            }

            string where = $" WHERE {condition} AND time >= $from AND time < $to";
            var text = new StringBuilder(Select).Append(SingleUnitFrom).Append(where).Append(group);
            for (int i = 0; i < MultiUnit.Length; i++)
            {
                string name = "unit" + i.ToString(CultureInfo.InvariantCulture);
                parameters.Add(name, MultiUnit[i].Unit);
                text.Append(';').Append(Select).Append(Quote(MultiUnit[i].Measurement)).Append(where).Append(" AND \"unit\" = $").Append(name).Append(group);
            }

            return (await query.QueryAsync(database, text.ToString(), parameters, cancellationToken).ConfigureAwait(false), stamped);
        }

        async Task<(QueryResult, bool)> RunRollupPartAsync(string condition, long start, long end, (string Gateway, string Zone)? zone, bool stamped)
        {
            // The same statements over the rollup measurements: one per multi-unit (measurement, unit), no unit filter.
            var parameters = new QueryParameters().Add("from", Rfc3339(start)).Add("to", Rfc3339(end));
            if (zone is var (gateway, gatewayZone))
            {
                parameters.Add("gateway", gateway).Add("zone", gatewayZone);
            }

            string where = $" WHERE {condition} AND time >= $from AND time < $to";
            var text = new StringBuilder(RollupSelect).Append(SingleUnitRollupFrom).Append(where).Append(group);
            foreach (var (measurement, unit) in MultiUnit)
            {
                text.Append(';').Append(RollupSelect).Append(Quote(RollupSeries.Of(measurement, unit))).Append(where).Append(group);
            }

            return (await query.QueryAsync(database, text.ToString(), parameters, cancellationToken).ConfigureAwait(false), stamped);
        }
    }

    /// <summary>
    /// [start, end) cut into stretches read raw or from the rollups: the partial hours at the edges, dirty hours and hours
    /// before coverage raw, the other whole hours from the rollups. All raw without <paramref name="coverage"/>. At most
    /// <see cref="MaxRawStretches"/> raw stretches: the ones with the fewest clean hours between them are joined.
    /// </summary>
    static List<(long From, long To, bool Rollup)> Stretches(long start, long end, RollupCoverage? coverage)
    {
        long firstHour = Floor(start + HourMs - 1, HourMs), lastHour = Floor(end, HourMs);
        if (coverage is null || firstHour >= lastHour)
        {
            return [(start, end, false)];
        }

        var raw = new List<(long From, long To)>();
        if (start < firstHour)
        {
            raw.Add((start, firstHour));
        }

        for (long hour = firstHour; hour < lastHour; hour += HourMs)
        {
            if (!coverage.IsClean(hour / 1000))
            {
                raw.Add((hour, hour + HourMs));
            }
        }

        if (lastHour < end)
        {
            raw.Add((lastHour, end));
        }

        raw = MergeRanges(raw);
        while (raw.Count > MaxRawStretches)
        {
            int nearest = Enumerable.Range(0, raw.Count - 1).MinBy(i => raw[i + 1].From - raw[i].To);
            raw[nearest] = (raw[nearest].From, raw[nearest + 1].To);
            raw.RemoveAt(nearest + 1);
        }

        var stretches = new List<(long From, long To, bool Rollup)>();
        long at = start;
        foreach (var (rawFrom, rawTo) in raw)
        {
            if (at < rawFrom)
            {
                stretches.Add((at, rawFrom, true));
            }

            stretches.Add((rawFrom, rawTo, false));
            at = rawTo;
        }

        if (at < end)
        {
            stretches.Add((at, end, true));
        }

        return stretches;
    }

    const string RollupSelect = "SELECT min(\"min\") AS \"min\",max(\"max\") AS \"max\",sum(\"sum\") / sum(\"count\") AS \"mean\",sum(\"count\") AS \"count\" FROM ";

    const string Select = "SELECT min(\"value\") AS \"min\",max(\"value\") AS \"max\",mean(\"value\") AS \"mean\",count(\"value\") AS \"count\" FROM ";

    static string Tag(Series series, string tag) => series.Tags.TryGetValue(tag, out var value) ? value : "";

    static string Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => element.GetRawText(),
    };

    internal static string Quote(string identifier) =>
        "\"" + identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    static string Rfc3339(long milliseconds) => Rfc3339(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));

    static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    static long Floor(long value, long width) => value - (((value % width) + width) % width);

    static DateTimeOffset At(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    /// <summary>The stays of one gateway zone, as disjoint millisecond ranges.</summary>
    sealed class ZoneWindows(string zoneId)
    {
        public string ZoneId { get; } = zoneId;

        public List<(long From, long To)> Ranges { get; private set; } = [];

        public void Merge() => Ranges = MergeRanges(Ranges);
    }

    static List<(long From, long To)> MergeRanges(IEnumerable<(long From, long To)> ranges)
    {
        var merged = new List<(long From, long To)>();
        foreach (var (start, end) in ranges.OrderBy(r => r.From))
        {
            if (merged.Count > 0 && start <= merged[^1].To)
            {
                merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, end));
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return merged;
    }

    /// <summary>One bucket's aggregate of good readings.</summary>
    record struct Bucket(double Min, double Max, double Mean, long Count)
    {
        public readonly Bucket Merge(Bucket other) => new(
            Math.Min(Min, other.Min),
            Math.Max(Max, other.Max),
            ((Mean * Count) + (other.Mean * other.Count)) / (Count + other.Count),
            Count + other.Count);
    }

    /// <summary>One series' buckets from every part, with what is needed to find its windows.</summary>
    sealed class SeriesAccumulator(SeriesKey key, ZoneWindows? zone, long fromMs, long toMs, long width)
    {
        readonly SortedDictionary<long, Bucket> buckets = [];
        long firstStamped = long.MaxValue;
        long lastStamped = long.MinValue;

        public SeriesKey Key { get; } = key;

        bool Stamped => firstStamped != long.MaxValue;

        public void Add(Series series, bool stamped)
        {
            int timeColumn = series.ColumnIndex("time"), minColumn = series.ColumnIndex("min"), maxColumn = series.ColumnIndex("max");
            int meanColumn = series.ColumnIndex("mean"), countColumn = series.ColumnIndex("count");
            foreach (var row in series.Values)
            {
                if (row[countColumn].ValueKind != JsonValueKind.Number || row[countColumn].GetInt64() == 0
                    || row[minColumn].ValueKind != JsonValueKind.Number)
                {
                    continue;
                }

                long start = Floor(row[timeColumn].GetInt64(), width);
                var bucket = new Bucket(row[minColumn].GetDouble(), row[maxColumn].GetDouble(), row[meanColumn].GetDouble(), row[countColumn].GetInt64());
                buckets[start] = buckets.TryGetValue(start, out var earlier) ? earlier.Merge(bucket) : bucket;
                if (stamped)
                {
                    firstStamped = Math.Min(firstStamped, start);
                    lastStamped = Math.Max(lastStamped, start);
                }
            }
        }

        public HistorySeries ToSeries()
        {
            var windows = Windows();
            var gaps = new List<(long From, long To)>();
            foreach (var (start, end) in windows)
            {
                for (long bucket = Floor(start, width); bucket < end; bucket += width)
                {
                    if (buckets.ContainsKey(bucket))
                    {
                        continue;
                    }

                    long gapFrom = Math.Max(bucket, start), gapTo = Math.Min(bucket + width, end);
                    if (gaps.Count > 0 && gaps[^1].To == gapFrom)
                    {
                        gaps[^1] = (gaps[^1].From, gapTo);
                    }
                    else
                    {
                        gaps.Add((gapFrom, gapTo));
                    }
                }
            }

            return new HistorySeries(
                Key.Measurement,
                Key.Unit,
                Key.GatewayId,
                Key.GatewayZone,
                zone?.ZoneId,
                Key.SensorId,
                Stamped ? SeriesLink.Stamped : SeriesLink.Zone,
                [.. windows.Select(w => new TimeRange(At(w.From), At(w.To)))],
                [.. buckets.Select(b => new HistoryPoint(At(b.Key), b.Value.Min, b.Value.Max, b.Value.Mean, b.Value.Count))],
                [.. gaps.Select(g => new TimeRange(At(g.From), At(g.To)))]);
        }

        public IEnumerable<SensorSummary> ToSummaries()
        {
            // Each bucket that meets a window, clipped to the first and last window it meets.
            var covered = new SortedDictionary<long, (long From, long To)>();
            foreach (var (start, end) in Windows())
            {
                for (long bucket = Floor(start, width); bucket < end; bucket += width)
                {
                    long clippedFrom = Math.Max(bucket, start), clippedTo = Math.Min(bucket + width, end);
                    covered[bucket] = covered.TryGetValue(bucket, out var earlier) ? (earlier.From, clippedTo) : (clippedFrom, clippedTo);
                }
            }

            var link = Stamped ? SeriesLink.Stamped : SeriesLink.Zone;
            foreach (var (bucket, (start, end)) in covered)
            {
                bool found = buckets.TryGetValue(bucket, out var b);
                yield return new SensorSummary(
                    Key.Measurement, Key.Unit, Key.GatewayId, Key.GatewayZone, zone?.ZoneId, Key.SensorId, link, At(start), At(end),
                    found ? b.Min : null, found ? b.Max : null, found ? b.Mean : null, found ? b.Count : 0);
            }
        }

        /// <summary>The stays of the series' zone, joined with its stamped span (first to last stamped bucket), clipped to [from, to).</summary>
        List<(long From, long To)> Windows()
        {
            var ranges = new List<(long From, long To)>(zone?.Ranges ?? []);
            if (Stamped)
            {
                ranges.Add((Math.Max(firstStamped, fromMs), Math.Min(lastStamped + width, toMs)));
            }

            return MergeRanges(ranges);
        }
    }
}
