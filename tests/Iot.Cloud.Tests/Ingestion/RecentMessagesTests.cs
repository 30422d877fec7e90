using Iot.Cloud.Ingestion;

namespace Iot.Cloud.Tests.Ingestion;

public sealed class RecentMessagesTests
{
    [Fact]
    public void Remembers_gateway_and_seq_together()
    {
        var recent = new RecentMessages(10);
        recent.Add("gw-1", 1);

        Assert.True(recent.Contains("gw-1", 1));
        Assert.False(recent.Contains("gw-1", 2));
        Assert.False(recent.Contains("gw-2", 1));
        Assert.False(recent.Contains("GW-1", 1));
    }

    [Fact]
    public void Holds_at_most_its_capacity_and_forgets_the_oldest_first()
    {
        var recent = new RecentMessages(3);
        for (long seq = 1; seq <= 5; seq++)
        {
            recent.Add("gw-1", seq);
        }

        Assert.False(recent.Contains("gw-1", 1));
        Assert.False(recent.Contains("gw-1", 2));
        Assert.True(recent.Contains("gw-1", 3));
        Assert.True(recent.Contains("gw-1", 4));
        Assert.True(recent.Contains("gw-1", 5));
    }

    [Fact]
    public void Adding_a_pair_again_does_not_take_a_second_place()
    {
        var recent = new RecentMessages(2);
        recent.Add("gw-1", 1);
        recent.Add("gw-1", 1);
        recent.Add("gw-1", 2);

        Assert.True(recent.Contains("gw-1", 1));
        Assert.True(recent.Contains("gw-1", 2));

        recent.Add("gw-1", 3);
        Assert.False(recent.Contains("gw-1", 1));
        Assert.True(recent.Contains("gw-1", 3));
    }

    [Fact]
    public void Stays_consistent_under_concurrent_adds()
    {
        var recent = new RecentMessages(1_000);
        Parallel.For(0, 8, gateway =>
        {
            for (long seq = 1; seq <= 500; seq++)
            {
                recent.Add($"gw-{gateway}", seq);
            }
        });

        int remembered = 0;
        for (int gateway = 0; gateway < 8; gateway++)
        {
            for (long seq = 1; seq <= 500; seq++)
            {
                remembered += recent.Contains($"gw-{gateway}", seq) ? 1 : 0;
            }
        }

        Assert.Equal(1_000, remembered);
    }
}
