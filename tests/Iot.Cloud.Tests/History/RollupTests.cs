using Iot.Cloud.History;
using Iot.Cloud.History.Rollups;
using Iot.Cloud.Registry;
using Iot.Contracts.Messages;
using Iot.InfluxDb.LineProtocol;
using Iot.InfluxDb.Querying;
using Iot.InfluxDb.Writing;
using Iot.Testing.InfluxDb;
using static Iot.Cloud.Tests.History.HistoryRig;

namespace Iot.Cloud.Tests.History;

/// <summary>
/// Reads backed by the hourly rollups against the same reads of the raw readings, on a real influxd with readings written
/// through PointMapping and the PointWriter.
/// </summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class RollupTests(InfluxDbFixture influx)
{
    static readonly DateTime D = Day;

    // Edges that cut hours, so every read has partial edge hours as well as whole ones.
    static readonly DateTimeOffset From = At(D.AddMinutes(25));
    static readonly DateTimeOffset To = At(D.AddDays(4).AddMinutes(-7));

    static readonly ZoneStay[] Stays =
    [
        Stay("gw-b", "cold", D.AddDays(1).AddHours(3).AddMinutes(17), D.AddDays(3).AddHours(6).AddMinutes(41), zoneId: "z-cold"),
        Stay("gw-b", "cold", D.AddDays(3).AddHours(20).AddMinutes(3), null, zoneId: "z-cold"),
    ];

    /// <summary>Four days of a stamped sensor (with a gap and an hour of bad readings), a cold room, a sensor stamped for one day only, and scales in two units.</summary>
    static async Task WriteFourDaysAsync(RollupRig rig)
    {
        await rig.WriteAsync("gw-a", EveryMinute(D.AddHours(2).AddMinutes(13), D.AddDays(2).AddHours(5), t => t.Hour == 14 && t.Day == D.Day ? null : 18 + Math.Sin((t - D).TotalMinutes / 97), sensor: "stamped", codes: ["AB12"])
            .Where(r => r.Time < D.AddDays(1).AddHours(10) || r.Time >= D.AddDays(1).AddHours(13)));
        await rig.WriteAsync("gw-b", EveryMinute(D, D.AddDays(4), t => (t - D).TotalMinutes * 0.37, sensor: "cold-1", zone: "cold"));
        await rig.WriteAsync("gw-b", EveryMinute(D, D.AddDays(4), t => 3 + ((t - D).TotalMinutes % 17), sensor: "cold-2", zone: "cold")
            .Select(r => r.Time >= D.AddDays(2) && r.Time < D.AddDays(3) ? r with { TraceCodes = ["AB12"] } : r));
        var scale = new List<Reading>();
        for (var t = D; t < D.AddDays(4); t = t.AddMinutes(10))
        {
            scale.Add(Reading(t, 100 + ((t - D).TotalMinutes % 50), sensor: "scale", zone: "cold", type: MeasurementType.Mass, unit: Unit.Kilogram));
            scale.Add(Reading(t.AddMinutes(5), 2000 + ((t - D).TotalMinutes % 70), sensor: "scale", zone: "cold", type: MeasurementType.Mass, unit: Unit.Gram));
        }

        await rig.WriteAsync("gw-b", scale);
    }

    [Fact]
    public async Task After_catching_up_rollup_backed_reads_and_summaries_equal_the_raw_ones()
    {
        await using var rig = await RollupRig.StartAsync(influx);
        await WriteFourDaysAsync(rig);
        await rig.Rollup.CatchUpAsync();

        var coverage = rig.Dirty.Snapshot();
        Assert.Empty(coverage.Dirty);
        Assert.Equal(HourlyRollup.Earliest.ToUnixTimeSeconds(), coverage.CoveredFrom);
        Assert.True(await RollupCountAsync(rig, "rollup_1h.Temperature") > 0);
        Assert.True(await RollupCountAsync(rig, "rollup_1h.Mass.KGM") > 0);
        Assert.True(await RollupCountAsync(rig, "rollup_1h.Mass.GRM") > 0);

        foreach (int points in new[] { 1000, 100, 40, 20, 10, 5 })
        {
            var raw = await rig.Raw.ReadAsync("AB12", Stays, From, To, points);
            var rolled = await rig.History.ReadAsync("AB12", Stays, From, To, points);
            AssertSameResult(raw, rolled);
        }

        var hourly = await rig.History.ReadAsync("AB12", Stays, From, To, 100);
        Assert.Equal(TimeSpan.FromHours(1), hourly.Interval);
        Assert.Equal(["cold-1", "cold-2", "scale", "scale", "stamped"], hourly.Series.Select(s => s.SensorId).Order(StringComparer.Ordinal));
        Assert.Equal(SeriesLink.Stamped, hourly.Series.Single(s => s.SensorId == "cold-2").Link);
        Assert.Single(hourly.Series.Single(s => s.SensorId == "stamped").Gaps, g => g.From == At(D.AddDays(1).AddHours(10)));

        foreach (var width in new[] { TimeSpan.FromDays(1), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromMinutes(15) })
        {
            var raw = await rig.Raw.SummariseAsync("AB12", Stays, From, To, width);
            var rolled = await rig.History.SummariseAsync("AB12", Stays, From, To, width);
            Assert.Equal(raw.Count, rolled.Count);
            foreach (var (r, o) in raw.Zip(rolled))
            {
                Assert.Equal(r with { Mean = null }, o with { Mean = null });
                Assert.Equal(r.Mean is null, o.Mean is null);
                Assert.Equal(r.Mean ?? 0, o.Mean ?? 0, 1e-9);
            }
        }
    }

    [Fact]
    public async Task Reads_take_clean_hours_from_the_rollups_and_dirty_ones_raw()
    {
        await using var rig = await RollupRig.StartAsync(influx);
        await rig.WriteAsync("gw-a", EveryMinute(D, D.AddDays(1), _ => 20, sensor: "stamped", codes: ["AB12"]));
        await rig.Rollup.CatchUpAsync();

        // A rollup point changed behind the worker's back shows in the read: clean hours do come from the rollups.
        await WriteRollupAsync(rig, D.AddHours(5), min: -40);
        var hours = await rig.History.ReadAsync("AB12", [], At(D), At(D.AddDays(1)), 24);
        Assert.Equal(-40, hours.Series[0].Points.Single(p => p.Time == At(D.AddHours(5))).Min);

        // Once that hour is dirty it is read raw.
        rig.Dirty.BeginWrite([DirtyHours.HourOf(At(D.AddHours(5)).ToUnixTimeMilliseconds())]);
        hours = await rig.History.ReadAsync("AB12", [], At(D), At(D.AddDays(1)), 24);
        Assert.Equal(20, hours.Series[0].Points.Single(p => p.Time == At(D.AddHours(5))).Min);
    }

    [Fact]
    public async Task A_late_reading_in_a_rolled_up_hour_shows_before_and_after_the_next_rollup()
    {
        await using var rig = await RollupRig.StartAsync(influx);
        await WriteFourDaysAsync(rig);
        await rig.Rollup.CatchUpAsync();
        var late = D.AddDays(1).AddHours(5).AddMinutes(30).AddSeconds(30);

        await rig.WriteAsync("gw-a", [Reading(late, 99.5, sensor: "stamped", codes: ["AB12"])]);
        Assert.Contains(DirtyHours.HourOf(At(late).ToUnixTimeMilliseconds()), rig.Dirty.Snapshot().Dirty);
        await AssertSeenAsync();

        Assert.Equal(1, await rig.Rollup.RunOnceAsync());
        Assert.Empty(rig.Dirty.Snapshot().Dirty);
        await AssertSeenAsync();

        async Task AssertSeenAsync()
        {
            var raw = await rig.Raw.ReadAsync("AB12", Stays, From, To, 100);
            var rolled = await rig.History.ReadAsync("AB12", Stays, From, To, 100);
            AssertSameResult(raw, rolled);
            var bucket = rolled.Series.Single(s => s.SensorId == "stamped").Points.Single(p => p.Time == At(D.AddDays(1).AddHours(5)));
            Assert.Equal((99.5, 61L), (bucket.Max, bucket.Count));
        }
    }

    static void AssertSameResult(HistoryResult expected, HistoryResult actual)
    {
        Assert.Equal((expected.Interval, expected.From, expected.To), (actual.Interval, actual.From, actual.To));
        Assert.Equal(expected.Series.Count, actual.Series.Count);
        foreach (var (e, a) in expected.Series.Zip(actual.Series))
        {
            Assert.Equal((e.Measurement, e.Unit, e.GatewayId, e.GatewayZone, e.ZoneId, e.SensorId, e.Link), (a.Measurement, a.Unit, a.GatewayId, a.GatewayZone, a.ZoneId, a.SensorId, a.Link));
            Assert.Equal(e.Windows, a.Windows);
            Assert.Equal(e.Gaps, a.Gaps);
            Assert.Equal(e.Points.Count, a.Points.Count);
            foreach (var (p, q) in e.Points.Zip(a.Points))
            {
                Assert.Equal((p.Time, p.Min, p.Max, p.Count), (q.Time, q.Min, q.Max, q.Count));
                Assert.Equal(p.Mean, q.Mean, 1e-9);
            }
        }
    }

    static async Task<long> RollupCountAsync(RollupRig rig, string measurement)
    {
        var result = await rig.Query.QueryAsync(rig.Database, $"SELECT count(\"count\") FROM \"{measurement}\"");
        return result.Series.Sum(s => s.Values.Sum(v => v[s.ColumnIndex("count")].GetInt64()));
    }

    async Task WriteRollupAsync(RollupRig rig, DateTime hour, double min)
    {
        var existing = await rig.Query.QueryAsync(rig.Database, "SELECT * FROM \"rollup_1h.Temperature\" WHERE time = $t", new QueryParameters().Add("t", hour.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        var row = existing.Series.Single();
        var point = Point.Measurement("rollup_1h.Temperature")
            .Tag("batch", "AB12").Tag("gateway", "gw-a").Tag("sensor", "stamped").Tag("zone", "gh1")
            .Field("min", min)
            .Field("max", row.Value(0, "max").GetDouble())
            .Field("sum", row.Value(0, "sum").GetDouble())
            .Field("count", row.Value(0, "count").GetInt64())
            .Timestamp(new DateTimeOffset(hour));
        using var http = new HttpClient();
        var result = await new InfluxWriteClient(http, new InfluxWriteOptions { BaseUri = influx.Server.BaseUri, Database = rig.Database, Gzip = false }).WriteAsync([point]);
        Assert.True(result.IsComplete, result.Failure?.Message);
    }
}
