using Prometheus;

namespace Iot.Cloud.Metrics;

/// <summary>
/// What ingestion counts, exported at <c>/metrics</c> in Prometheus text format. Labels are small fixed sets
/// (message kind, outcome, refusal code), never gateway ids or trace codes.
/// </summary>
public static class IngestMetrics
{
    /// <summary>Messages handled, by kind (<c>readings</c>, <c>events</c>) and outcome.</summary>
    public static readonly Counter Messages = Prometheus.Metrics.CreateCounter(
        "iot_ingest_messages_total", "Messages handled by ingestion, by kind and outcome.", "kind", "outcome");

    /// <summary>Readings and events stored as points.</summary>
    public static readonly Counter PointsWritten = Prometheus.Metrics.CreateCounter(
        "iot_ingest_points_written_total", "Points InfluxDB accepted.");

    /// <summary>Refusals (a message can carry several), by code.</summary>
    public static readonly Counter Refusals = Prometheus.Metrics.CreateCounter(
        "iot_ingest_refusals_total", "Readings, events or messages refused and dead-lettered, by reason.", "reason");

    /// <summary>Time of each InfluxDB write call.</summary>
    public static readonly Histogram WriteSeconds = Prometheus.Metrics.CreateHistogram(
        "iot_influxdb_write_seconds", "Duration of each InfluxDB write call.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });

    /// <summary>Write calls that left points unwritten (InfluxDB down, slow or refusing access).</summary>
    public static readonly Counter WriteFailures = Prometheus.Metrics.CreateCounter(
        "iot_influxdb_write_failures_total", "InfluxDB write calls that left points unwritten; they are retried.");

    /// <summary>Messages being handled now (received, not yet acknowledged).</summary>
    public static readonly Gauge InFlight = Prometheus.Metrics.CreateGauge(
        "iot_ingest_in_flight", "Messages received and not yet acknowledged.");

    /// <summary>Messages waiting for the point writer.</summary>
    public static readonly Gauge QueuedMessages = Prometheus.Metrics.CreateGauge(
        "iot_ingest_queued_messages", "Messages whose points wait for the InfluxDB writer.");

    /// <summary>From a reading's timestamp to its acknowledgement, for synchronised clocks.</summary>
    public static readonly Histogram LagSeconds = Prometheus.Metrics.CreateHistogram(
        "iot_ingest_lag_seconds", "From the newest reading's timestamp in a message (synchronised clocks) to the message being stored.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 3, 14) });
}
