using Iot.Contracts.Messages;
using Iot.Edge.Clock;
using Iot.Edge.Outbox;
using Iot.Edge.Stamping;
using Microsoft.Extensions.Logging;

namespace Iot.Edge.PackingLine;

/// <summary>
/// One packing line: a tag reader and a scale. A batch card read sets the batch on the line (a <c>batchLeft</c> and
/// <c>batchEntered</c> event); a crate read followed by a settled weight makes one <c>weighed</c> event: the crate's
/// tag, the line's batch and the net mass. A crate read with no batch on the line, or whose weight never settles, is
/// counted and logged, never guessed.
/// </summary>
public sealed partial class Line(
    string id,
    ITagReader reader,
    IScale scale,
    IReadOnlyDictionary<string, string> batchCards,
    BatchStamps stamps,
    OutboxWriter writer,
    GatewayClock clock,
    PackingLineOptions options,
    TimeProvider time,
    ILogger log)
{
    string? _lastUid;
    long _cratesWeighed;
    long _cratesWithoutBatch;
    long _weighFailures;

    /// <summary>The line's id (a zone id).</summary>
    public string Id { get; } = id;

    /// <summary>The scale.</summary>
    public IScale Scale { get; } = scale;

    /// <summary>Crates weighed and recorded.</summary>
    public long CratesWeighed => Interlocked.Read(ref _cratesWeighed);

    /// <summary>Crates read while no batch was on the line.</summary>
    public long CratesWithoutBatch => Interlocked.Read(ref _cratesWithoutBatch);

    /// <summary>Crates whose weight did not settle in time, or whose weighing failed.</summary>
    public long WeighFailures => Interlocked.Read(ref _weighFailures);

    /// <summary>Runs the line until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.PollInterval, time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            await StepAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>One poll of the reader, and the weighing that follows a crate.</summary>
    public async Task StepAsync(CancellationToken ct)
    {
        var (tag, error) = reader.Poll();
        if (tag is null)
        {
            if (error is not null)
            {
                LogReaderFault(Id, error);
            }

            _lastUid = null;
            return;
        }

        string key = tag.Uid ?? tag.Epc!;
        if (key == _lastUid)
        {
            return; // the same tag still in the field
        }

        _lastUid = key;
        var now = clock.UtcNow;
        if (tag.Uid is not null && batchCards.TryGetValue(tag.Uid, out var batch))
        {
            writer.AppendEvents(stamps.Set(Id, batch, BatchSource.Card, now, tag));
            LogBatchCard(Id, batch);
            return;
        }

        var codes = stamps.CodesIn(Id);
        if (codes.Count != 1)
        {
            Interlocked.Increment(ref _cratesWithoutBatch);
            LogNoBatch(Id, key, codes.Count);
            return;
        }

        var (net, weighError) = await WeighCrateAsync(ct).ConfigureAwait(false);
        if (net is null)
        {
            Interlocked.Increment(ref _weighFailures);
            LogWeighFailed(Id, key, weighError ?? "no weight");
            return;
        }

        writer.AppendEvents([new WeighedEvent
        {
            Time = clock.UtcNow,
            Zone = Id,
            TraceCodes = codes,
            Batch = codes[0],
            Crate = tag,
            ScaleId = Scale.Id,
            Net = new QuantityValue { Value = Math.Round(net.Value.Value, 3), Unit = net.Value.Unit },
        }]);
        Interlocked.Increment(ref _cratesWeighed);
    }

    /// <summary>The first settled weight heavy enough to be the crate, within the weighing timeout.</summary>
    async Task<(Quantity? Net, string? Error)> WeighCrateAsync(CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + options.WeighTimeout;
        string? last = null;
        while (time.GetUtcNow() < deadline)
        {
            var (net, error) = await Scale.WaitForStableNetAsync(deadline - time.GetUtcNow(), ct).ConfigureAwait(false);
            if (net is null)
            {
                return (null, error);
            }

            double kilograms = net.Value.Unit == Unit.Gram ? net.Value.Value / 1000 : net.Value.Value;
            if (kilograms >= options.MinimumNetKilograms)
            {
                return (net, null);
            }

            last = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"settled at {net.Value}, below the {options.MinimumNetKilograms} kg a crate weighs at least");
        }

        return (null, last ?? "no settled weight in time");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Line {Line}: reader fault: {Error}")]
    partial void LogReaderFault(string line, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Line {Line}: batch card sets batch {Batch}")]
    partial void LogBatchCard(string line, string batch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Line {Line}: crate {Crate} read with {Count} batches on the line (need exactly one): not recorded; scan a batch card")]
    partial void LogNoBatch(string line, string crate, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Line {Line}: crate {Crate} not weighed: {Error}")]
    partial void LogWeighFailed(string line, string crate, string error);
}
