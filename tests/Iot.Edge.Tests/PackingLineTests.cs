using Iot.Contracts.Messages;
using Iot.Contracts.Validation;
using Iot.Edge.PackingLine;
using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Edge.Tests;

public sealed class PackingLineTests
{
    sealed class Reader : ITagReader
    {
        public Queue<(CrateTag?, string?)> Polls { get; } = new();

        public (CrateTag? Tag, string? Error) Poll() => Polls.Count > 0 ? Polls.Dequeue() : (null, null);

        public void Dispose()
        {
        }
    }

    sealed class Scale : IScale
    {
        public Queue<(Quantity?, string?)> Weights { get; } = new();

        public string Id => "scale-1";

        public Task<(Quantity? Net, string? Error)> WaitForStableNetAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(Weights.Count > 0 ? Weights.Dequeue() : ((Quantity?)null, (string?)"no settled weight in time"));

        public string? Tare() => null;

        public void Dispose()
        {
        }
    }

    const string Card = "04A224E2C45D80";

    static (Line Line, Reader Reader, Scale Scale, GatewayRig Rig) Make()
    {
        var rig = new GatewayRig();
        var reader = new Reader();
        var scale = new Scale();
        var line = new Line("line-1", reader, scale, new Dictionary<string, string> { [Card] = GatewayRig.Batch2 }, rig.Stamps, rig.Writer, rig.Clock,
            new PackingLineOptions(), rig.Time, NullLogger.Instance);
        return (line, reader, scale, rig);
    }

    static List<TraceEvent> Events(GatewayRig rig) => rig.Outbox.Peek(100)
        .Select(e => ContractReader.Read(e.Topic, e.Payload).Message).OfType<EventsMessage>().SelectMany(m => m.Events).ToList();

    [Fact]
    public async Task A_batch_card_sets_the_line_s_batch_and_a_crate_with_a_settled_weight_is_one_weighed_event()
    {
        var (line, reader, scale, rig) = Make();
        using var _ = rig;
        reader.Polls.Enqueue((new CrateTag { Uid = Card }, null));
        reader.Polls.Enqueue((new CrateTag { Uid = Card }, null)); // still in the field: nothing new
        reader.Polls.Enqueue((null, null));
        reader.Polls.Enqueue((new CrateTag { Uid = "0482F4CB042F78" }, null));
        scale.Weights.Enqueue((new Quantity(0.02, Unit.Kilogram), null)); // settled before the crate was put down
        scale.Weights.Enqueue((new Quantity(12.48, Unit.Kilogram), null));
        for (int i = 0; i < 4; i++)
        {
            await line.StepAsync(CancellationToken.None);
        }

        var events = Events(rig);
        var entered = Assert.IsType<BatchEnteredEvent>(Assert.Single(events, e => e is BatchEnteredEvent));
        Assert.Equal((GatewayRig.Batch2, BatchSource.Card, Card), (entered.Batch, entered.By, entered.Card!.Uid));
        var weighed = Assert.IsType<WeighedEvent>(Assert.Single(events, e => e is WeighedEvent));
        Assert.Equal((GatewayRig.Batch2, "0482F4CB042F78", 12.48, Unit.Kilogram, "scale-1"),
            (weighed.Batch, weighed.Crate!.Uid, weighed.Net.Value, weighed.Net.Unit, weighed.ScaleId));
        Assert.Equal(1, line.CratesWeighed);
    }

    [Fact]
    public async Task A_crate_with_no_batch_on_the_line_or_no_settled_weight_is_counted_not_recorded()
    {
        var (line, reader, _, rig) = Make();
        using var _ = rig;
        reader.Polls.Enqueue((new CrateTag { Uid = "0482F4CB042F78" }, null));
        await line.StepAsync(CancellationToken.None);
        Assert.Equal(1, line.CratesWithoutBatch);

        rig.Stamps.Set("line-1", GatewayRig.Batch1, BatchSource.Command, DateTime.UtcNow);
        reader.Polls.Enqueue((new CrateTag { Uid = "04FFFFFFFFFFFF" }, null));
        await line.StepAsync(CancellationToken.None);
        Assert.Equal(1, line.WeighFailures);
        Assert.Empty(Events(rig).OfType<WeighedEvent>());
    }
}
