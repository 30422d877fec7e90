namespace Iot.Edge.Drivers;

/// <summary>
/// The simulators record what crossed the bus so tests can assert the bytes; a simulated gateway runs for days, so
/// every such record is bounded: past <see cref="Capacity"/> entries the oldest half is dropped.
/// </summary>
internal static class SimulationLog
{
    /// <summary>Most entries a simulator's record keeps.</summary>
    public const int Capacity = 4096;

    /// <summary>Appends <paramref name="item"/>, dropping the oldest half of <paramref name="log"/> when it is full.</summary>
    public static void Append<T>(List<T> log, T item)
    {
        if (log.Count >= Capacity)
        {
            log.RemoveRange(0, Capacity / 2);
        }

        log.Add(item);
    }
}
