using System.Globalization;
using Iot.Edge.Hosting;

namespace Iot.Bench.Edge;

/// <summary>
/// The farm both halves of the edge benchmark use: two greenhouses with one batch each and 20 sensors on simulated
/// chips, 10 per greenhouse on that greenhouse's own I2C bus (3 SHT4x, 2 BME280, 5 soil probes on two ADS1115).
/// Built as options for the in-process pipeline and as configuration overrides for the real gateway process.
/// </summary>
internal static class BenchSite
{
    public const string GatewayId = "gw-bench";

    public const string Batch1 = "7K3M9Q2TXW4A1B63";

    public const string Batch2 = "HN8RD4CFQ2LKM3P7";

    /// <summary>The site, every sensor read every <paramref name="interval"/> (the gateway process's schedule).</summary>
    public static SiteOptions Site(TimeSpan interval)
    {
        var site = new SiteOptions
        {
            Zones =
            [
                new ZoneOptions { Id = "gh1", Batches = [Batch1] },
                new ZoneOptions { Id = "gh2", Batches = [Batch2] },
            ],
        };

        foreach (var (zone, bus) in new[] { ("gh1", 1), ("gh2", 3) })
        {
            // SHT4x answers at 0x44, 0x45 or 0x46 (by part number), BME280 at 0x76 or 0x77, ADS1115 at 0x48 to 0x4B.
            int[] sht4x = [0x44, 0x45, 0x46];
            for (int i = 0; i < sht4x.Length; i++)
            {
                site.Sensors.Add(new SensorOptions { Id = $"{zone}-air-{i + 1}", Zone = zone, Chip = "Sht4x", Bus = bus, Address = sht4x[i], Interval = interval });
            }

            int[] bme280 = [0x76, 0x77];
            for (int i = 0; i < bme280.Length; i++)
            {
                site.Sensors.Add(new SensorOptions { Id = $"{zone}-climate-{i + 1}", Zone = zone, Chip = "Bme280", Bus = bus, Address = bme280[i], Interval = interval });
            }

            // Four probes share the first ADC (channels 0-3), the fifth is on the second.
            for (int i = 0; i < 5; i++)
            {
                site.Sensors.Add(new SensorOptions
                {
                    Id = $"{zone}-soil-{i + 1}",
                    Zone = zone,
                    Chip = "Ads1115",
                    Bus = bus,
                    Address = i < 4 ? 0x48 : 0x49,
                    Channel = i % 4,
                    Interval = interval,
                });
            }
        }

        return site;
    }

    /// <summary>The configuration overrides (<c>--Key=Value</c>) that give the gateway process <paramref name="site"/>.</summary>
    public static List<string> CommandLine(SiteOptions site)
    {
        var args = new List<string>();
        for (int z = 0; z < site.Zones.Count; z++)
        {
            var zone = site.Zones[z];
            args.Add(Invariant($"--Zones:{z}:Id={zone.Id}"));
            for (int b = 0; b < zone.Batches.Count; b++)
            {
                args.Add(Invariant($"--Zones:{z}:Batches:{b}={zone.Batches[b]}"));
            }
        }

        for (int i = 0; i < site.Sensors.Count; i++)
        {
            var s = site.Sensors[i];
            args.Add(Invariant($"--Sensors:{i}:Id={s.Id}"));
            args.Add(Invariant($"--Sensors:{i}:Zone={s.Zone}"));
            args.Add(Invariant($"--Sensors:{i}:Chip={s.Chip}"));
            args.Add(Invariant($"--Sensors:{i}:Bus={s.Bus}"));
            args.Add(Invariant($"--Sensors:{i}:Address={s.Address}"));
            args.Add(Invariant($"--Sensors:{i}:Channel={s.Channel}"));
            args.Add(Invariant($"--Sensors:{i}:Interval={s.Interval:c}"));
        }

        return args;
    }

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
