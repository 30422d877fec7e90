using System.Net;
using System.Text.Json;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Api;

/// <summary>
/// <c>/healthz/live</c>, <c>/healthz/ready</c> and <c>/metrics</c>. Prometheus counters are process-global, so the
/// metrics are asserted as differences across what one test does.
/// </summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class HealthAndMetricsTests(InfluxDbFixture influx)
{
    [Fact]
    public async Task Live_answers_and_ready_names_each_check()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);

        using var live = await cloud.Http.GetAsync(new Uri("/healthz/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using (var body = JsonDocument.Parse(await live.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        }

        using var ready = await cloud.Http.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal(["broker", "influxdb", "registry"], checks.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
        Assert.Contains("cloud.db", checks.GetProperty("registry").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_says_503_naming_influxdb_when_it_does_not_answer()
    {
        await using var stopped = await InfluxDbServer.StartNewAsync();
        await using var cloud = await CloudRig.StartAsync(stopped, []);
        await stopped.StopAsync();

        string body = "";
        await Iot.Testing.Eventually.TrueAsync(() =>
        {
            using var response = cloud.Http.GetAsync(new Uri("/healthz/ready", UriKind.Relative)).GetAwaiter().GetResult();
            body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, TimeSpan.FromSeconds(30), () => $"/healthz/ready to say 503; it said {body}");

        using var report = JsonDocument.Parse(body);
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("influxdb").GetProperty("status").GetString());
        Assert.Contains("does not answer", checks.GetProperty("influxdb").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", checks.GetProperty("registry").GetProperty("status").GetString());
        using var live = await cloud.Http.GetAsync(new Uri("/healthz/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Metrics_count_messages_by_kind_and_outcome_and_refusals_by_reason()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        using var gateway = await cloud.ConnectAsync("gw-1");
        using var impostor = await cloud.ConnectAsync("gw-7");
        const string Stored = "iot_ingest_messages_total{kind=\"readings\",outcome=\"stored\"}";
        const string Partly = "iot_ingest_messages_total{kind=\"readings\",outcome=\"partly-stored\"}";
        const string DeadLettered = "iot_ingest_messages_total{kind=\"events\",outcome=\"dead-lettered\"}";
        const string Duplicate = "iot_ingest_messages_total{kind=\"readings\",outcome=\"duplicate\"}";
        const string Implausible = "iot_ingest_refusals_total{reason=\"implausible\"}";
        const string WrongGateway = "iot_ingest_refusals_total{reason=\"wrong-gateway\"}";
        const string Contract = "iot_ingest_refusals_total{reason=\"contract\"}";
        const string Points = "iot_ingest_points_written_total";
        string[] samples = [Stored, Partly, DeadLettered, Duplicate, Implausible, WrongGateway, Contract, Points];
        var before = new Dictionary<string, double>();
        foreach (string sample in samples)
        {
            before[sample] = await cloud.MetricAsync(sample);
        }

        string readings = Topic.Readings("gw-1").ToString();
        byte[] good = Messages.Bytes(Messages.Readings("gw-1", 1, 4));
        await CloudRig.PublishAsync(gateway, readings, good);
        await CloudRig.PublishAsync(gateway, readings, good);
        await CloudRig.PublishAsync(gateway, readings, Messages.Bytes(Messages.Readings("gw-1", 2,
            [Messages.Reading(MeasurementType.Temperature, 20), Messages.Reading(MeasurementType.Temperature, 900, sensor: "a"), Messages.Reading(MeasurementType.Temperature, -900, sensor: "b")])));
        await CloudRig.PublishAsync(gateway, Topic.Events("gw-1").ToString(), "{\"schema\":"u8.ToArray());
        await CloudRig.PublishAsync(impostor, readings, Messages.Bytes(Messages.Readings("gw-1", 3, 1)));

        var delta = new Dictionary<string, double>();
        foreach (string sample in samples)
        {
            delta[sample] = await cloud.MetricAsync(sample) - before[sample];
        }

        Assert.Equal(1, delta[Stored]);
        Assert.Equal(1, delta[Duplicate]);
        Assert.Equal(1, delta[Partly]);
        Assert.Equal(1, delta[DeadLettered]);
        Assert.Equal(2, delta[Implausible]);
        Assert.Equal(1, delta[WrongGateway]);
        Assert.Equal(1, delta[Contract]);
        Assert.Equal(5, delta[Points]);
        string text = await cloud.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("# TYPE iot_ingest_messages_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE iot_ingest_refusals_total counter", text, StringComparison.Ordinal);
    }
}
