using System.Diagnostics;
using System.Globalization;
using Iot.Contracts.Topics;
using Iot.Edge.Uplink;
using Iot.Testing;
using Iot.Testing.Mosquitto;

namespace Iot.Bench.Edge;

/// <summary>
/// <c>./iot bench edge</c>: in one run against one local Mosquitto, (1) readings per second through the gateway's
/// pipeline in this process (sample on simulated chips, stamp, outbox, uplink), counted at a subscriber; (2) the same
/// messages through a plain MQTTnet QoS 1 publish loop with the uplink's in-flight window, counted the same way;
/// (3) the resident memory of the real gateway process after it has run a minute with the same 20 sensors.
/// Ends with <c>edge: readings/s=N baseline/s=M ratio=R rss_mb=X</c>. Every phase is bounded and stops by itself.
/// </summary>
internal static class EdgeBench
{
    const double RatioTarget = 0.5;
    const int RssTargetMb = 80;

    sealed record Plan(
        long WarmupReadings,
        TimeSpan WarmupTime,
        long Readings,
        TimeSpan Time,
        TimeSpan DrainDeadline,
        TimeSpan GatewayRun,
        TimeSpan GatewayReport,
        int Rounds);

    static readonly Plan Full = new(200_000, TimeSpan.FromSeconds(10), 200_000, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), Rounds: 5);

    static readonly Plan Quick = new(2_000, TimeSpan.FromSeconds(1), 20_000, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), Rounds: 1);

    /// <summary>
    /// The fixture's broker with Nagle's algorithm off on its client sockets. Mosquitto leaves it on by default, and
    /// then a subscriber receiving messages of alternating sizes (as the gateway's are: full 500-reading messages and
    /// the rest of a flush) gets about one message per delayed TCP acknowledgement: 50 to 90 messages/s, 12 000 to
    /// 22 000 readings/s on this machine, whoever publishes. Both phases would measure that, not the gateway.
    /// </summary>
    static readonly MosquittoOptions BrokerOptions = new() { AdditionalConfiguration = ["set_tcp_nodelay true"] };

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        Plan plan = Full;
        foreach (string a in args)
        {
            if (a == "--quick")
            {
                plan = Quick;
            }
            else
            {
                await Console.Error.WriteLineAsync($"iot bench edge: unknown argument '{a}' (usage: ./iot bench edge [--quick])");
                return 2;
            }
        }

        void Say(FormattableString line) => output.WriteLine("edge: " + line.ToString(CultureInfo.InvariantCulture));

        try
        {
            return await MeasureAsync(plan, Say, output, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Say($"interrupted; the broker and the gateway it started are stopped");
            return 130;
        }
        catch (Exception e) when (e is ServerException or TimeoutException or InvalidOperationException or IOException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            Say($"failed: {e.Message}");
            return 1;
        }
    }

    static async Task<int> MeasureAsync(Plan plan, Action<FormattableString> say, TextWriter output, CancellationToken ct)
    {
        // Every figure here is for this machine as it is now: other work on it shows in them.
        say($"machine: {Environment.ProcessorCount} CPUs, load average {Figures.LoadAverage()}");
        await using var broker = await MosquittoServer.StartNewAsync(BrokerOptions, ct);
        say($"mosquitto on 127.0.0.1:{broker.Port} ({string.Join(", ", BrokerOptions.AdditionalConfiguration)})");

        var site = BenchSite.Site(TimeSpan.FromSeconds(1));
        string topic = Topic.Readings(BenchSite.GatewayId).ToString();
        int window = new MqttOptions().MaxInFlight;
        string chips = string.Join(", ", site.Sensors.GroupBy(s => s.Chip).Select(g => $"{g.Count()} on {g.Key}"));

        // 1 and 2, in rounds: the pipeline in this process, then the very messages it delivered through a plain publish
        // loop. Each phase lasts a second or two, so one round is at the mercy of whatever else the machine does in
        // that second; the figures are the medians over the rounds.
        var pipelineRates = new List<double>();
        var baselineRates = new List<double>();
        await using (var pipeline = await EdgePipeline.StartAsync(broker, site, TimeSpan.FromSeconds(30), ct))
        {
            say($"pipeline: {pipeline.Sensors.Count} sensors ({chips}) on simulated chips, conversion waits skipped; one read loop round-robin, a flush loop beside it every {EdgePipeline.FlushInterval.TotalMilliseconds} ms (the gateway's Sampling:FlushInterval); uplink connected, QoS 1, {window} in flight");
            List<(string Topic, byte[] Payload)> warmupMessages;
            await using (var receiver = await Receiver.ConnectAsync(broker, topic, "warmup", ct))
            {
                var warmup = await pipeline.RunAsync(plan.WarmupReadings, plan.WarmupTime, receiver, plan.DrainDeadline, ct);
                warmupMessages = receiver.Messages();
                say($"pipeline warm-up: {warmup.Delivered} readings in {warmup.Elapsed.TotalSeconds:F2} s ({warmup.ReadingsPerSecond:F0}/s), not counted");
            }

            long warmupReadings = await WarmUpBaselineAsync(broker, topic, warmupMessages, window, plan, ct);
            say($"baseline warm-up: {warmupMessages.Count} messages, {warmupReadings} readings, not counted");

            for (int round = 1; round <= plan.Rounds; round++)
            {
                List<(string Topic, byte[] Payload)> messages;
                PipelineRun run;
                await using (var receiver = await Receiver.ConnectAsync(broker, topic, $"pipeline-{round}", ct))
                {
                    say($"round {round}: pipeline: sampling up to {plan.Readings} readings or {plan.Time.TotalSeconds} s, whichever first");
                    var cpuBefore = CpuTime.Now(broker.ProcessId);
                    var gcBefore = GcCounts.Now();
                    run = await pipeline.RunAsync(plan.Readings, plan.Time, receiver, plan.DrainDeadline, ct);
                    var gc = GcCounts.Now() - gcBefore;
                    var cpuAfter = CpuTime.Now(broker.ProcessId);
                    messages = receiver.Messages();
                    say($"round {round}: pipeline: sampled {run.Produced} readings ({run.Reads} reads, {run.BadReadings} bad) in {run.Sampling.TotalSeconds:F2} s = {run.Produced / run.Sampling.TotalSeconds:F0}/s, the flush loop beside it made {run.Flushes} fsynced outbox appends, busy {run.FlushTime.TotalSeconds:F2} s");
                    var drain = run.Elapsed - run.Sampling;
                    say($"round {round}: pipeline: after sampling stopped the uplink sent the {run.OutboxDepthAfterSampling} messages left in {drain.TotalSeconds:F2} s");
                    var self = cpuAfter.Self - cpuBefore.Self;
                    say($"round {round}: pipeline: CPU {self.TotalSeconds:F2} s in this process (read loop {(run.ReadCpu is { } r ? r.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) : "?")} s allocating {run.ReadAllocated / 1e6:F0} MB, flush loop {run.FlushCpu.TotalSeconds:F2} s allocating {run.FlushAllocated / 1e6:F0} MB, the rest: uplink, subscriber, runtime), {(cpuAfter.Broker - cpuBefore.Broker).TotalSeconds:F2} s in mosquitto; {gc}");
                    say($"round {round}: pipeline: subscriber got {run.Delivered} of {run.Produced} readings in {messages.Count} messages ({receiver.Duplicates} resends) {run.Elapsed.TotalSeconds:F2} s after the first read = {run.ReadingsPerSecond:F0} readings/s{(run.Complete ? string.Empty : " (INCOMPLETE: the drain deadline passed)")}");
                }

                await using (var receiver = await Receiver.ConnectAsync(broker, topic, $"baseline-{round}", ct))
                {
                    var cpuBefore = CpuTime.Now(broker.ProcessId);
                    var gcBefore = GcCounts.Now();
                    var baseline = await Baseline.RunAsync(broker, messages, run.Delivered, window, receiver, plan.DrainDeadline, ct);
                    var gc = GcCounts.Now() - gcBefore;
                    var cpuAfter = CpuTime.Now(broker.ProcessId);
                    say($"round {round}: baseline: CPU {(cpuAfter.Self - cpuBefore.Self).TotalSeconds:F2} s in this process (publisher, subscriber, runtime), {(cpuAfter.Broker - cpuBefore.Broker).TotalSeconds:F2} s in mosquitto; {gc}");
                    say($"round {round}: baseline: plain MQTTnet QoS 1 loop, {window} in flight: {baseline.Delivered} of {baseline.Readings} readings in {baseline.Messages} messages in {baseline.Elapsed.TotalSeconds:F2} s = {baseline.ReadingsPerSecond:F0} readings/s{(baseline.Complete ? string.Empty : " (INCOMPLETE: the drain deadline passed)")}");
                    baselineRates.Add(baseline.ReadingsPerSecond);
                }

                pipelineRates.Add(run.ReadingsPerSecond);
            }

            say($"pipeline: chip conversion waits skipped: {pipeline.SkippedChipWaits.TotalSeconds:F1} s");
        }

        // 3. The real gateway process: resident memory after a minute.
        long? rssKb = await GatewayMemoryAsync(broker, site, topic, plan, say, ct);
        if (rssKb is null)
        {
            return 1;
        }

        long n = (long)Math.Round(Figures.Median(pipelineRates));
        long m = (long)Math.Round(Figures.Median(baselineRates));
        say($"medians over {plan.Rounds} round(s): pipeline {n}/s (of {string.Join(", ", pipelineRates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}), baseline {m}/s (of {string.Join(", ", baselineRates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})");
        double ratio = m == 0 ? 0 : (double)n / m;
        long rssMb = (long)Math.Round(rssKb.Value / 1024.0);
        say($"machine: load average {Figures.LoadAverage()} at the end");
        say($"targets: ratio >= {RatioTarget:F1} ({(ratio >= RatioTarget ? "met" : "MISSED")}), rss_mb <= {RssTargetMb} ({(rssMb <= RssTargetMb ? "met" : "MISSED")})");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"edge: readings/s={n} baseline/s={m} ratio={ratio:F2} rss_mb={rssMb}"));
        return 0;
    }

    /// <summary>Publishes <paramref name="messages"/> through the baseline loop to warm it up; returns the readings delivered.</summary>
    static async Task<long> WarmUpBaselineAsync(MosquittoServer broker, string topic, List<(string Topic, byte[] Payload)> messages, int window, Plan plan, CancellationToken ct)
    {
        await using var receiver = await Receiver.ConnectAsync(broker, topic, "warmup", ct);
        long readings = messages.Sum(m => CountReadings(m.Payload));
        var run = await Baseline.RunAsync(broker, messages, readings, window, receiver, plan.DrainDeadline, ct);
        return run.Delivered;
    }

    static long CountReadings(byte[] payload)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(payload);
        return doc.RootElement.GetProperty("readings").GetArrayLength();
    }

    /// <summary>
    /// Runs the gateway for <see cref="Plan.GatewayRun"/> against <paramref name="broker"/> with the benchmark's site,
    /// every sensor on a 1 s schedule, and returns its VmRSS then (null if it did not run that long); stops it with SIGTERM.
    /// </summary>
    static async Task<long?> GatewayMemoryAsync(MosquittoServer broker, Iot.Edge.Hosting.SiteOptions site, string topic, Plan plan, Action<FormattableString> say, CancellationToken ct)
    {
        string executable = GatewayProcess.FindExecutable();
        string folder = Directory.CreateTempSubdirectory("iot-bench-gateway-").FullName;
        try
        {
            await using var receiver = await Receiver.ConnectAsync(broker, topic, "gateway", ct);

            // Ingestion takes the gateway's trace events too. Without a subscriber the broker answers the batch events
            // the gateway stores at first start with "no matching subscribers", which the uplink (rightly) does not
            // count as delivered: it keeps them and reconnects, and nothing behind them is sent.
            await using var events = await Receiver.ConnectAsync(broker, Topic.Events(BenchSite.GatewayId).ToString(), "gateway-events", ct);
            var args = new List<string>
            {
                $"--Gateway:Id={BenchSite.GatewayId}",
                "--Mqtt:Host=127.0.0.1",
                string.Create(CultureInfo.InvariantCulture, $"--Mqtt:Port={broker.Port}"),
                $"--Outbox:Path={Path.Combine(folder, "outbox.db")}",
                "--Hardware:Simulated=true",
                "--Clock:Source=AssumeSynchronized",
            };
            args.AddRange(BenchSite.CommandLine(site));
            using var gateway = GatewayProcess.Start(executable, folder, args);
            say($"gateway: started {executable} (pid {gateway.Id}), {site.Sensors.Count} sensors every 1 s, for {plan.GatewayRun.TotalSeconds} s");

            long started = Stopwatch.GetTimestamp();
            long? rss = null;
            for (var at = plan.GatewayReport; at <= plan.GatewayRun; at += plan.GatewayReport)
            {
                var wait = at - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }

                rss = gateway.StatusKilobytes("VmRSS");
                if (gateway.HasExited || rss is null)
                {
                    say($"gateway: exited early (code {(gateway.HasExited ? gateway.ExitCode : -1)}); its last lines:");
                    say($"{gateway.Tail}");
                    return null;
                }

                say($"gateway: {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s, VmRSS {rss / 1024.0:F1} MB, {receiver.Readings} readings delivered");
            }

            long? peak = gateway.StatusKilobytes("VmHWM");
            say($"gateway: VmRSS {rss / 1024.0:F1} MB after {plan.GatewayRun.TotalSeconds} s (peak VmHWM {peak / 1024.0:F1} MB); {receiver.Readings} readings delivered ({receiver.Readings / Stopwatch.GetElapsedTime(started).TotalSeconds:F1}/s)");
            if (receiver.Readings == 0)
            {
                say($"gateway: WARNING: no readings arrived from the gateway; its last lines:");
                say($"{gateway.Tail}");
            }

            long stopping = Stopwatch.GetTimestamp();
            bool stopped = await gateway.StopAsync(TimeSpan.FromSeconds(30));
            say($"gateway: {(stopped ? $"stopped by SIGTERM in {Stopwatch.GetElapsedTime(stopping).TotalSeconds:F1} s, exit code {gateway.ExitCode}" : "did not stop within 30 s of SIGTERM; killed")}");
            return rss;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
