using System.Diagnostics;
using System.Threading.Channels;
using Iot.Cloud.History;
using Iot.Cloud.History.Rollups;
using Iot.Cloud.Metrics;
using Iot.InfluxDb.LineProtocol;
using Iot.InfluxDb.Writing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Cloud.Points;

/// <summary>
/// Writes the points of many messages together, and each message's task completes when its points are written or
/// refused by InfluxDB. Batches form by themselves (group commit): a write takes every message waiting, up to
/// <c>InfluxDb:BatchSize</c> lines, and what arrives while it is under way waits for the next one. Nothing waits for
/// company that is not coming: with the embedded broker a gateway's messages are handled one after another, so a
/// message held back for a <c>FlushInterval</c> would hold that gateway to one message per interval (20 a second at
/// 50 ms), slower than a gateway draining its outbox after an outage can send. <c>InfluxDb:FlushInterval</c> bounds
/// how long one batch keeps gathering while messages keep arriving. While InfluxDB is unavailable the writer keeps retrying the same points with a
/// growing wait and takes nothing new: messages queue up to <c>InfluxDb:MaxQueuedMessages</c>, then the callers
/// wait, so the broker stops getting acknowledgements and the backlog stays in the gateways' outboxes.
/// </summary>
public sealed partial class PointWriter : BackgroundService
{
    readonly InfluxWriteClient _client;
    readonly InfluxDbOptions _options;
    readonly TimeProvider _time;
    readonly ILogger<PointWriter> _logger;
    readonly Channel<Submission> _queue;
    readonly DirtyHours? _dirtyHours;
    readonly FirstStamps? _firstStamps;

    /// <summary>
    /// Creates the writer over <paramref name="client"/>. With <paramref name="dirtyHours"/>, the hours of the readings of
    /// each write are marked dirty before it and released after it (cloud/README.md, History, "Rollups").
    /// </summary>
    public PointWriter(InfluxWriteClient client, IOptions<InfluxDbOptions> options, TimeProvider time, ILogger<PointWriter> logger, DirtyHours? dirtyHours = null, FirstStamps? firstStamps = null)
    {
        _firstStamps = firstStamps;
        _dirtyHours = dirtyHours;
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<Submission>(new BoundedChannelOptions(_options.MaxQueuedMessages)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Null while writes succeed; otherwise why the last one did not.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>
    /// Writes <paramref name="points"/> with others; completes when each is written or refused (the refused ones are
    /// returned with InfluxDB's reason). Throws <see cref="OperationCanceledException"/> if cancelled first: the points
    /// may or may not be written then, and the message must not be acknowledged.
    /// </summary>
    public async Task<IReadOnlyList<RejectedPoint>> WriteAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return [];
        }

        var submission = new Submission(points);
        await _queue.Writer.WriteAsync(submission, cancellationToken).ConfigureAwait(false);
        IngestMetrics.QueuedMessages.Inc();
        return await submission.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Submission>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                int lines = 0;
                long firstAt = _time.GetTimestamp();
                while (lines < _options.BatchSize && (batch.Count == 0 || _time.GetElapsedTime(firstAt) < _options.FlushInterval) && _queue.Reader.TryRead(out var next))
                {
                    IngestMetrics.QueuedMessages.Dec();
                    batch.Add(next);
                    lines += next.Points.Count;
                }

                var (hours, firstStamps) = HoursOfReadings(batch);
                _firstStamps?.Writing(firstStamps);
                _dirtyHours?.BeginWrite(hours);
                try
                {
                    await WriteUntilDoneAsync(batch, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    _dirtyHours?.EndWrite(hours);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever is not written stays unacknowledged and comes back from the broker or the gateway.
        }
        finally
        {
            foreach (var submission in batch)
            {
                submission.Done.TrySetCanceled(stoppingToken);
            }

            while (_queue.Reader.TryRead(out var left))
            {
                left.Done.TrySetCanceled(stoppingToken);
            }
        }
    }

    /// <summary>Writes every point of <paramref name="batch"/>, retrying what InfluxDB did not take until it does.</summary>
    async Task WriteUntilDoneAsync(List<Submission> batch, CancellationToken stoppingToken)
    {
        var owner = new Dictionary<Point, Submission>(ReferenceEqualityComparer.Instance);
        var pending = new List<Point>();
        foreach (var submission in batch)
        {
            foreach (var point in submission.Points)
            {
                owner[point] = submission;
                pending.Add(point);
            }
        }

        var wait = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            long started = Stopwatch.GetTimestamp();
            var result = await _client.WriteAsync(pending, stoppingToken).ConfigureAwait(false);
            IngestMetrics.WriteSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            IngestMetrics.PointsWritten.Inc(result.Written.Count);
            foreach (var rejected in result.Rejected)
            {
                owner[rejected.Point].Rejected.Add(rejected);
            }

            if (result.IsComplete)
            {
                if (Unavailable is not null)
                {
                    LogAvailableAgain(_logger, _client.WriteUri);
                }

                Unavailable = null;
                foreach (var submission in batch)
                {
                    submission.Done.TrySetResult(submission.Rejected);
                }

                return;
            }

            IngestMetrics.WriteFailures.Inc();
            string reason = result.Failure!.Message;
            if (Unavailable != reason)
            {
                LogUnavailable(_logger, reason, result.NotWritten.Count, wait.TotalSeconds);
            }

            Unavailable = reason;
            pending = [.. result.NotWritten];
            await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, _options.MaxRetryWait.Ticks));
        }
    }

    /// <summary>
    /// The hours (unix seconds) of the reading points of <paramref name="batch"/> (trace events are never rolled up),
    /// and each stamped batch's earliest reading in it (unix ms).
    /// </summary>
    (HashSet<long> Hours, Dictionary<string, long> FirstStamps) HoursOfReadings(List<Submission> batch)
    {
        var hours = new HashSet<long>();
        var firstStamps = new Dictionary<string, long>(StringComparer.Ordinal);
        if (_dirtyHours is null && _firstStamps is null)
        {
            return (hours, firstStamps);
        }

        // Per batch tag value first (a gateway stamps run after run with the same value), split into codes once at the end.
        var firstByTag = new Dictionary<string, long>(StringComparer.Ordinal);

        foreach (var submission in batch)
        {
            foreach (var point in submission.Points)
            {
                if (point.MeasurementName != TimeSeries.EventMeasurement)
                {
                    // A point without a timestamp is stamped by InfluxDB on arrival: now.
                    long ms = point.TimestampNanoseconds is { } ns
                        ? (ns - (((ns % 1_000_000) + 1_000_000) % 1_000_000)) / 1_000_000
                        : _time.GetUtcNow().ToUnixTimeMilliseconds();
                    hours.Add(DirtyHours.HourOf(ms));
                    foreach (var (key, value) in point.Tags)
                    {
                        if (key == TimeSeries.BatchTag && (!firstByTag.TryGetValue(value, out long known) || ms < known))
                        {
                            firstByTag[value] = ms;
                        }
                    }
                }
            }
        }

        foreach (var (tag, ms) in firstByTag)
        {
            foreach (string code in tag.Split(','))
            {
                if (!firstStamps.TryGetValue(code, out long known) || ms < known)
                {
                    firstStamps[code] = ms;
                }
            }
        }

        return (hours, firstStamps);
    }

    sealed class Submission(IReadOnlyList<Point> points)
    {
        public IReadOnlyList<Point> Points { get; } = points;

        public List<RejectedPoint> Rejected { get; } = [];

        public TaskCompletionSource<IReadOnlyList<RejectedPoint>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "InfluxDB is not taking points: {Reason}; holding {Points} points and their acknowledgements, next attempt in {Seconds} s")]
    static partial void LogUnavailable(ILogger logger, string reason, int points, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB at {Uri} takes points again")]
    static partial void LogAvailableAgain(ILogger logger, Uri uri);
}
