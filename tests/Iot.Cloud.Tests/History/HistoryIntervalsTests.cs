using Iot.Cloud.History;

namespace Iot.Cloud.Tests.History;

public sealed class HistoryIntervalsTests
{
    static readonly DateTimeOffset Midnight = new(2025, 3, 10, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1_000, 1_000, "1m")]          // 1,000 minutes on minute edges: exactly 1,000 buckets
    [InlineData(1_001, 1_000, "5m")]
    [InlineData(24 * 60, 1_000, "5m")]        // a day: 1,440 minutes, 288 five-minute buckets
    [InlineData(24 * 60, 96, "15m")]
    [InlineData(24 * 60, 95, "1h")]
    [InlineData(7 * 24 * 60, 1_000, "15m")]   // a week: 672 quarter hours
    [InlineData(90 * 24 * 60, 1_000, "3h")]   // 90 days: 2,160 hours, 720 three-hour buckets
    [InlineData(90 * 24 * 60, 360, "6h")]
    [InlineData(90 * 24 * 60, 180, "12h")]
    [InlineData(90 * 24 * 60, 90, "1d")]
    [InlineData(3 * 365 * 24 * 60, 1_000, "1d")] // more days than buckets: the ladder stops at a day
    public void The_narrowest_rung_with_at_most_the_wanted_buckets_is_chosen(int minutes, int points, string expected)
    {
        var interval = HistoryIntervals.Choose(Midnight, Midnight.AddMinutes(minutes), points);

        Assert.Equal(expected, HistoryIntervals.Name(interval));
    }

    [Fact]
    public void Partial_buckets_at_either_edge_count()
    {
        // 1,000 minutes starting half a minute after a minute edge touch 1,001 minute buckets.
        var from = Midnight.AddSeconds(30);
        Assert.Equal(1_001, HistoryIntervals.BucketCount(from, from.AddMinutes(1_000), TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.FromMinutes(5), HistoryIntervals.Choose(from, from.AddMinutes(1_000), 1_000));
        Assert.Equal(1, HistoryIntervals.BucketCount(Midnight, Midnight.AddDays(1), TimeSpan.FromDays(1)));
        Assert.Equal(2, HistoryIntervals.BucketCount(Midnight.AddHours(-1), Midnight.AddHours(1), TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Names_are_influxql_durations()
    {
        Assert.Equal(
            ["1m", "5m", "15m", "1h", "3h", "6h", "12h", "1d"],
            HistoryIntervals.Ladder.Select(HistoryIntervals.Name));
        Assert.Equal("90s", HistoryIntervals.Name(TimeSpan.FromSeconds(90)));
        Assert.Throws<ArgumentOutOfRangeException>(() => HistoryIntervals.Name(TimeSpan.FromMilliseconds(1500)));
    }
}
