using System.Globalization;

namespace Iot.Bench.Edge;

/// <summary>
/// This process's garbage collections and the time they held every thread still (the gateway's GC is workstation,
/// non-concurrent: each collection stops the read loop, the flush loop and the uplink alike).
/// </summary>
internal readonly record struct GcCounts(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long AllocatedBytes)
{
    public static GcCounts Now() => new(
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration(),
        GC.GetTotalAllocatedBytes());

    public static GcCounts operator -(GcCounts a, GcCounts b) =>
        new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Paused - b.Paused, a.AllocatedBytes - b.AllocatedBytes);

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"GC: {Gen0} collections ({Gen1} of gen 1, {Gen2} of gen 2), paused {Paused.TotalSeconds:F2} s, {AllocatedBytes / 1e6:F0} MB allocated");
}
