using Iot.Edge.Drivers.I2c;
using Microsoft.Extensions.Time.Testing;

namespace Iot.Edge.Drivers.Tests.I2c;

public class I2cChipTests
{
    [Fact]
    public async Task DelayAtLeastAsync_rounds_a_fractional_wait_up_to_the_next_whole_millisecond()
    {
        var time = new FakeTimeProvider();

        // Task.Delay alone would end after 8 ms: before an SHT4x's 8.3 ms maximum measurement duration.
        var wait = I2cChip.DelayAtLeastAsync(TimeSpan.FromMicroseconds(8_300), time, CancellationToken.None);
        time.Advance(TimeSpan.FromMicroseconds(8_300));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromMicroseconds(700));

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DelayAtLeastAsync_waits_a_whole_number_of_milliseconds_exactly()
    {
        var time = new FakeTimeProvider();

        var wait = I2cChip.DelayAtLeastAsync(TimeSpan.FromMilliseconds(9), time, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(9));

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
