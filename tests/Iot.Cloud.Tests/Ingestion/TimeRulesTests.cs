using Iot.Cloud.Ingestion;
using Iot.Contracts.Messages;

namespace Iot.Cloud.Tests.Ingestion;

public sealed class TimeRulesTests
{
    static readonly DateTimeOffset Received = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly IngestionOptions Options = new();

    static string? Check(ClockState clock, DateTime at) => TimeRules.Check(clock, at, Received, "$.readings[4]", Options);

    [Fact]
    public void A_synchronised_clock_is_believed_from_2020_to_five_minutes_ahead_of_the_cloud()
    {
        Assert.Null(Check(ClockState.Synchronized, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Null(Check(ClockState.Synchronized, Received.UtcDateTime.AddDays(-400)));
        Assert.Null(Check(ClockState.Synchronized, Received.UtcDateTime.AddMinutes(5)));
    }

    [Fact]
    public void A_synchronised_clock_before_2020_is_refused_naming_the_path_and_the_rule()
    {
        string? reason = Check(ClockState.Synchronized, new DateTime(2019, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc));

        Assert.Equal("$.readings[4].time 2019-12-31T23:59:59.9990000Z is before 2020-01-01 although the gateway says its clock is synchronised", reason);
    }

    [Fact]
    public void A_synchronised_clock_more_than_five_minutes_ahead_is_refused_saying_by_how_much()
    {
        string? reason = Check(ClockState.Synchronized, Received.UtcDateTime.AddMinutes(5).AddMilliseconds(1));
        Assert.NotNull(reason);
        Assert.StartsWith("$.readings[4].time ", reason, StringComparison.Ordinal);
        Assert.Contains("ahead of the cloud's clock (at most 5 allowed)", reason, StringComparison.Ordinal);

        Assert.Contains("1440.0 minutes ahead", Check(ClockState.Synchronized, Received.UtcDateTime.AddDays(1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2019, 6, 1)]
    [InlineData(1970, 1, 1)]
    [InlineData(2100, 1, 1)]
    [InlineData(2262, 4, 10)]
    [InlineData(1677, 9, 22)]
    public void An_unsynchronised_clock_is_stored_as_it_is_within_what_InfluxDB_can_hold(int year, int month, int day)
    {
        Assert.Null(Check(ClockState.Unsynchronized, new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Theory]
    [InlineData(ClockState.Unsynchronized, 9999)]
    [InlineData(ClockState.Unsynchronized, 1)]
    [InlineData(ClockState.Synchronized, 9999)]
    [InlineData(ClockState.Synchronized, 1)]
    public void Any_clock_outside_InfluxDB_nanosecond_range_is_refused(ClockState clock, int year)
    {
        string? reason = Check(clock, new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.NotNull(reason);
        Assert.Contains("cannot be stored: InfluxDB keeps times from 1677-09-22 to 2262-04-10", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_limits_follow_the_options()
    {
        var options = new IngestionOptions { EarliestTime = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), MaxAhead = TimeSpan.Zero };

        Assert.NotNull(TimeRules.Check(ClockState.Synchronized, new DateTime(2024, 12, 31, 0, 0, 0, DateTimeKind.Utc), Received, "$", options));
        Assert.NotNull(TimeRules.Check(ClockState.Synchronized, Received.UtcDateTime.AddMilliseconds(1), Received, "$", options));
        Assert.Null(TimeRules.Check(ClockState.Synchronized, Received.UtcDateTime, Received, "$", options));
    }
}
