using Iot.Edge.Drivers.I2c;

namespace Iot.Edge.Drivers.Tests.I2c;

/// <summary>The arrangement of the I2C drivers' "Dispose disposes the bus device only when asked to" tests.</summary>
internal static class BusOwnership
{
    /// <summary>
    /// Creates two chips, gives one to a driver that owns it (<c>shouldDispose: true</c>) and the other to a driver
    /// that borrows it (<c>shouldDispose: false</c>), disposes both drivers and returns the two chips.
    /// </summary>
    public static (TChip Owned, TChip Borrowed) DisposeOwnedAndBorrowed<TChip>(Func<TChip> newChip, Func<TChip, bool, IDisposable> newDriver)
        where TChip : SimulatedI2cDevice
    {
        var owned = newChip();
        var borrowed = newChip();

        newDriver(owned, true).Dispose();
        newDriver(borrowed, false).Dispose();

        return (owned, borrowed);
    }
}
