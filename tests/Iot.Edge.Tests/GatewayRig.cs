using Iot.Contracts.Messages;
using Iot.Edge.Clock;
using Iot.Edge.Commands;
using Iot.Edge.Hosting;
using Iot.Edge.Outbox;
using Iot.Edge.Sampling;
using Iot.Edge.Stamping;
using Iot.Edge.Status;
using Iot.Edge.Uplink;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Tests;

/// <summary>The gateway's parts wired by hand around a temp folder, for tests that need them without the host.</summary>
internal sealed class GatewayRig : IDisposable
{
    public const string Batch1 = "7K3M9Q2TXW4A1B63";
    public const string Batch2 = "HN8RD4CFQ2LKM3P7";

    public GatewayRig(string gatewayId = "gw-rig-1", long maxBytes = 64L * 1024 * 1024, bool synchronized = true, TimeProvider? time = null)
    {
        GatewayId = gatewayId;
        Folder = Directory.CreateTempSubdirectory("iot-gateway-rig-").FullName;
        Time = time ?? TimeProvider.System;
        Clock = new GatewayClock(Time, () => synchronized);
        Outbox = SqliteOutbox.Open(Path.Combine(Folder, "outbox.db"), gatewayId, maxBytes, Time);
        Signal = new OutboxSignal();
        Writer = new OutboxWriter(gatewayId, Outbox, Signal, Clock);
        Stamps = new BatchStamps(
            new Dictionary<string, IReadOnlyList<string>> { ["gh1"] = [Batch1], ["gh2"] = [], ["line-1"] = [] },
            Path.Combine(Folder, "stamps.json"));
        Health = new SensorHealthBoard();
        Collector = new ReadingCollector(Writer);
        Status = new StatusReporter(gatewayId, Outbox, Clock, Health);
        Liveness = new Liveness(Time);
    }

    public string GatewayId { get; }

    public string Folder { get; }

    public TimeProvider Time { get; }

    public GatewayClock Clock { get; }

    public SqliteOutbox Outbox { get; }

    public OutboxSignal Signal { get; }

    public OutboxWriter Writer { get; }

    public BatchStamps Stamps { get; }

    public SensorHealthBoard Health { get; }

    public ReadingCollector Collector { get; }

    public StatusReporter Status { get; }

    public Liveness Liveness { get; }

    public List<string> Tared { get; } = [];

    public int StatusRequests { get; private set; }

    public CommandDispatcher Commands() => new(GatewayId, Stamps, Writer, Clock, scale =>
    {
        Tared.Add(scale);
        return scale == "scale-1" ? null : $"no scale '{scale}'";
    }, () => StatusRequests++);

    public MqttUplink Uplink(int port, Action<MqttOptions>? configure = null)
    {
        var options = new MqttOptions
        {
            Host = "127.0.0.1",
            Port = port,
            ReconnectMin = TimeSpan.FromMilliseconds(100),
            ReconnectMax = TimeSpan.FromMilliseconds(800),
            Timeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return new MqttUplink(
            Options.Create(new GatewayOptions { Id = GatewayId }),
            Options.Create(options),
            Outbox,
            Signal,
            Status,
            Commands(),
            Time,
            Liveness,
            NullLogger<MqttUplink>.Instance);
    }

    public ReadingsMessage Readings(int first, int count, string sensor = "air-1") => new()
    {
        Schema = MessageSchemas.Readings,
        GatewayId = GatewayId,
        Seq = 1,
        Clock = ClockState.Synchronized,
        Readings = Enumerable.Range(first, count).Select(i => new Reading
        {
            SensorId = sensor,
            Zone = "gh1",
            Type = MeasurementType.Temperature,
            Value = i,
            Unit = Unit.DegreeCelsius,
            Time = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i),
            Quality = ReadingQuality.Good,
            TraceCodes = [Batch1],
        }).ToList(),
    };

    public void Dispose()
    {
        Outbox.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
