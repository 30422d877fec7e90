using Iot.Contracts.Messages;

namespace Iot.Cloud.Ingestion;

/// <summary>
/// Which timestamps ingestion stores. A timestamp from a synchronised clock must lie between
/// <see cref="IngestionOptions.EarliestTime"/> and <see cref="IngestionOptions.MaxAhead"/> past the cloud's clock. An
/// unsynchronised clock's timestamps are stored as they are, flagged, with the time the cloud received them. Either
/// way a timestamp must fit InfluxDB's nanosecond range.
/// </summary>
public static class TimeRules
{
    /// <summary>The first day InfluxDB's nanosecond timestamps (a signed 64-bit count from 1970) reach, UTC.</summary>
    public static readonly DateTime StorableFrom = new(1677, 9, 22, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The last day they reach, UTC.</summary>
    public static readonly DateTime StorableUntil = new(2262, 4, 10, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Null when <paramref name="at"/> (of the reading or event at <paramref name="path"/>, taken under
    /// <paramref name="clock"/>, received at <paramref name="receivedAt"/>) may be stored; otherwise why not, naming
    /// <c>{path}.time</c>.
    /// </summary>
    public static string? Check(ClockState clock, DateTime at, DateTimeOffset receivedAt, string path, IngestionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (at < StorableFrom || at > StorableUntil)
        {
            return $"{path}.time {at:O} cannot be stored: InfluxDB keeps times from {StorableFrom:yyyy-MM-dd} to {StorableUntil:yyyy-MM-dd}";
        }

        if (clock != ClockState.Synchronized)
        {
            return null;
        }

        if (at < options.EarliestTime)
        {
            return $"{path}.time {at:O} is before {options.EarliestTime:yyyy-MM-dd} although the gateway says its clock is synchronised";
        }

        var limit = receivedAt.UtcDateTime + options.MaxAhead;
        if (at > limit)
        {
            return $"{path}.time {at:O} is {(at - receivedAt.UtcDateTime).TotalMinutes:F1} minutes ahead of the cloud's clock (at most {options.MaxAhead.TotalMinutes:F0} allowed) although the gateway says its clock is synchronised";
        }

        return null;
    }
}
