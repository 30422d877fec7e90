using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Iot.Cloud.DeadLetters;
using Iot.Contracts.Messages;
using Iot.Contracts.Topics;
using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests.Api;

[Collection(InfluxDbFixture.CollectionName)]
public sealed class DeadLetterApiTests(InfluxDbFixture influx)
{
    static Uri At(string path) => new(path, UriKind.Relative);

    static async Task<List<ReplayResult>> ReplayManyAsync(CloudRig cloud, string query)
    {
        using var response = await cloud.Http.PostAsync(At("/api/dead-letters/replay" + query), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<List<ReplayResult>>() ?? [];
    }

    static async Task<ReplayResult> ReplayAsync(CloudRig cloud, long id)
    {
        using var response = await cloud.Http.PostAsync(At($"/api/dead-letters/{id}/replay"), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ReplayResult>())!;
    }

    static async Task RegisterAsync(CloudRig cloud, string id)
    {
        using var response = await cloud.Http.PostAsJsonAsync(At("/api/gateways"), new { id, name = "Greenhouse 2 shed" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_gateways_message_is_stored_by_replay_once_the_gateway_is_registered()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        using var client = await cloud.ConnectAsync("gw-2");
        byte[] payload = Messages.Bytes(Messages.Readings("gw-2", 5, 10));
        Assert.True((await CloudRig.PublishAsync(client, Topic.Readings("gw-2").ToString(), payload)).IsSuccess);
        var letter = Assert.Single(await cloud.DeadLettersAsync());
        Assert.Equal("unknown-gateway", letter.ReasonCode);
        Assert.Equal(0, await cloud.CountAsync("Temperature"));

        await RegisterAsync(cloud, "gw-2");
        var result = await ReplayAsync(cloud, letter.Id);

        Assert.Equal(new ReplayResult(letter.Id, "Stored", 10, null, null), result);
        Assert.Equal(10, await cloud.CountAsync("Temperature"));
        var replayed = await cloud.GetJsonAsync<DeadLetterView>($"/api/dead-letters/{letter.Id}");
        Assert.NotNull(replayed!.ReplayedAt);
        Assert.Equal("Stored", replayed.ReplayOutcome);

        // Published again now, it is a duplicate of what the replay stored: acknowledged, not written twice.
        Assert.True((await CloudRig.PublishAsync(client, Topic.Readings("gw-2").ToString(), payload)).IsSuccess);
        Assert.Equal(10, await cloud.CountAsync("Temperature"));
        Assert.Single(await cloud.DeadLettersAsync());
    }

    [Fact]
    public async Task Bulk_replay_takes_only_the_reason_and_gateway_asked_for_oldest_first()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        using var gw2 = await cloud.ConnectAsync("gw-2");
        using var gw3 = await cloud.ConnectAsync("gw-3");
        using var gw1 = await cloud.ConnectAsync("gw-1");
        var start = DateTime.UtcNow.AddMinutes(-10);
        await CloudRig.PublishAsync(gw2, Topic.Readings("gw-2").ToString(), Messages.Bytes(Messages.Readings("gw-2", 1, 3, start)));
        await CloudRig.PublishAsync(gw2, Topic.Readings("gw-2").ToString(), Messages.Bytes(Messages.Readings("gw-2", 2, 3, start.AddSeconds(1))));
        await CloudRig.PublishAsync(gw3, Topic.Readings("gw-3").ToString(), Messages.Bytes(Messages.Readings("gw-3", 1, 3, start)));
        await CloudRig.PublishAsync(gw1, Topic.Readings("gw-1").ToString(), Messages.Bytes(Messages.Readings("gw-1", 1, [Messages.Reading(MeasurementType.Temperature, 500)])));
        Assert.Equal(4, (await cloud.DeadLettersAsync()).Count);
        await RegisterAsync(cloud, "gw-2");
        await RegisterAsync(cloud, "gw-3");

        var results = await ReplayManyAsync(cloud, "?reason=unknown-gateway&gateway=gw-2");

        Assert.Equal(["Stored", "Stored"], results.Select(r => r.Outcome));
        Assert.True(results[0].Id < results[1].Id, "oldest first");
        Assert.Equal(6, await cloud.CountAsync("Temperature"));
        var open = (await cloud.DeadLettersAsync()).Where(l => l.ReplayedAt is null).Select(l => (l.GatewayId, l.ReasonCode)).Order().ToList();
        Assert.Equal([("gw-1", "implausible"), ("gw-3", "unknown-gateway")], open);

        var rest = await ReplayManyAsync(cloud, "?reason=unknown-gateway");
        Assert.Equal(3, Assert.Single(rest).Points);
        Assert.Empty(await ReplayManyAsync(cloud, "?reason=unknown-gateway"));
        Assert.Equal(9, await cloud.CountAsync("Temperature"));
    }

    [Fact]
    public async Task A_replay_refused_again_for_the_same_reason_stays_open_and_is_not_counted_as_an_arrival()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        using var client = await cloud.ConnectAsync("gw-1");
        await CloudRig.PublishAsync(client, Topic.Readings("gw-1").ToString(), Messages.Bytes(Messages.Readings("gw-1", 1, [Messages.Reading(MeasurementType.Temperature, 500)])));
        var letter = Assert.Single(await cloud.DeadLettersAsync());

        var result = await ReplayAsync(cloud, letter.Id);

        Assert.Equal("DeadLettered", result.Outcome);
        Assert.Contains("500 CEL", result.Reason, StringComparison.Ordinal);
        Assert.Null(result.NewDeadLetterId);
        var after = await cloud.GetJsonAsync<DeadLetterView>($"/api/dead-letters/{letter.Id}");
        Assert.Equal(1, after!.Times);
        Assert.Null(after.ReplayedAt);
        Assert.StartsWith("DeadLettered: ", after.ReplayOutcome, StringComparison.Ordinal);
        Assert.Single(await ReplayManyAsync(cloud, "?reason=implausible"));
    }

    [Theory]
    [InlineData("contract")]
    [InlineData("implausible")]
    [InlineData("time")]
    [InlineData("wrong-gateway")]
    public async Task The_same_bad_message_sent_twice_is_stored_once_counted_twice(string reason)
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        using var client = await cloud.ConnectAsync(reason == "wrong-gateway" ? "gw-9" : "gw-1");
        var message = Messages.Readings("gw-1", 1, [Messages.Reading(MeasurementType.Temperature, 21.5)]);
        byte[] payload = reason switch
        {
            "contract" => Messages.Replaced(message, "\"value\":21.5", "\"value\":\"hot\""),
            "implausible" => Messages.Bytes(Messages.Readings("gw-1", 1, [Messages.Reading(MeasurementType.Temperature, 500)])),
            "time" => Messages.Bytes(Messages.Readings("gw-1", 1, [Messages.Reading(MeasurementType.Temperature, 21.5, new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc))])),
            _ => Messages.Bytes(message),
        };

        for (int i = 0; i < 2; i++)
        {
            Assert.True((await CloudRig.PublishAsync(client, Topic.Readings("gw-1").ToString(), payload)).IsSuccess);
        }

        var letter = Assert.Single(await cloud.DeadLettersAsync());
        Assert.Equal(reason, letter.ReasonCode);
        Assert.Equal(2, letter.Times);
        Assert.True(letter.LastAt >= letter.FirstAt);
        Assert.Equal(0, await cloud.CountAsync("Temperature"));
    }

    [Fact]
    public async Task Listing_filters_by_reason_and_gateway_and_pages_newest_first()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        using var gw1 = await cloud.ConnectAsync("gw-1");
        using var gw5 = await cloud.ConnectAsync("gw-5");
        for (int i = 1; i <= 7; i++)
        {
            await CloudRig.PublishAsync(gw1, Topic.Readings("gw-1").ToString(), Messages.Bytes(Messages.Readings("gw-1", i, [Messages.Reading(MeasurementType.Temperature, 100 + i)])));
        }

        for (int i = 1; i <= 3; i++)
        {
            await CloudRig.PublishAsync(gw5, Topic.Readings("gw-5").ToString(), Messages.Bytes(Messages.Readings("gw-5", i, 1)));
        }

        var all = await cloud.DeadLettersAsync();
        Assert.Equal(10, all.Count);
        Assert.Equal(all.Select(l => l.Id).OrderDescending(), all.Select(l => l.Id));
        Assert.Equal(7, (await cloud.DeadLettersAsync("?reason=implausible")).Count);
        Assert.All(await cloud.DeadLettersAsync("?gateway=gw-5"), l => Assert.Equal(("gw-5", "unknown-gateway"), (l.GatewayId, l.ReasonCode)));
        Assert.Empty(await cloud.DeadLettersAsync("?gateway=gw-5&reason=implausible"));

        var pages = new List<List<DeadLetterView>>();
        string query = "?reason=implausible&limit=3";
        for (int page = 0; page < 5; page++)
        {
            var letters = await cloud.DeadLettersAsync(query);
            if (letters.Count == 0)
            {
                break;
            }

            pages.Add(letters);
            query = $"?reason=implausible&limit=3&before={letters[^1].Id}";
        }

        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        var paged = pages.SelectMany(p => p).ToList();
        Assert.Equal(all.Where(l => l.ReasonCode == "implausible").Select(l => l.Id), paged.Select(l => l.Id));
    }

    [Theory]
    [InlineData("GET", "/api/dead-letters/987654")]
    [InlineData("POST", "/api/dead-letters/987654/replay")]
    public async Task An_unknown_dead_letter_is_a_404_problem(string method, string path)
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        using var request = new HttpRequestMessage(new HttpMethod(method), At(path));

        using var response = await cloud.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("there is no dead letter 987654", problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("GET", "/api/dead-letters?reason=bogus", "reason", "'bogus' is not a reason code")]
    [InlineData("GET", "/api/dead-letters?limit=0", "limit", "between 1 and 1000")]
    [InlineData("GET", "/api/dead-letters?limit=5000", "limit", "between 1 and 1000")]
    [InlineData("GET", "/api/dead-letters?limit=ten", "limit", "'ten'")]
    [InlineData("GET", "/api/dead-letters?before=yesterday", "before", "'yesterday'")]
    [InlineData("POST", "/api/dead-letters/replay?reason=bogus", "reason", "'bogus' is not a reason code")]
    [InlineData("POST", "/api/dead-letters/replay?limit=0", "limit", "between 1 and 1000")]
    [InlineData("POST", "/api/dead-letters/replay?limit=lots", "limit", "'lots'")]
    [InlineData("GET", "/api/dead-letters/abc", "id", "'abc'")]
    [InlineData("POST", "/api/dead-letters/abc/replay", "id", "'abc'")]
    public async Task A_bad_query_is_a_400_problem_naming_the_field(string method, string path, string field, string says)
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        using var request = new HttpRequestMessage(new HttpMethod(method), At(path));

        using var response = await cloud.Http.SendAsync(request);

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        var errors = problem.RootElement.GetProperty("errors").GetProperty(field);
        Assert.Contains(says, errors[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\":\"gw 1\",\"name\":\"x\"}", "id", "U+0020")]
    [InlineData("{\"id\":\"\",\"name\":\"x\"}", "id", "empty")]
    [InlineData("{\"name\":\"x\"}", "id", "empty")]
    [InlineData("{\"id\":\"gw-1,zone=x\"}", "id", "','")]
    public async Task Registering_an_invalid_gateway_is_a_400_problem_naming_the_field(string json, string field, string says)
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, []);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await cloud.Http.PostAsync(At("/api/gateways"), content);

        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        using var problem = JsonDocument.Parse(body);
        Assert.Contains(says, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }
}
