using Iot.Contracts.Topics;

namespace Iot.Contracts.Tests.Topics;

public class TopicTests
{
    [Theory]
    [InlineData("agri/v1/gw-1/readings", TopicKind.Readings, "gw-1", null)]
    [InlineData("agri/v1/gw-1/events", TopicKind.Events, "gw-1", null)]
    [InlineData("agri/v1/gw-1/status", TopicKind.Status, "gw-1", null)]
    [InlineData("agri/v1/gw-1/cmd/set-batch", TopicKind.Command, "gw-1", "set-batch")]
    [InlineData("agri/v1/gw-1/cmd-result", TopicKind.CommandResult, "gw-1", null)]
    [InlineData("agri/v1/Farm_7.gw2/readings", TopicKind.Readings, "Farm_7.gw2", null)]
    public void Parses_every_topic_of_the_contract_and_builds_it_back(string text, TopicKind kind, string gateway, string? command)
    {
        Assert.True(Topic.TryParse(text, out var topic, out var error), error);
        Assert.Equal(kind, topic.Kind);
        Assert.Equal(gateway, topic.GatewayId);
        Assert.Equal(command, topic.CommandName);
        Assert.Equal(text, topic.ToString());
        Assert.Equal(text, Topic.For(kind, gateway, command).ToString());
    }

    [Theory]
    [InlineData("agri/v1/+/readings", "topic gateway id: character '+' at position 1")]
    [InlineData("agri/v1/#", "topic must look like")]
    [InlineData("agri/v1/gw#1/readings", "character '#' at position 3 is not allowed")]
    [InlineData("agri/v1/$SYS/readings", "character '$' at position 1")]
    [InlineData("agri/v1/gw\u0000/readings", "character U+0000 at position 3")]
    [InlineData("agri/v1/gw 1/readings", "character U+0020 at position 3")]
    [InlineData("agri/v1//readings", "topic gateway id is empty")]
    [InlineData("agri/v2/gw-1/readings", "topic must look like")]
    [InlineData("agri/v1/gw-1/reading", "got 'reading'")]
    [InlineData("agri/v1/gw-1/readings/extra", "got 'readings/extra'")]
    [InlineData("agri/v1/gw-1/cmd", "got 'cmd'")]
    [InlineData("agri/v1/gw-1/cmd/+", "command name: character '+'")]
    [InlineData("agri/v1/gw-1/cmd/a/b", "got 'cmd/a/b'")]
    [InlineData("", "topic is empty")]
    public void Refuses_topics_outside_the_contract_saying_why(string text, string reasonPart)
    {
        Assert.False(Topic.TryParse(text, out _, out var error));
        Assert.Contains(reasonPart, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gw/1")]
    [InlineData("gw+1")]
    [InlineData("#")]
    [InlineData("gw\n1")]
    [InlineData("-gw")]
    [InlineData("")]
    public void Building_a_topic_for_a_bad_gateway_id_throws(string gatewayId)
    {
        var e = Assert.Throws<ArgumentException>(() => Topic.Readings(gatewayId));
        Assert.Contains("gateway id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gateway_id_of_65_characters_is_refused_and_64_accepted()
    {
        Assert.Equal($"agri/v1/{new string('a', 64)}/status", Topic.Status(new string('a', 64)).ToString());
        Assert.Throws<ArgumentException>(() => Topic.Status(new string('a', 65)));
    }

    [Fact]
    public void Filters_match_every_gateway_or_one_gateways_commands()
    {
        Assert.Equal("agri/v1/+/readings", Topic.Filter(TopicKind.Readings));
        Assert.Equal("agri/v1/+/events", Topic.Filter(TopicKind.Events));
        Assert.Equal("agri/v1/gw-1/cmd/+", Topic.Filter(TopicKind.Command, "gw-1"));
        Assert.Throws<ArgumentException>(() => Topic.Filter(TopicKind.Command, "gw/1"));
    }
}
