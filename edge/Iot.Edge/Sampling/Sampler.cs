using Iot.Contracts.Messages;
using Iot.Edge.Clock;
using Iot.Edge.Stamping;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Sampling;

/// <summary>
/// Where a sensor is read: each sensor on its own schedule, each reading stamped with the batches in its zone and
/// an honest timestamp, gathered and flushed to the outbox. One failing or slow sensor never stops the others.
/// </summary>
public sealed partial class Sampler(
    IEnumerable<Sensor> sensors,
    BatchStamps stamps,
    GatewayClock clock,
    SensorHealthBoard health,
    ReadingCollector collector,
    IOptions<SamplingOptions> options,
    TimeProvider time,
    Hosting.Liveness liveness,
    ILogger<Sampler> log) : BackgroundService
{
    readonly IReadOnlyList<Sensor> _sensors = sensors.ToList();

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = _sensors.Select(s => Task.Run(() => SampleLoopAsync(s, stoppingToken), stoppingToken)).ToList();
        loops.Add(FlushLoopAsync(stoppingToken));
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // What was gathered before the stop is stored before the process ends.
            collector.Flush();
        }
    }

    async Task SampleLoopAsync(Sensor sensor, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(sensor.Interval, time);
        do
        {
            await ReadOnceAsync(sensor, ct).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    async Task FlushLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            liveness.Beat("sampling");
            try
            {
                collector.Flush();
            }
            catch (Exception e) when (e is IOException or Microsoft.Data.Sqlite.SqliteException)
            {
                LogFlushFailed(e, collector.Pending);
            }
        }
    }

    /// <summary>Reads <paramref name="sensor"/> once and hands its readings to the collector.</summary>
    public async Task<IReadOnlyList<Reading>> ReadOnceAsync(Sensor sensor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        IReadOnlyList<Sample> samples;
        try
        {
            samples = await sensor.ReadAsync(ct).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A driver's fault is a bad reading, never the end of sampling.
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogDriverFault(e, sensor.Id);
            samples = sensor.Measures.Select(m => Sample.Bad(m.Type, m.Unit, $"driver error: {e.Message}")).ToList();
        }

        var state = clock.State;
        var stamped = clock.Stamp(sensor.Id);
        var codes = stamps.CodesIn(sensor.Zone);

        // Every read of every sensor passes here: a plain loop, no LINQ, one array.
        var readings = new Reading[samples.Count];
        bool ok = true;
        for (int i = 0; i < readings.Length; i++)
        {
            readings[i] = ToReading(sensor, samples[i], stamped, codes);
            ok &= readings[i].Quality != ReadingQuality.Bad;
        }

        health.Record(sensor.Id, ok, stamped);
        collector.Add(readings, state);
        return readings;
    }

    static Reading ToReading(Sensor sensor, Sample sample, DateTime time, IReadOnlyList<string> codes)
    {
        // A value JSON cannot carry is a fault of the driver, reported as such rather than stored.
        bool finite = sample.Value is null || double.IsFinite(sample.Value.Value);
        return new Reading
        {
            SensorId = sensor.Id,
            Zone = sensor.Zone,
            Type = sample.Type,
            Value = finite ? sample.Value : null,
            Unit = sample.Unit,
            Time = time,
            Quality = finite ? sample.Quality : ReadingQuality.Bad,
            Error = finite ? Trim(sample.Error) : "driver gave a value that is not a finite number",
            TraceCodes = codes,
        };
    }

    static string? Trim(string? error) =>
        error is null ? null : new string(error.Where(c => !char.IsControl(c)).Take(Contracts.Messages.MessageSchemas.MaxText).ToArray());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor {SensorId} failed: its readings are marked bad")]
    partial void LogDriverFault(Exception exception, string sensorId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store readings in the outbox; {Pending} readings wait in memory for the next try")]
    partial void LogFlushFailed(Exception exception, int pending);
}
