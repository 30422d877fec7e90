using Iot.Edge.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Iot.Edge.Tests.Hosting;

public sealed class SystemdWatchdogTests
{
    sealed class Notifier : ISystemdNotifier
    {
        public List<string> Sent { get; } = [];

        public bool IsEnabled => true;

        public void Notify(ServiceState state)
        {
            lock (Sent)
            {
                Sent.Add(state.ToString());
            }
        }

        public int Feeds
        {
            get
            {
                lock (Sent)
                {
                    return Sent.Count(s => s == "WATCHDOG=1");
                }
            }
        }
    }

    [Fact]
    public async Task The_watchdog_is_fed_while_every_loop_beats_and_starved_when_one_stalls()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
        var liveness = new Liveness(time);
        var notifier = new Notifier();
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", "10000000"); // WatchdogSec=10
        try
        {
            using var watchdog = new SystemdWatchdog(notifier, liveness, time, NullLogger<SystemdWatchdog>.Instance);
            await watchdog.StartAsync(CancellationToken.None);
            for (int i = 0; i < 6; i++)
            {
                liveness.Beat("sampling");
                liveness.Beat("uplink");
                time.Advance(TimeSpan.FromSeconds(5));
                await Task.Delay(20);
            }

            int fed = notifier.Feeds;
            Assert.InRange(fed, 1, 6); // ticks coalesce when the machine is busy: at least one feed, never more than ticks

            for (int i = 0; i < 6; i++)
            {
                liveness.Beat("sampling"); // the uplink hangs
                time.Advance(TimeSpan.FromSeconds(5));
                await Task.Delay(20);
            }

            Assert.InRange(notifier.Feeds - fed, 0, 2); // fed until the uplink's last beat is older than the period
            Assert.Equal(["uplink"], liveness.Stalled(TimeSpan.FromSeconds(10)));
            await watchdog.StopAsync(CancellationToken.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
        }
    }
}
