using System.Diagnostics;
using Iot.Contracts.Messages;
using Iot.Edge.Clock;
using Iot.Edge.Commands;
using Iot.Edge.Hardware;
using Iot.Edge.Hosting;
using Iot.Edge.Outbox;
using Iot.Edge.Sampling;
using Iot.Edge.Stamping;
using Iot.Edge.Status;
using Iot.Edge.Uplink;
using Iot.Testing.Mosquitto;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Iot.Bench.Edge;

/// <summary>What one run of the pipeline did.</summary>
internal sealed record PipelineRun(
    long Produced,
    long BadReadings,
    long Reads,
    TimeSpan Sampling,
    int Flushes,
    TimeSpan FlushTime,
    long OutboxDepthAfterSampling,
    long Delivered,
    bool Complete,
    TimeSpan Elapsed,
    TimeSpan? ReadCpu,
    TimeSpan FlushCpu,
    long ReadAllocated,
    long FlushAllocated)
{
    public double ReadingsPerSecond => Delivered / Elapsed.TotalSeconds;
}

/// <summary>
/// The gateway's parts wired by hand as its host wires them (edge/Iot.Edge/Program.cs): the drivers on simulated chips
/// (<see cref="Workbench"/> with <c>Hardware:Simulated=true</c>), the <see cref="Sampler"/>, <see cref="BatchStamps"/>,
/// the <see cref="ReadingCollector"/> and <see cref="OutboxWriter"/> over a <see cref="SqliteOutbox"/> in a temp folder,
/// and the <see cref="MqttUplink"/> publishing to the broker. Only the sampler's timers are left out: the benchmark
/// reads the sensors itself, back to back.
/// </summary>
internal sealed class EdgePipeline : IAsyncDisposable
{
    /// <summary>
    /// How often the collector is flushed: by time only, as the gateway's flush loop does (<c>Sampling:FlushInterval</c>,
    /// 1 s by default; 100 ms here so messages flow from the start of a short run). Each flush is one fsynced transaction
    /// holding every message gathered since the last one.
    /// </summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    readonly string _folder;
    readonly SkipWaitsTimeProvider _chipTime = new();
    readonly Workbench _workbench;
    readonly SqliteOutbox _outbox;
    readonly ReadingCollector _collector;
    readonly Sampler _sampler;
    readonly MqttUplink _uplink;
    bool _started;

    EdgePipeline(int brokerPort, SiteOptions site)
    {
        _folder = Directory.CreateTempSubdirectory("iot-bench-edge-").FullName;
        var time = TimeProvider.System;
        var liveness = new Liveness(time);
        var clock = new GatewayClock(time, () => true);
        _workbench = new Workbench(site, new HardwareOptions { Simulated = true }, _chipTime);
        _outbox = SqliteOutbox.Open(Path.Combine(_folder, "outbox.db"), BenchSite.GatewayId, new OutboxOptions().MaxBytes, time);
        var signal = new OutboxSignal();
        var writer = new OutboxWriter(BenchSite.GatewayId, _outbox, signal, clock);
        var stamps = new BatchStamps(
            site.Zones.ToDictionary(z => z.Id, z => (IReadOnlyList<string>)z.Batches, StringComparer.Ordinal),
            Path.Combine(_folder, "stamps.json"));
        var health = new SensorHealthBoard();
        _collector = new ReadingCollector(writer);
        _sampler = new Sampler(
            _workbench.Sensors, stamps, clock, health, _collector, Options.Create(new SamplingOptions()), time, liveness, NullLogger<Sampler>.Instance);
        var commands = new CommandDispatcher(BenchSite.GatewayId, stamps, writer, clock, _ => "no scales on this gateway", () => { });
        _uplink = new MqttUplink(
            Options.Create(new GatewayOptions { Id = BenchSite.GatewayId }),
            Options.Create(new MqttOptions { Host = "127.0.0.1", Port = brokerPort }),
            _outbox,
            signal,
            new StatusReporter(BenchSite.GatewayId, _outbox, clock, health),
            commands,
            time,
            liveness,
            NullLogger<MqttUplink>.Instance);
    }

    public IReadOnlyList<Sensor> Sensors => _workbench.Sensors;

    /// <summary>How much chip conversion time the drivers did not wait for (see <see cref="SkipWaitsTimeProvider"/>).</summary>
    public TimeSpan SkippedChipWaits => _chipTime.Skipped;

    /// <summary>Wires the parts and waits (at most <paramref name="deadline"/>) for the uplink to connect.</summary>
    public static async Task<EdgePipeline> StartAsync(MosquittoServer broker, SiteOptions site, TimeSpan deadline, CancellationToken ct)
    {
        var pipeline = new EdgePipeline(broker.Port, site);
        try
        {
            await pipeline._uplink.StartAsync(ct);
            pipeline._started = true;
            var until = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
            while (!pipeline._uplink.IsConnected)
            {
                if (Stopwatch.GetTimestamp() > until)
                {
                    throw new TimeoutException($"the uplink did not connect to 127.0.0.1:{broker.Port} within {deadline.TotalSeconds} s");
                }

                await Task.Delay(20, ct);
            }

            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Reads the sensors round-robin, back to back, until <paramref name="maxReadings"/> readings or
    /// <paramref name="maxTime"/>, whichever comes first, while a flush loop beside it stores what the collector
    /// gathered every <see cref="FlushInterval"/> (as the gateway's own flush loop
    /// runs beside its sensor loops); then waits (at most <paramref name="drainDeadline"/>) until
    /// <paramref name="receiver"/> has every reading. The time is from the first read to the last delivery.
    /// </summary>
    public async Task<PipelineRun> RunAsync(long maxReadings, TimeSpan maxTime, Receiver receiver, TimeSpan drainDeadline, CancellationToken ct)
    {
        using var flushNow = new SemaphoreSlim(0);
        var stats = new FlushStats();
        long start = Stopwatch.GetTimestamp();
        long stopAt = start + (long)(maxTime.TotalSeconds * Stopwatch.Frequency);
        var flusher = Task.Run(() => FlushLoopAsync(flushNow, stats, ct), ct);
        ReadCounts counts;
        try
        {
            // With the waits skipped a read never yields its thread (SkipWaitsTimeProvider), so the loop gets a thread
            // of its own rather than holding one of the thread pool's two (on 2 CPUs) for the whole run: the flush
            // loop, the uplink and the subscriber run on the pool, as in the gateway, where each sensor loop gives its
            // thread back between reads.
            counts = await Task.Factory.StartNew(
                () => ReadLoopAsync(maxReadings, stopAt, ct),
                ct,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap();
        }
        finally
        {
            stats.Stop = true;
            flushNow.Release();
            await flusher;
        }

        var (produced, bad, reads, _, _) = counts;

        stats.Time(_collector);
        long sampled = Stopwatch.GetTimestamp();
        long depth = _outbox.Snapshot().Depth;
        bool complete = await receiver.WaitForAsync(produced, drainDeadline, ct);
        long end = receiver.LastDelivery;
        return new PipelineRun(
            produced,
            bad,
            reads,
            Stopwatch.GetElapsedTime(start, sampled),
            stats.Flushes,
            TimeSpan.FromSeconds((double)stats.Ticks / Stopwatch.Frequency),
            depth,
            receiver.Readings,
            complete,
            Stopwatch.GetElapsedTime(start, Math.Max(end, start + 1)),
            counts.Cpu,
            stats.Cpu,
            counts.Allocated,
            stats.Allocated);
    }

    /// <summary>Reads the sensors round-robin, back to back, until <paramref name="maxReadings"/> or <paramref name="stopAt"/>.</summary>
    async Task<ReadCounts> ReadLoopAsync(long maxReadings, long stopAt, CancellationToken ct)
    {
        var sensors = _workbench.Sensors;
        long produced = 0, bad = 0, reads = 0;
        int thread = Environment.CurrentManagedThreadId;
        var cpu = CpuTime.CurrentThread();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        while (produced < maxReadings && Stopwatch.GetTimestamp() < stopAt)
        {
            var readings = await _sampler.ReadOnceAsync(sensors[(int)(reads % sensors.Count)], ct);
            reads++;
            produced += readings.Count;
            foreach (var r in readings)
            {
                if (r.Quality == ReadingQuality.Bad)
                {
                    bad++;
                }
            }
        }

        // The loop's CPU time, if it stayed on its thread (with the waits skipped it does).
        bool same = Environment.CurrentManagedThreadId == thread;
        TimeSpan? used = same ? CpuTime.CurrentThread() - cpu : null;
        return new ReadCounts(produced, bad, reads, used, same ? GC.GetAllocatedBytesForCurrentThread() - allocated : 0);
    }

    readonly record struct ReadCounts(long Produced, long Bad, long Reads, TimeSpan? Cpu, long Allocated);

    async Task FlushLoopAsync(SemaphoreSlim flushNow, FlushStats stats, CancellationToken ct)
    {
        while (!stats.Stop)
        {
            await flushNow.WaitAsync(FlushInterval, ct);
            stats.Time(_collector);
        }
    }

    /// <summary>The flush loop's count, busy time and CPU time; <see cref="Stop"/> ends it.</summary>
    sealed class FlushStats
    {
        public volatile bool Stop;

        public int Flushes { get; private set; }

        public long Ticks { get; private set; }

        public TimeSpan Cpu { get; private set; }

        public long Allocated { get; private set; }

        public void Time(ReadingCollector collector)
        {
            long before = Stopwatch.GetTimestamp();
            var cpu = CpuTime.CurrentThread();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            if (collector.Flush() > 0)
            {
                Ticks += Stopwatch.GetTimestamp() - before;
                Cpu += CpuTime.CurrentThread() - cpu;
                Allocated += GC.GetAllocatedBytesForCurrentThread() - allocated;
                Flushes++;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            // A clean stop: the uplink sends what is left (nothing, once a run has drained) and says offline.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _uplink.StopAsync(deadline.Token);
        }

        _uplink.Dispose();
        _workbench.Dispose();
        _outbox.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
