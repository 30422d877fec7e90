using System.Net;
using System.Net.Http.Json;
using Iot.Cloud.Registry;
using Iot.Contracts.Topics;
using Iot.Testing.InfluxDb;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Formatter;

namespace Iot.Cloud.Tests.Api;

[Collection(InfluxDbFixture.CollectionName)]
public sealed class GatewayLoginTests(InfluxDbFixture influx)
{
    const string Secret = "correct-horse-battery-staple-42";

    static Uri At(string path) => new(path, UriKind.Relative);

    /// <summary>The CONNACK's result: "Success", or the refusal's message (MQTTnet 5 throws, naming the reason code).</summary>
    static async Task<string> ConnectAsync(CloudRig cloud, string clientId, string? user, string? password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", cloud.BrokerPort)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (user is not null)
        {
            options.WithCredentials(user, password);
        }

        try
        {
            var result = await client.ConnectAsync(options.Build());
            return result.ResultCode.ToString();
        }
        catch (MqttConnectingFailedException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public async Task With_credentials_required_only_a_registered_gateway_with_its_secret_connects_and_only_as_itself()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1", "gw-2"], new Dictionary<string, string>
        {
            ["Broker:RequireCredentials"] = "true",
            ["Registry:Gateways:0:Secret"] = Secret,
        });

        Assert.Contains("Success", await ConnectAsync(cloud, "gw-1", "gw-1", Secret), StringComparison.Ordinal);
        Assert.Contains("BadUserNameOrPassword", await ConnectAsync(cloud, "gw-1", "gw-1", Secret + "x"), StringComparison.Ordinal);
        Assert.Contains("BadUserNameOrPassword", await ConnectAsync(cloud, "gw-1", null, null), StringComparison.Ordinal);
        // gw-2 is registered but has no secret yet; gw-9 is not registered.
        Assert.Contains("BadUserNameOrPassword", await ConnectAsync(cloud, "gw-2", "gw-2", Secret), StringComparison.Ordinal);
        Assert.Contains("BadUserNameOrPassword", await ConnectAsync(cloud, "gw-9", "gw-9", Secret), StringComparison.Ordinal);
        // The right secret, another gateway's client id: refused, so it cannot publish as gw-2 either.
        Assert.Contains("ClientIdentifierNotValid", await ConnectAsync(cloud, "gw-2", "gw-1", Secret), StringComparison.Ordinal);

        // A secret set through the API works at once; the API never shows it or its hash.
        using var put = await cloud.Http.PutAsJsonAsync(At("/api/gateways/gw-2/secret"), new { secret = "another-long-secret-for-gw-2" });
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Contains("Success", await ConnectAsync(cloud, "gw-2", "gw-2", "another-long-secret-for-gw-2"), StringComparison.Ordinal);
        string listed = await cloud.Http.GetStringAsync(At("/api/gateways"));
        Assert.DoesNotContain("another-long-secret", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("pbkdf2", listed, StringComparison.Ordinal);
        var gateways = await cloud.GetJsonAsync<List<Gateway>>("/api/gateways");
        Assert.All(gateways!, g => Assert.True(g.HasSecret));
    }

    [Fact]
    public async Task Without_credentials_required_anyone_connects_but_may_publish_only_as_the_gateway_it_is()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        Assert.Contains("Success", await ConnectAsync(cloud, "someone", null, null), StringComparison.Ordinal);

        using var impostor = await cloud.ConnectAsync("someone");
        var result = await CloudRig.PublishAsync(impostor, Topic.Readings("gw-1").ToString(), Messages.Bytes(Messages.Readings("gw-1", 1, 3)));
        Assert.True(result.IsSuccess);
        Assert.Equal("wrong-gateway", Assert.Single(await cloud.DeadLettersAsync()).ReasonCode);
        Assert.Equal(0, await cloud.CountAsync("Temperature"));
    }

    [Fact]
    public async Task A_short_secret_is_refused_naming_the_field_and_an_unknown_gateway_is_404()
    {
        await using var cloud = await CloudRig.StartAsync(influx.Server, ["gw-1"]);
        using var shortSecret = await cloud.Http.PutAsJsonAsync(At("/api/gateways/gw-1/secret"), new { secret = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, shortSecret.StatusCode);
        string problem = await shortSecret.Content.ReadAsStringAsync();
        Assert.Contains("\"secret\"", problem, StringComparison.Ordinal);
        Assert.Contains("at least 16 characters", problem, StringComparison.Ordinal);

        using var unknown = await cloud.Http.PutAsJsonAsync(At("/api/gateways/gw-9/secret"), new { secret = Secret });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public void A_stored_secret_verifies_only_the_secret_it_was_made_from_and_is_salted()
    {
        string a = GatewaySecrets.Hash(Secret);
        string b = GatewaySecrets.Hash(Secret);
        Assert.NotEqual(a, b);
        Assert.StartsWith("pbkdf2-sha256$10000$", a, StringComparison.Ordinal);
        Assert.True(GatewaySecrets.Verify(Secret, a));
        Assert.True(GatewaySecrets.Verify(Secret, b));
        Assert.False(GatewaySecrets.Verify(Secret + " ", a));
        Assert.False(GatewaySecrets.Verify(null, a));
        Assert.False(GatewaySecrets.Verify(Secret, "pbkdf2-sha256$10000$not-base64$x"));
        Assert.False(GatewaySecrets.Verify(Secret, "md5$1$abc$def"));
    }
}
