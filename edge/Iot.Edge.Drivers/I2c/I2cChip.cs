using System.Device.I2c;
using System.Globalization;

namespace Iot.Edge.Drivers.I2c;

/// <summary>
/// What the I2C sensor drivers (<c>Bme280</c>, <c>Sht4x</c>, <c>Ads1115</c>) share: the margin past a datasheet's
/// maximum time before a read counts as failed, the poll step, and how a missing chip is named at construction.
/// </summary>
internal static class I2cChip
{
    /// <summary>
    /// Extra time after the datasheet's maximum measurement or conversion time before a read counts as failed: the
    /// gateway runs on Linux, not a real-time OS, so a wake-up may come a few milliseconds late.
    /// </summary>
    public static readonly TimeSpan ReadyMargin = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// How often a driver polls once the typical time has passed: a status register, or a read the chip did not
    /// acknowledge because its measurement is still running.
    /// </summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Waits at least <paramref name="duration"/> on <paramref name="time"/>. <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>
    /// counts whole milliseconds and drops the fraction: asked for an SHT4x's 8.3 ms it waits 8 ms, and the first read
    /// then comes before the slowest chip the datasheet allows is ready (not acknowledged, one more poll). The wait is
    /// rounded up to the next whole millisecond instead.
    /// </summary>
    /// <param name="duration">The least time to wait.</param>
    /// <param name="time">The clock to wait on.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static Task DelayAtLeastAsync(TimeSpan duration, TimeProvider time, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(duration.TotalMilliseconds)), time, cancellationToken);

    /// <summary>The device's address as error messages name it: <c>I2C address 0x76</c>.</summary>
    /// <param name="device">The bus device.</param>
    public static string Address(I2cDevice device) =>
        string.Create(CultureInfo.InvariantCulture, $"I2C address 0x{device.ConnectionSettings.DeviceAddress:X2}");

    /// <summary>
    /// Runs the first transfers of a driver's identity check; a bus fault there (nothing acknowledged) becomes an
    /// <see cref="IOException"/> saying that no <paramref name="part"/> answered at the device's address.
    /// </summary>
    /// <param name="device">The bus device.</param>
    /// <param name="part">The chip the driver expects, e.g. <c>BME280</c>.</param>
    /// <param name="firstContact">The transfers; what they read is returned.</param>
    /// <exception cref="IOException">The transfers failed.</exception>
    public static T Identify<T>(I2cDevice device, string part, Func<T> firstContact)
    {
        try
        {
            return firstContact();
        }
        catch (IOException e)
        {
            throw new IOException($"no {part} answered at {Address(device)}: is it connected, powered and at this address? ({e.Message})", e);
        }
    }
}
