namespace Iot.Cloud.History.Rollups;

/// <summary>Which hours a reader may take from the hourly rollups instead of the raw readings.</summary>
public interface IRollupCoverage
{
    /// <summary>The coverage now: hours from <see cref="RollupCoverage.CoveredFrom"/> on that are not dirty.</summary>
    RollupCoverage Snapshot();
}

/// <summary>
/// A moment's coverage: the rollup of an hour (unix seconds of its start) is trusted when the hour is at or after
/// <paramref name="CoveredFrom"/> and not in <paramref name="Dirty"/>.
/// </summary>
public sealed record RollupCoverage(long CoveredFrom, IReadOnlySet<long> Dirty)
{
    /// <summary>Whether the rollup of <paramref name="hour"/> may be read instead of its readings.</summary>
    public bool IsClean(long hour) => hour >= CoveredFrom && !Dirty.Contains(hour);
}
