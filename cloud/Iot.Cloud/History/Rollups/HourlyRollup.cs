using System.Text.Json;
using Iot.InfluxDb.Querying;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Iot.Cloud.History.Rollups;

/// <summary>
/// Keeps the hourly rollups up to date (cloud/README.md, History, "Rollups"). Every <c>Rollup:Interval</c>: rolls up
/// the dirty hours that have no write in flight (runs of consecutive hours, up to a day, in one INTO), then, when no
/// dirty hour is ready, extends coverage backwards (INTO for the day before the watermark, then the watermark moves a
/// day back) down to <see cref="Earliest"/>. An empty stretch doubles the next step (up to 32 days), so the years
/// before the first reading cost a few dozen cheap queries.
/// </summary>
public sealed partial class HourlyRollup(
    InfluxQueryClient query,
    string database,
    DirtyHours dirtyHours,
    TimeSpan interval,
    TimeProvider time,
    ILogger<HourlyRollup> logger) : BackgroundService
{
    /// <summary>Coverage never extends before this hour: ingestion refuses readings older (<c>Ingestion:EarliestTime</c>'s default).</summary>
    public static readonly DateTimeOffset Earliest = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>At most this many days of backfill per round, so dirty hours never wait long behind it.</summary>
    const int BackfillDaysPerRound = 64;

    const long Day = 24 * DirtyHours.HourSeconds;
    const long MaxStep = 32 * Day;

    readonly SemaphoreSlim running = new(1, 1);
    long backfillStep = Day;

    /// <summary>
    /// One round: every dirty hour ready now, then up to <see cref="BackfillDaysPerRound"/> days of coverage when none
    /// is ready. Returns the number of hours rolled up.
    /// </summary>
    /// <exception cref="InfluxQueryException">InfluxDB refused or did not answer (the hours taken stay dirty).</exception>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int hours = await RollDirtyAsync(cancellationToken).ConfigureAwait(false);
            long budget = BackfillDaysPerRound * Day;
            while (budget > 0 && !dirtyHours.AnyReady && await ExtendCoverageAsync(cancellationToken).ConfigureAwait(false) is { } step)
            {
                budget -= step;
            }

            return hours;
        }
        finally
        {
            running.Release();
        }
    }

    /// <summary>Rounds until no dirty hour is ready and coverage reaches <see cref="Earliest"/>: everything up to date, for tests and benchmarks.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        long earliest = Earliest.ToUnixTimeSeconds();
        do
        {
            await RunOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        while (dirtyHours.AnyReady || dirtyHours.CoveredFrom > earliest);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InfluxQueryException or HttpRequestException or OperationCanceledException)
            {
                LogFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    async Task<int> RollDirtyAsync(CancellationToken cancellationToken)
    {
        var taken = dirtyHours.TakeReady(int.MaxValue);
        int next = 0;
        try
        {
            while (next < taken.Count)
            {
                // A run of consecutive hours, up to a day, in one INTO (GROUP BY time(1h) keeps them apart).
                int end = next + 1;
                while (end < taken.Count && end - next < 24 && taken[end].Hour == taken[end - 1].Hour + DirtyHours.HourSeconds)
                {
                    end++;
                }

                await IntoAsync(taken[next].Hour, taken[end - 1].Hour + DirtyHours.HourSeconds, cancellationToken).ConfigureAwait(false);
                for (int i = next; i < end; i++)
                {
                    dirtyHours.Finish(taken[i].Hour, taken[i].Version);
                }

                next = end;
            }

            return taken.Count;
        }
        finally
        {
            for (int i = next; i < taken.Count; i++)
            {
                dirtyHours.Abandon(taken[i].Hour);
            }
        }
    }

    /// <summary>Rolls up the stretch before the watermark and moves it back; null when coverage already reaches <see cref="Earliest"/>.</summary>
    async Task<long?> ExtendCoverageAsync(CancellationToken cancellationToken)
    {
        long coveredFrom = dirtyHours.CoveredFrom;
        long earliest = Earliest.ToUnixTimeSeconds();
        if (coveredFrom <= earliest)
        {
            return null;
        }

        long from = Math.Max(earliest, coveredFrom - backfillStep);
        long written = await IntoAsync(from, coveredFrom, cancellationToken).ConfigureAwait(false);
        dirtyHours.ExtendCoverage(from);
        long step = coveredFrom - from;
        backfillStep = written == 0 ? Math.Min(backfillStep * 2, MaxStep) : Day;
        return step;
    }

    /// <summary>Rewrites the rollups of [from, to) (unix seconds, whole hours); returns the rollup points written.</summary>
    async Task<long> IntoAsync(long from, long to, CancellationToken cancellationToken)
    {
        var result = await query.ExecuteAsync(database, RollupSeries.Statements(from, to), null, cancellationToken).ConfigureAwait(false);
        long written = 0;
        foreach (var statement in result.Statements)
        {
            foreach (var series in statement.Series)
            {
                int column = series.ColumnIndex("written");
                foreach (var row in series.Values)
                {
                    if (row[column].ValueKind == JsonValueKind.Number)
                    {
                        written += row[column].GetInt64();
                    }
                }
            }
        }

        return written;
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        running.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hourly rollup failed, the hours stay dirty and are tried again: {Reason}")]
    static partial void LogFailed(ILogger logger, string reason);
}
