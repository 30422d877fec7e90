using Iot.Edge.Uplink;
using Iot.Hosting;

namespace Iot.Edge.Tests.Uplink;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void The_cap_doubles_per_failure_up_to_the_maximum_and_resets_on_success()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(1));
        var caps = new List<double>();
        for (int i = 0; i < 7; i++)
        {
            caps.Add(backoff.Cap.TotalSeconds);
            backoff.NextDelay();
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], caps);
        backoff.Reset();
        Assert.Equal(1, backoff.Cap.TotalSeconds);
    }

    [Fact]
    public void Full_jitter_spreads_a_thousand_gateways_over_the_whole_window()
    {
        // A broker restart: a thousand gateways fail at once, each at its third failure (cap 4 s).
        var delays = Enumerable.Range(0, 1000).Select(i =>
        {
            var b = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2), new Random(i));
            b.NextDelay();
            b.NextDelay();
            return b.NextDelay().TotalSeconds;
        }).ToList();

        Assert.All(delays, d => Assert.InRange(d, 0, 4));
        // Every one-second slot of the window gets roughly a quarter of the gateways: no thundering herd.
        var perSecond = delays.GroupBy(d => (int)d).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(Enumerable.Range(0, 4), s => Assert.InRange(perSecond.GetValueOrDefault(s), 180, 320));
    }
}
