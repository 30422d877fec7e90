using Iot.Contracts.Messages;
using Iot.Edge.Clock;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Iot.Edge.Tests.Clock;

public sealed class GatewayClockTests
{
    [Theory]
    [InlineData(0, true)]   // TIME_OK
    [InlineData(1, true)]   // TIME_INS: leap second pending, still synchronised
    [InlineData(4, true)]   // TIME_WAIT
    [InlineData(5, false)]  // TIME_ERROR: the kernel's STA_UNSYNC, no NTP discipline
    [InlineData(-1, false)] // the call failed: do not claim synchronised
    public void The_kernel_s_clock_state_is_read_honestly(int adjtimexReturn, bool synchronized) =>
        Assert.Equal(synchronized, GatewayClock.InterpretAdjtimex(adjtimexReturn));

    [Fact]
    public void Asking_this_machine_s_kernel_answers_without_failing()
    {
        // Whatever this machine's state, the call itself must work on Linux (it is what a Pi runs).
        var state = new GatewayClock(TimeProvider.System, Options.Create(new ClockOptions { Source = ClockSource.Kernel })).State;
        Assert.True(state is ClockState.Synchronized or ClockState.Unsynchronized);
    }

    [Fact]
    public void Configured_sources_are_obeyed_and_now_is_truncated_to_milliseconds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 27, 19, 123, TimeSpan.Zero).AddTicks(4567));
        Assert.Equal(ClockState.Synchronized, new GatewayClock(time, Options.Create(new ClockOptions { Source = ClockSource.AssumeSynchronized })).State);
        var clock = new GatewayClock(time, Options.Create(new ClockOptions { Source = ClockSource.AssumeUnsynchronized }));
        Assert.Equal(ClockState.Unsynchronized, clock.State);
        Assert.Equal(new DateTime(2026, 11, 24, 9, 27, 19, 123, DateTimeKind.Utc), clock.UtcNow);
    }
}
