using System.Text.Json;
using Iot.Contracts.Messages;
using Iot.Edge.Outbox;
using Microsoft.Extensions.Time.Testing;

namespace Iot.Edge.Tests.Outbox;

public sealed class SqliteOutboxTests : IDisposable
{
    const string Gateway = "gw-test-1";
    readonly string _folder = Directory.CreateTempSubdirectory("iot-outbox-").FullName;
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    string PathOf(string name = "outbox.db") => Path.Combine(_folder, name);

    SqliteOutbox Open(long maxBytes = 1024 * 1024, string gateway = Gateway) => SqliteOutbox.Open(PathOf(), gateway, maxBytes, _time);

    internal static ReadingsMessage Readings(int count, double firstValue = 20, string gateway = Gateway) => new()
    {
        Schema = MessageSchemas.Readings,
        GatewayId = gateway,
        Seq = 1,
        Clock = ClockState.Synchronized,
        Readings = Enumerable.Range(0, count).Select(i => new Reading
        {
            SensorId = "air-1",
            Zone = "gh1",
            Type = MeasurementType.Temperature,
            Value = firstValue + i,
            Unit = Unit.DegreeCelsius,
            Time = new DateTime(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc).AddSeconds(i),
            Quality = ReadingQuality.Good,
            TraceCodes = ["7K3M9Q2TXW4A1B63"],
        }).ToList(),
    };

    internal static EventsMessage Events(string gateway = Gateway) => new()
    {
        Schema = MessageSchemas.Events,
        GatewayId = gateway,
        Seq = 1,
        Clock = ClockState.Synchronized,
        Events =
        [
            new CrateAssociatedEvent
            {
                Time = new DateTime(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc),
                Zone = "line-1",
                TraceCodes = ["7K3M9Q2TXW4A1B63"],
                Batch = "7K3M9Q2TXW4A1B63",
                Crate = new CrateTag { Uid = "5D3A9C1F" },
            },
        ],
    };

    static long SeqInPayload(OutboxEntry e)
    {
        using var doc = JsonDocument.Parse(e.Payload);
        return doc.RootElement.GetProperty("seq").GetInt64();
    }

    [Fact]
    public void Numbers_messages_in_order_and_the_payload_carries_the_number()
    {
        using var outbox = Open();
        var stored = outbox.Append([Readings(2), Events(), Readings(1)]);
        Assert.Equal([1L, 2, 3], stored.Select(e => e.Seq));
        Assert.Equal([OutboxEntryKind.Readings, OutboxEntryKind.Events, OutboxEntryKind.Readings], stored.Select(e => e.Kind));
        Assert.Equal("agri/v1/gw-test-1/readings", stored[0].Topic);
        Assert.Equal("agri/v1/gw-test-1/events", stored[1].Topic);

        var waiting = outbox.Peek(10);
        Assert.Equal([1L, 2, 3], waiting.Select(e => e.Seq));
        Assert.Equal([1L, 2, 3], waiting.Select(SeqInPayload));
        Assert.Equal([3L], outbox.Peek(10, afterSeq: 2).Select(e => e.Seq));
    }

    [Fact]
    public void Sequence_and_waiting_messages_survive_a_reopen_byte_for_byte()
    {
        byte[] first;
        using (var outbox = Open())
        {
            first = outbox.Append([Readings(3)])[0].Payload;
            outbox.Append([Readings(1)]);
            Assert.Equal(3, outbox.TakeSeq());
        }

        using (var reopened = Open())
        {
            var waiting = reopened.Peek(10);
            Assert.Equal([1L, 2], waiting.Select(e => e.Seq));
            Assert.Equal(first, waiting[0].Payload);
            Assert.Equal(4, reopened.Append([Readings(1)])[0].Seq);
        }
    }

    [Fact]
    public void Acknowledged_messages_are_deleted_and_sequence_numbers_are_never_reused()
    {
        using (var outbox = Open())
        {
            outbox.Append([Readings(1), Readings(1), Readings(1)]);
            outbox.Acknowledge([1, 2, 3, 99]);
            Assert.Equal(0, outbox.Snapshot().Depth);
            Assert.Equal(0, outbox.Snapshot().Bytes);
            Assert.Null(outbox.Snapshot().OldestUtc);
        }

        using var reopened = Open();
        Assert.Empty(reopened.Peek(10));
        Assert.Equal(4, reopened.Append([Readings(1)])[0].Seq);
    }

    [Fact]
    public void When_full_the_oldest_readings_go_first_trace_events_never_and_every_drop_is_counted()
    {
        int size;
        using (var probe = SqliteOutbox.Open(PathOf("probe.db"), Gateway, 1024 * 1024, _time))
        {
            size = probe.Append([Readings(10)])[0].Payload.Length;
        }

        // Room for exactly four readings messages of this size.
        using var outbox = Open(maxBytes: 4L * size);
        outbox.Append([Readings(10, 1)]);      // 1
        outbox.Append([Events()]);             // 2
        outbox.Append([Readings(10, 2)]);      // 3
        outbox.Append([Readings(10, 3)]);      // 4
        outbox.Append([Readings(10, 4)]);      // 5: over the bound, 1 goes
        var snapshot = outbox.Snapshot();
        Assert.Equal(1, snapshot.DroppedMessages);
        Assert.Equal(10, snapshot.DroppedReadings);
        Assert.Equal([2L, 3, 4, 5], outbox.Peek(10).Select(e => e.Seq));

        // Only events left to drop: they stay, the bound gives way.
        outbox.Append(Enumerable.Range(0, 40).Select(_ => (ContractMessage)Events()).ToList());
        var kinds = outbox.Peek(100).GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(41, kinds[OutboxEntryKind.Events]);
        Assert.True(outbox.Snapshot().Bytes > 4L * size, "the bound gives way to trace events");
        Assert.False(kinds.ContainsKey(OutboxEntryKind.Readings));
        Assert.Equal(4, outbox.Snapshot().DroppedMessages);
        Assert.Equal(40, outbox.Snapshot().DroppedReadings);
    }

    [Fact]
    public void Peek_gives_the_same_messages_from_memory_and_from_the_file_in_order_and_never_a_deleted_one()
    {
        // Enough messages that the oldest have left the outbox's memory (RecentEntries.MaxBytes) and come from the file.
        using var outbox = Open(maxBytes: 64L * 1024 * 1024);
        var stored = new List<OutboxEntry>();
        for (int i = 0; i < 100; i++)
        {
            stored.AddRange(outbox.Append([Readings(500, i), Readings(500, i + 0.5)]));
        }

        Assert.True(stored.Sum(e => e.Payload.Length) > 2 * RecentEntries.MaxBytes, "some come from the file");
        outbox.Acknowledge([stored[0].Seq, stored[5].Seq, stored[^2].Seq]);

        var expected = stored.Where((_, i) => i is not (0 or 5) && i != stored.Count - 2).ToList();
        var peeked = new List<OutboxEntry>();
        for (long after = 0; ;)
        {
            var batch = outbox.Peek(7, after);
            if (batch.Count == 0)
            {
                break;
            }

            peeked.AddRange(batch);
            after = batch[^1].Seq;
        }

        Assert.Equal(expected.Select(e => e.Seq), peeked.Select(e => e.Seq));
        Assert.All(peeked, e => Assert.Equal(expected.Single(x => x.Seq == e.Seq).Payload, e.Payload));

        using var reopened = Open(maxBytes: 64L * 1024 * 1024);
        Assert.Equal(expected.Select(e => e.Seq), reopened.Peek(1000).Select(e => e.Seq));
    }

    [Fact]
    public void Peek_never_gives_a_readings_message_the_bound_dropped()
    {
        int size;
        using (var probe = SqliteOutbox.Open(PathOf("probe.db"), Gateway, 1024 * 1024, _time))
        {
            size = probe.Append([Readings(10)])[0].Payload.Length;
        }

        using var outbox = Open(maxBytes: 3L * size);
        outbox.Append([Readings(10, 1), Readings(10, 2), Readings(10, 3)]);
        Assert.Equal([1L, 2, 3], outbox.Peek(10).Select(e => e.Seq));
        outbox.Append([Readings(10, 4)]);
        Assert.Equal([2L, 3, 4], outbox.Peek(10).Select(e => e.Seq));
        Assert.Equal([3L, 4], outbox.Peek(10, afterSeq: 2).Select(e => e.Seq));
    }

    [Fact]
    public void Drop_counts_survive_a_reopen()
    {
        using (var outbox = Open(maxBytes: 64 * 1024))
        {
            for (int i = 0; i < 200; i++)
            {
                outbox.Append([Readings(10, i)]);
            }

            Assert.True(outbox.Snapshot().DroppedReadings > 0);
        }

        using var reopened = Open(maxBytes: 64 * 1024);
        var snapshot = reopened.Snapshot();
        Assert.True(snapshot.Bytes <= 64 * 1024, $"{snapshot.Bytes} bytes waiting");
        Assert.Equal(200 - snapshot.Depth, snapshot.DroppedMessages);
        Assert.Equal(10 * snapshot.DroppedMessages, snapshot.DroppedReadings);
    }

    [Fact]
    public void Oldest_age_follows_the_clock()
    {
        using var outbox = Open();
        outbox.Append([Readings(1)]);
        _time.Advance(TimeSpan.FromMinutes(5));
        outbox.Append([Readings(1)]);
        Assert.Equal(new DateTime(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc), outbox.Snapshot().OldestUtc);
    }

    [Fact]
    public void Refuses_a_message_that_breaks_the_contract_and_stores_nothing()
    {
        using var outbox = Open();
        var bad = Readings(1) with { Readings = [Readings(1).Readings[0] with { TraceCodes = ["7K3M9Q2TXW4A1B64"] }] };
        var e = Assert.Throws<ArgumentException>(() => outbox.Append([Readings(1), bad]));
        Assert.Contains("check character", e.Message, StringComparison.Ordinal);
        Assert.Empty(outbox.Peek(10));
        Assert.Equal(1, outbox.Append([Readings(1)])[0].Seq);
    }

    [Fact]
    public void Refuses_another_gateways_file_and_messages()
    {
        using (var outbox = Open())
        {
            Assert.Throws<ArgumentException>(() => outbox.Append([Readings(1, gateway: "gw-other")]));
        }

        var e = Assert.Throws<InvalidDataException>(() => Open(gateway: "gw-other"));
        Assert.Contains("belongs to gateway 'gw-test-1'", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
