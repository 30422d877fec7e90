using System.Text;
using Iot.Cloud.DeadLetters;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;
using Iot.Testing.InfluxDb;
using MQTTnet;

namespace Iot.Cloud.Tests.Hostile;

/// <summary>
/// Hostile messages published over real MQTT to the embedded broker: each is acknowledged, kept whole as a dead letter
/// with a reason a person understands, and nothing of it reaches InfluxDB, while good traffic from another gateway
/// published meanwhile is stored in full.
/// </summary>
[Collection(InfluxDbFixture.CollectionName)]
public sealed class HostileInputTests(InfluxDbFixture influx)
{
    const string Bad = HostileCases.Bad;
    const string Good = HostileCases.Good;

    [Fact]
    public async Task Every_hostile_message_is_acknowledged_and_dead_lettered_whole_with_its_reason_while_good_traffic_is_stored()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, [Bad, Good, "gw-impostor"]);
        var clients = new Dictionary<string, IMqttClient>();
        using var goodClient = await cloud.ConnectAsync(Good);
        using var stop = new CancellationTokenSource();
        var goodTraffic = PublishGoodTrafficAsync(goodClient, readingsPerMessage: 20, maxMessages: 400, stop.Token);
        var failures = new List<string>();
        try
        {
            foreach (var (name, make) in HostileCases.All)
            {
                var hostile = make();
                if (!clients.TryGetValue(hostile.ClientId, out var client))
                {
                    clients[hostile.ClientId] = client = await cloud.ConnectAsync(hostile.ClientId);
                }

                try
                {
                    var puback = await CloudRig.PublishAsync(client, hostile.Topic, hostile.Payload);
                    if (!puback.IsSuccess)
                    {
                        failures.Add($"{name}: PUBACK {puback.ReasonCode} {puback.ReasonString}");
                        continue;
                    }

                    await AssertDeadLetteredAsync(cloud, hostile);
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException or HttpRequestException)
                {
                    failures.Add($"{name}: {e.Message}");
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }

        int goodMessages = await goodTraffic;
        Assert.True(failures.Count == 0, $"{failures.Count} of {HostileCases.All.Count} hostile cases failed:\n{string.Join("\n", failures)}");

        // Nothing of any hostile message reached InfluxDB: every series there is the good gateway's.
        var series = await SeriesAsync(cloud);
        Assert.All(series, key => Assert.Contains($"gateway={Good},", key + ",", StringComparison.Ordinal));
        Assert.True(goodMessages > 0, "the good gateway published nothing meanwhile");
        Assert.Equal(goodMessages * 20L, await cloud.CountAsync("Temperature"));
        Assert.Equal(HostileCases.All.Count, (await cloud.DeadLettersAsync("?limit=1000")).Count);
        await cloud.WaitUntilReadyAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_flood_of_junk_from_one_gateway_is_dead_lettered_while_another_gateway_is_stored_in_full()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, [Bad, Good]);
        using var flooder = await cloud.ConnectAsync(Bad);
        using var goodClient = await cloud.ConnectAsync(Good);
        const int Junk = 300;
        byte[][] junk = [.. Enumerable.Range(1, Junk).Select(i => (i % 3) switch
        {
            0 => Encoding.UTF8.GetBytes($"{{\"schema\":\"agri.readings.v1\",\"gatewayId\":\"gw-bad\",\"seq\":{i},\"clock\":"),
            1 => Messages.Edited(Messages.Readings(Bad, i, 2), j => j["readings"]![0]!["value"] = $"x{i}"),
            _ => Messages.Bytes(Messages.Readings(Bad, i, [Messages.Reading(MeasurementType.Temperature, 500 + i)])),
        })];
        string topic = Topic.Readings(Bad).ToString();

        using var stop = new CancellationTokenSource();
        var goodTraffic = PublishGoodTrafficAsync(goodClient, readingsPerMessage: 50, maxMessages: 1000, stop.Token);
        var pubacks = await Task.WhenAll(junk.Select(payload => CloudRig.PublishAsync(flooder, topic, payload)));
        await stop.CancelAsync();
        int goodMessages = await goodTraffic;

        Assert.All(pubacks, p => Assert.True(p.IsSuccess, $"{p.ReasonCode} {p.ReasonString}"));
        var letters = await cloud.DeadLettersAsync($"?gateway={Bad}&limit=1000");
        Assert.Equal(Junk, letters.Count);
        Assert.Equal(Junk / 3 * 2, letters.Count(l => l.ReasonCode == "contract"));
        Assert.Equal(Junk / 3, letters.Count(l => l.ReasonCode == "implausible"));
        Assert.All(letters, l => Assert.Contains(junk, p => PayloadOf(l).AsSpan().SequenceEqual(p)));

        Assert.True(goodMessages > 0, "the good gateway published nothing during the flood");
        Assert.Equal(goodMessages * 50L, await cloud.CountAsync("Temperature"));
        Assert.All(await SeriesAsync(cloud), key => Assert.Contains($"gateway={Good},", key + ",", StringComparison.Ordinal));
        await cloud.WaitUntilReadyAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_message_with_good_and_implausible_readings_stores_the_good_ones_and_dead_letters_the_message_naming_the_bad_ones()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, [Bad]);
        using var client = await cloud.ConnectAsync(Bad);
        var t = DateTime.UtcNow.AddMinutes(-2);
        var message = Messages.Readings(Bad, 3,
        [
            Messages.Reading(MeasurementType.Temperature, 21.5, t),
            Messages.Reading(MeasurementType.Temperature, 500, t.AddSeconds(1), sensor: "gh1-hot"),
            Messages.Reading(MeasurementType.RelativeHumidity, 61, t, sensor: "gh1-rh"),
            Messages.Reading(MeasurementType.RelativeHumidity, -5, t.AddSeconds(1), sensor: "gh1-rh"),
            Messages.Reading(MeasurementType.Temperature, 21.7, t.AddSeconds(2)),
        ]);
        byte[] payload = Messages.Bytes(message);

        var puback = await CloudRig.PublishAsync(client, Topic.Readings(Bad).ToString(), payload);

        Assert.True(puback.IsSuccess, puback.ReasonString);
        Assert.Equal(2, await cloud.CountAsync("Temperature"));
        Assert.Equal(1, await cloud.CountAsync("RelativeHumidity"));
        Assert.Empty(await cloud.QueryAsync("SELECT value FROM \"Temperature\" WHERE value > 100"));
        Assert.Empty(await cloud.QueryAsync("SELECT value FROM \"RelativeHumidity\" WHERE value < 0"));
        var letter = await AssertDeadLetteredAsync(cloud, new HostileCase(Bad, Topic.Readings(Bad).ToString(), payload, "implausible",
            "$.readings[1].value (sensor 'gh1-hot'): 500 CEL", "$.readings[3].value (sensor 'gh1-rh'): -5 P1"));
        Assert.DoesNotContain("$.readings[0]", letter.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("$.readings[2]", letter.Reason, StringComparison.Ordinal);
        Assert.Equal(3, letter.Seq);
    }

    [Fact]
    public async Task An_unsynchronised_clock_in_2019_or_far_ahead_is_stored_flagged_not_refused()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, [Bad]);
        using var client = await cloud.ConnectAsync(Bad);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var early = new DateTime(2019, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        var ahead = new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var message = Messages.Readings(Bad, 1,
        [
            Messages.Reading(MeasurementType.Temperature, 21.5, early),
            Messages.Reading(MeasurementType.Temperature, 22.5, ahead),
        ], ClockState.Unsynchronized);

        var puback = await CloudRig.PublishAsync(client, Topic.Readings(Bad).ToString(), Messages.Bytes(message));

        Assert.True(puback.IsSuccess, puback.ReasonString);
        Assert.Empty(await cloud.DeadLettersAsync());
        var rows = await cloud.QueryAsync("SELECT value, clock, received_ms FROM \"Temperature\" WHERE time > 0 ORDER BY time");
        Assert.Equal(2, rows.Count);
        Assert.Equal(new DateTimeOffset(early).ToUnixTimeMilliseconds(), rows[0]["time"].GetInt64());
        Assert.Equal(new DateTimeOffset(ahead).ToUnixTimeMilliseconds(), rows[1]["time"].GetInt64());
        Assert.All(rows, r => Assert.Equal("unsynchronized", r["clock"].GetString()));
        Assert.All(rows, r => Assert.InRange(r["received_ms"].GetInt64(), before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task A_point_InfluxDB_refuses_is_dead_lettered_as_influxdb_refused_and_the_rest_are_stored()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, [Bad]);
        using var client = await cloud.ConnectAsync(Bad);
        var t = DateTime.UtcNow.AddMinutes(-3);

        // Someone wrote "value" of Illuminance as a string into this shard: InfluxDB now refuses float values there.
        using (var http = new HttpClient())
        {
            long ms = new DateTimeOffset(t).ToUnixTimeMilliseconds();
            using var body = new StringContent($"Illuminance,gateway=other value=\"dark\" {ms}");
            using var response = await http.PostAsync(new Uri(cloud.Influx.BaseUri, $"write?db={cloud.Database}&precision=ms"), body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var message = Messages.Readings(Bad, 9,
        [
            Messages.Reading(MeasurementType.Temperature, 21.5, t),
            Messages.Reading(MeasurementType.Illuminance, 12_000, t, sensor: "gh1-lux"),
        ]);
        byte[] payload = Messages.Bytes(message);

        var puback = await CloudRig.PublishAsync(client, Topic.Readings(Bad).ToString(), payload);

        Assert.True(puback.IsSuccess, puback.ReasonString);
        Assert.Equal(1, await cloud.CountAsync("Temperature"));
        Assert.Empty(await cloud.QueryAsync($"SELECT * FROM \"Illuminance\" WHERE gateway = '{Bad}'"));
        await AssertDeadLetteredAsync(cloud, new HostileCase(Bad, Topic.Readings(Bad).ToString(), payload, "influxdb-refused",
            "InfluxDB refused the point Illuminance", "sensor=gh1-lux", "conflict"));
    }

    /// <summary>
    /// Asserts that <paramref name="hostile"/> is a dead letter: found by its topic and exact bytes, with its reason
    /// code and every expected name in its reason; <c>GET /api/dead-letters/{id}</c> gives back the same bytes.
    /// </summary>
    internal static async Task<DeadLetterView> AssertDeadLetteredAsync(CloudRig cloud, HostileCase hostile)
    {
        var letters = await cloud.DeadLettersAsync("?limit=1000");
        var matches = letters.Where(l => l.Topic == hostile.Topic && PayloadOf(l).AsSpan().SequenceEqual(hostile.Payload)).ToList();
        if (matches.Count != 1)
        {
            throw new Xunit.Sdk.XunitException(
                $"expected one dead letter on {hostile.Topic} with payload {HostileCases.Show(hostile.Payload)}, found {matches.Count}; letters: " +
                string.Join(" | ", letters.Take(5).Select(l => $"#{l.Id} {l.Topic} {l.ReasonCode}: {l.Reason}")));
        }

        var letter = await cloud.GetJsonAsync<DeadLetterView>($"/api/dead-letters/{matches[0].Id}") ?? throw new InvalidOperationException("no body");
        Assert.Equal(hostile.Topic, letter.Topic);
        Assert.Equal(hostile.Payload, PayloadOf(letter));
        Assert.Equal(hostile.Payload.Length, letter.PayloadBytes);
        Assert.Equal(hostile.ClientId, letter.ClientId);
        Assert.True(hostile.Code == letter.ReasonCode, $"reason code {letter.ReasonCode}, expected {hostile.Code}; reason: {letter.Reason}");
        foreach (string name in hostile.ReasonNames)
        {
            Assert.True(letter.Reason.Contains(name, StringComparison.Ordinal), $"the reason does not name '{name}': {letter.Reason}");
        }

        Assert.Equal(1, letter.Times);
        Assert.Null(letter.ReplayedAt);
        return letter;
    }

    internal static byte[] PayloadOf(DeadLetterView letter) =>
        letter.PayloadText is { } text ? Encoding.UTF8.GetBytes(text) : Convert.FromBase64String(letter.PayloadBase64!);

    internal static async Task<List<string>> SeriesAsync(CloudRig cloud) =>
        [.. (await cloud.QueryAsync("SHOW SERIES")).Select(r => r["key"].GetString()!)];

    /// <summary>Publishes valid readings from <see cref="Good"/> until cancelled (or <paramref name="maxMessages"/>); returns how many were acknowledged.</summary>
    static async Task<int> PublishGoodTrafficAsync(IMqttClient client, int readingsPerMessage, int maxMessages, CancellationToken stop)
    {
        await Task.Yield();
        string topic = Topic.Readings(Good).ToString();
        var start = DateTime.UtcNow.AddHours(-1);
        int sent = 0;
        while (!stop.IsCancellationRequested && sent < maxMessages)
        {
            var message = Messages.Readings(Good, sent + 1, readingsPerMessage, start.AddSeconds(sent));
            var puback = await CloudRig.PublishAsync(client, topic, Messages.Bytes(message));
            Assert.True(puback.IsSuccess, $"good message {sent + 1}: {puback.ReasonCode} {puback.ReasonString}");
            sent++;
        }

        return sent;
    }
}
