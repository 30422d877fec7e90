using System.Text.Json;
using Iot.Cloud.History;
using Iot.Cloud.Registry;
using Iot.Contracts.Messages;
using Iot.Testing.InfluxDb;
using static Iot.Cloud.Tests.History.HistoryRig;

namespace Iot.Cloud.Tests.History;

/// <summary>BatchHistory against a real influxd, with readings written as ingestion writes them.</summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class BatchHistoryTests(InfluxDbFixture influx)
{
    static readonly DateTime D = Day;

    [Fact]
    public async Task A_code_finds_the_series_stamped_with_it_as_a_whole_element_and_no_others()
    {
        using var rig = await StartAsync(influx);
        var t = D.AddHours(1);
        await rig.WriteAsync("gw-a",
        [
            Reading(t, 1, sensor: "exact", codes: ["AB12"]),
            Reading(t, 2, sensor: "longer", codes: ["AB123"]),       // AB12 is its prefix
            Reading(t, 3, sensor: "suffixed", codes: ["XAB12"]),     // AB12 is its suffix
            Reading(t, 4, sensor: "first-of-two", codes: ["CD34", "AB12"]), // tagged "AB12,CD34"
            Reading(t, 5, sensor: "second-of-two", codes: ["AB12", "AA11"]), // tagged "AA11,AB12"
            Reading(t, 6, sensor: "shorter", codes: ["AB1"]),
            Reading(t, 7, sensor: "unstamped"),
        ]);

        async Task<string[]> SensorsOf(string code) =>
            [.. (await rig.History.ReadAsync(code, [], At(D), At(D.AddDays(1)))).Series.Select(s => s.SensorId)];

        Assert.Equal(["exact", "first-of-two", "second-of-two"], await SensorsOf("AB12"));
        Assert.Equal(["shorter"], await SensorsOf("AB1"));
        Assert.Equal(["longer"], await SensorsOf("AB123"));
        Assert.Equal(["first-of-two"], await SensorsOf("CD34"));
        Assert.Equal(["second-of-two"], await SensorsOf("AA11"));
        Assert.Equal(["suffixed"], await SensorsOf("XAB12"));
        Assert.Empty(await SensorsOf("B12"));

        var exact = (await rig.History.ReadAsync("AB12", [], At(D), At(D.AddDays(1)))).Series[0];
        Assert.Equal(SeriesLink.Stamped, exact.Link);
        Assert.Equal(("Temperature", "CEL", "gw-a", "gh1"), (exact.Measurement, exact.Unit, exact.GatewayId, exact.GatewayZone));
        Assert.Null(exact.ZoneId);
    }

    [Fact]
    public async Task An_unstamped_sensor_of_an_occupied_zone_counts_only_during_the_stay()
    {
        using var rig = await StartAsync(influx);
        // A cold room on gw-b: one reading a minute from 00:00 to 06:00, value = minutes since midnight, no stamp.
        await rig.WriteAsync("gw-b", EveryMinute(D, D.AddHours(6), t => (t - D).TotalMinutes, sensor: "cold-1", zone: "cold"));
        // Its neighbour zone on the same gateway, and a zone of the same name on another gateway: not occupied.
        await rig.WriteAsync("gw-b", EveryMinute(D, D.AddHours(6), _ => 1, sensor: "gh2-1", zone: "gh2"));
        await rig.WriteAsync("gw-c", EveryMinute(D, D.AddHours(6), _ => 1, sensor: "cold-9", zone: "cold"));

        ZoneStay[] stays =
        [
            Stay("gw-b", "cold", D.AddHours(1).AddMinutes(30), D.AddHours(4), zoneId: "z-cold"),
            new(2, "AB12", "z-paper", null, null, At(D), null), // a zone without a gateway has no series
        ];
        var result = await rig.History.ReadAsync("AB12", stays, At(D), At(D.AddHours(6)));

        Assert.Equal(TimeSpan.FromMinutes(1), result.Interval);
        var series = Assert.Single(result.Series);
        Assert.Equal(("cold-1", SeriesLink.Zone, "z-cold"), (series.SensorId, series.Link, series.ZoneId));
        Assert.Equal([new TimeRange(At(D.AddMinutes(90)), At(D.AddHours(4)))], series.Windows);
        Assert.Equal(150, series.Points.Count);
        Assert.Equal(At(D.AddMinutes(90)), series.Points[0].Time);
        Assert.Equal(90, series.Points[0].Mean);
        Assert.Equal(At(D.AddMinutes(239)), series.Points[^1].Time);
        Assert.Equal(239, series.Points[^1].Max);
        Assert.Equal(150, series.Points.Sum(p => p.Count));
        Assert.Empty(series.Gaps);
    }

    [Fact]
    public async Task A_stay_that_does_not_start_on_a_bucket_edge_gives_partial_edge_buckets_with_only_its_readings()
    {
        using var rig = await StartAsync(influx);
        await rig.WriteAsync("gw-b", EveryMinute(D, D.AddHours(6), t => (t - D).TotalMinutes, sensor: "cold-1", zone: "cold"));

        // 6 hours in at most 100 buckets: 5 minutes. The stay [01:32, 03:58) cuts the buckets of 01:30 and 03:55.
        var result = await rig.History.ReadAsync("AB12", [Stay("gw-b", "cold", D.AddMinutes(92), D.AddMinutes(238))], At(D), At(D.AddHours(6)), pointsPerSeries: 100);

        Assert.Equal(TimeSpan.FromMinutes(5), result.Interval);
        var series = Assert.Single(result.Series);
        Assert.Equal(new HistoryPoint(At(D.AddMinutes(90)), 92, 94, 93, 3), series.Points[0]);
        Assert.Equal(new HistoryPoint(At(D.AddMinutes(95)), 95, 99, 97, 5), series.Points[1]);
        Assert.Equal(new HistoryPoint(At(D.AddMinutes(235)), 235, 237, 236, 3), series.Points[^1]);
        Assert.Equal(30, series.Points.Count);
    }

    [Fact]
    public async Task A_sensor_that_stopped_for_three_hours_shows_exactly_that_gap()
    {
        using var rig = await StartAsync(influx);
        await rig.WriteAsync("gw-a", EveryMinute(D, D.AddDays(1), _ => 20, codes: ["AB12"])
            .Where(r => r.Time < D.AddHours(10) || r.Time >= D.AddHours(13)));

        var result = await rig.History.ReadAsync("AB12", [], At(D), At(D.AddDays(1)));

        Assert.Equal(TimeSpan.FromMinutes(5), result.Interval); // 1,440 one-minute buckets would be more than 1,000
        var series = Assert.Single(result.Series);
        Assert.Equal([new TimeRange(At(D), At(D.AddDays(1)))], series.Windows);
        Assert.Equal([new TimeRange(At(D.AddHours(10)), At(D.AddHours(13)))], series.Gaps);
        Assert.Equal(288 - 36, series.Points.Count);
        Assert.Equal(1440 - 180, series.Points.Sum(p => p.Count));
    }

    [Fact]
    public async Task An_hour_of_bad_readings_is_a_gap()
    {
        using var rig = await StartAsync(influx);
        await rig.WriteAsync("gw-a", EveryMinute(D, D.AddDays(1), t => t.Hour == 14 ? null : 20, codes: ["AB12"]));

        var result = await rig.History.ReadAsync("AB12", [], At(D), At(D.AddDays(1)));

        var series = Assert.Single(result.Series);
        Assert.Equal([new TimeRange(At(D.AddHours(14)), At(D.AddHours(15)))], series.Gaps);
        Assert.Equal(1440 - 60, series.Points.Sum(p => p.Count));
        Assert.DoesNotContain(series.Points, p => p.Time.Hour == 14);
    }

    [Fact]
    public async Task Min_max_mean_and_count_are_exact_and_a_stamped_series_in_an_occupied_zone_appears_once_with_both_sets()
    {
        using var rig = await StartAsync(influx);
        await rig.WriteAsync("gw-a",
        [
            Reading(D.AddMinutes(0), 1, codes: ["AB12"]),
            Reading(D.AddMinutes(15), 2, codes: ["AB12"]),
            Reading(D.AddMinutes(30), 3, codes: ["AB12"]),
            Reading(D.AddMinutes(45), 4, codes: ["AB12", "CD34"]),
            Reading(D.AddMinutes(70), -1.5, codes: ["AB12"]),
            Reading(D.AddMinutes(100), 3.25, codes: ["AB12"]),
            // During the stay in gh1 (02:00-03:00): one stamped, two without the stamp; all three count, once each.
            Reading(D.AddMinutes(130), 10, codes: ["AB12"]),
            Reading(D.AddMinutes(140), 20),
            Reading(D.AddMinutes(170), 30, codes: ["CD34"]),
            // After the stay and unstamped: not the batch's.
            Reading(D.AddMinutes(210), 99),
        ]);

        // 10 hours in at most 10 buckets: an hour.
        var result = await rig.History.ReadAsync("AB12", [Stay("gw-a", "gh1", D.AddHours(2), D.AddHours(3), zoneId: "z-gh1")], At(D), At(D.AddHours(10)), pointsPerSeries: 10);

        Assert.Equal(TimeSpan.FromHours(1), result.Interval);
        Assert.Equal("1h", result.IntervalName);
        var series = Assert.Single(result.Series);
        Assert.Equal((SeriesLink.Stamped, "z-gh1"), (series.Link, series.ZoneId));
        Assert.Equal(
            [
                new HistoryPoint(At(D), 1, 4, 2.5, 4),
                new HistoryPoint(At(D.AddHours(1)), -1.5, 3.25, 0.875, 2),
                new HistoryPoint(At(D.AddHours(2)), 10, 30, 20, 3),
            ],
            series.Points);
        Assert.Equal([new TimeRange(At(D), At(D.AddHours(3)))], series.Windows);
        Assert.Empty(series.Gaps);
    }

    [Fact]
    public async Task A_measurement_type_with_two_units_gives_one_series_per_unit()
    {
        using var rig = await StartAsync(influx);
        await rig.WriteAsync("gw-a",
        [
            Reading(D.AddMinutes(1), 2, sensor: "scale", type: MeasurementType.Mass, unit: Unit.Kilogram, codes: ["AB12"]),
            Reading(D.AddMinutes(2), 4, sensor: "scale", type: MeasurementType.Mass, unit: Unit.Kilogram, codes: ["AB12"]),
            Reading(D.AddMinutes(3), 500, sensor: "scale", type: MeasurementType.Mass, unit: Unit.Gram, codes: ["AB12"]),
            Reading(D.AddMinutes(4), 21, sensor: "scale", codes: ["AB12"]),
        ]);

        var result = await rig.History.ReadAsync("AB12", [], At(D), At(D.AddHours(1)), pointsPerSeries: 1);

        Assert.Equal(TimeSpan.FromHours(1), result.Interval);
        Assert.Equal(
            [("Mass", "GRM", 500.0, 1L), ("Mass", "KGM", 3.0, 2L), ("Temperature", "CEL", 21.0, 1L)],
            result.Series.Select(s => (s.Measurement, s.Unit, Assert.Single(s.Points).Mean, s.Points[0].Count)));
    }

    [Fact]
    public async Task Daily_summaries_list_a_day_without_readings_as_a_gap_and_clip_a_stay_to_its_hours()
    {
        using var rig = await StartAsync(influx);
        // Stamped: one reading an hour on day 1 (value = hour) and day 3 (value = hour + 100); day 2 silent.
        await rig.WriteAsync("gw-a", Enumerable.Range(0, 24).SelectMany(h => new[]
        {
            Reading(D.AddHours(h), h, codes: ["AB12"]),
            Reading(D.AddDays(2).AddHours(h), h + 100, codes: ["AB12"]),
        }));
        // A cold room occupied from day 1 12:00 to day 2 06:00, one unstamped reading an hour all three days.
        await rig.WriteAsync("gw-b", Enumerable.Range(0, 72).Select(h => Reading(D.AddHours(h), 5, sensor: "cold-1", zone: "cold")));

        var summaries = await rig.History.SummariseAsync("AB12", [Stay("gw-b", "cold", D.AddHours(12), D.AddDays(1).AddHours(6), zoneId: "z-cold")], At(D), At(D.AddDays(3)));

        Assert.Equal(
            [
                new SensorSummary("Temperature", "CEL", "gw-a", "gh1", null, "s1", SeriesLink.Stamped, At(D), At(D.AddDays(1)), 0, 23, 11.5, 24),
                new SensorSummary("Temperature", "CEL", "gw-a", "gh1", null, "s1", SeriesLink.Stamped, At(D.AddDays(1)), At(D.AddDays(2)), null, null, null, 0),
                new SensorSummary("Temperature", "CEL", "gw-a", "gh1", null, "s1", SeriesLink.Stamped, At(D.AddDays(2)), At(D.AddDays(3)), 100, 123, 111.5, 24),
                new SensorSummary("Temperature", "CEL", "gw-b", "cold", "z-cold", "cold-1", SeriesLink.Zone, At(D.AddHours(12)), At(D.AddDays(1)), 5, 5, 5, 12),
                new SensorSummary("Temperature", "CEL", "gw-b", "cold", "z-cold", "cold-1", SeriesLink.Zone, At(D.AddDays(1)), At(D.AddDays(1).AddHours(6)), 5, 5, 5, 6),
            ],
            summaries);
    }

    [Fact]
    public async Task The_raw_csv_has_every_reading_of_the_series_in_the_window_and_quotes_a_two_batch_stamp()
    {
        using var rig = await StartAsync(influx);
        await rig.WriteAsync("gw-a",
        [
            Reading(D.AddMinutes(-1), 1, codes: ["AB12"]),                  // before the window
            Reading(D, 21.5, codes: ["CD34", "AB12"]),
            Reading(D.AddMinutes(1), null, codes: ["AB12"]),
            Reading(D.AddMinutes(2).AddMilliseconds(7), -3.25),
            Reading(D.AddMinutes(2), 7, sensor: "s2", codes: ["AB12"]),    // another sensor
            Reading(D.AddMinutes(2), 55, type: MeasurementType.RelativeHumidity, codes: ["AB12"]), // another measurement
            Reading(D.AddDays(1).AddMinutes(5), 0.1, codes: ["AB12"]),     // in the window's second day
            Reading(D.AddDays(1).AddHours(1), 2, codes: ["AB12"]),         // at the window's end: excluded
        ]);

        using var csv = new StringWriter();
        long rows = await rig.History.WriteRawCsvAsync(
            new SeriesKey("Temperature", "CEL", "gw-a", "gh1", "s1"), new TimeRange(At(D), At(D.AddDays(1).AddHours(1))), csv);

        Assert.Equal(4, rows);
        Assert.Equal(
            "time,value,unit,quality,batch\r\n" +
            "2025-03-10T00:00:00.000Z,21.5,CEL,good,\"AB12,CD34\"\r\n" +
            "2025-03-10T00:01:00.000Z,,CEL,bad,AB12\r\n" +
            "2025-03-10T00:02:00.007Z,-3.25,CEL,good,\r\n" +
            "2025-03-11T00:05:00.000Z,0.1,CEL,good,AB12\r\n",
            csv.ToString());
    }

    [Fact]
    public async Task The_result_serialises_as_camel_case_json()
    {
        using var rig = await StartAsync(influx);
        await rig.WriteAsync("gw-a", [Reading(D.AddMinutes(10), 1.5, codes: ["AB12"])]);

        var result = await rig.History.ReadAsync("AB12", [], At(D), At(D.AddHours(2)), pointsPerSeries: 1);
        string json = JsonSerializer.Serialize(result, HistoryJsonContext.Default.HistoryResult);

        Assert.Equal(
            """{"batchCode":"AB12","from":"2025-03-10T00:00:00+00:00","to":"2025-03-10T02:00:00+00:00","interval":"03:00:00","intervalName":"3h","series":[{"measurement":"Temperature","unit":"CEL","gatewayId":"gw-a","gatewayZone":"gh1","zoneId":null,"sensorId":"s1","link":"stamped","windows":[{"from":"2025-03-10T00:00:00+00:00","to":"2025-03-10T02:00:00+00:00"}],"points":[{"time":"2025-03-10T00:00:00+00:00","min":1.5,"max":1.5,"mean":1.5,"count":1}],"gaps":[]}]}""",
            json);
    }

    [Theory]
    [InlineData("ab12")]
    [InlineData("AB/12")]
    [InlineData("AB12|.*")]
    [InlineData("")]
    public async Task A_code_that_is_not_upper_case_letters_and_digits_is_refused_before_any_query(string code)
    {
        using var rig = await StartAsync(influx);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => rig.History.ReadAsync(code, [], At(D), At(D.AddDays(1))));
    }

    [Fact]
    public void The_regex_matches_the_code_as_a_whole_element_and_escapes_whatever_is_not_a_letter_or_digit()
    {
        Assert.Equal("/(^|,)7K3M9Q2TXW4A1B63(,|$)/", BatchHistory.BatchRegex("7K3M9Q2TXW4A1B63"));
        Assert.Equal(@"/(^|,)A\/B\.\*(,|$)/", BatchHistory.BatchRegex("A/B.*"));
    }
}
