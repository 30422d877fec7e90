using System.Globalization;
using System.Text;

namespace Iot.Cloud.History.Rollups;

/// <summary>
/// The hourly rollup measurements (cloud/README.md, History, "Rollups"): beside the raw ones in the same database,
/// <c>rollup_1h.Temperature</c> for a one-unit type and <c>rollup_1h.Mass.KGM</c> per unit of the others, fields
/// <c>min</c>, <c>max</c>, <c>sum</c>, <c>count</c> of the good values, tags as the readings' (gateway, zone, sensor,
/// batch), one point per series and hour at the hour's start. A CBV type has no dot, so the names cannot clash.
/// </summary>
public static class RollupSeries
{
    /// <summary>What every rollup measurement's name starts with.</summary>
    public const string Prefix = "rollup_1h.";

    /// <summary>The rollup measurement of a one-unit <paramref name="measurement"/>.</summary>
    public static string Of(string measurement) => Prefix + measurement;

    /// <summary>The rollup measurement of <paramref name="unit"/> of a multi-unit <paramref name="measurement"/>.</summary>
    public static string Of(string measurement, string unit) => Prefix + measurement + "." + unit;

    /// <summary>
    /// The statements that (re)write the rollups of every hour in [<paramref name="fromSeconds"/>,
    /// <paramref name="toSeconds"/>) (whole hours, unix seconds): one <c>SELECT ... INTO ... GROUP BY time(1h), *</c> per
    /// rollup measurement, joined with semicolons. Never <c>trace_event</c>.
    /// </summary>
    public static string Statements(long fromSeconds, long toSeconds)
    {
        string where = string.Create(CultureInfo.InvariantCulture, $" WHERE time >= {fromSeconds}s AND time < {toSeconds}s");
        var text = new StringBuilder();
        foreach (string measurement in BatchHistory.SingleUnit.Keys.Order(StringComparer.Ordinal))
        {
            Append(Of(measurement), measurement, "");
        }

        foreach (var (measurement, unit) in BatchHistory.MultiUnit)
        {
            Append(Of(measurement, unit), measurement, $" AND \"unit\" = '{unit}'");
        }

        return text.ToString();

        void Append(string into, string from, string unitCondition)
        {
            if (text.Length > 0)
            {
                text.Append(';');
            }

            text.Append("SELECT min(\"value\") AS \"min\",max(\"value\") AS \"max\",sum(\"value\") AS \"sum\",count(\"value\") AS \"count\" INTO ")
                .Append(BatchHistory.Quote(into)).Append(" FROM ").Append(BatchHistory.Quote(from))
                .Append(where).Append(unitCondition).Append(" GROUP BY time(1h),* fill(none)");
        }
    }
}
