using Iot.Edge.Hosting;

namespace Iot.Edge.Simulation;

/// <summary>
/// The farm a simulated gateway brings when none is configured: two greenhouses growing one batch each, and a
/// packing line with a tag reader and a serial scale. What <c>./iot demo</c> runs.
/// </summary>
public static class DemoFarm
{
    /// <summary>The batch growing in greenhouse 1.</summary>
    public const string Greenhouse1Batch = "7K3M9Q2TXW4A1B63";

    /// <summary>The batch growing in greenhouse 2.</summary>
    public const string Greenhouse2Batch = "HN8RD4CFQ2LKM3P7";

    /// <summary>The batch card that puts greenhouse 1's batch on the packing line.</summary>
    public const string BatchCardUid = "04A224E2C45D80";

    /// <summary>The site: zones, batches, sensors.</summary>
    public static SiteOptions Site()
    {
        var site = new SiteOptions
        {
            Zones =
            [
                new ZoneOptions { Id = "gh1", Batches = [Greenhouse1Batch] },
                new ZoneOptions { Id = "gh2", Batches = [Greenhouse2Batch] },
                new ZoneOptions { Id = "line-1", BatchCards = new() { [BatchCardUid] = Greenhouse1Batch } },
            ],
        };

        foreach (string zone in new[] { "gh1", "gh2" })
        {
            site.Sensors.Add(new SensorOptions { Id = $"{zone}-air", Zone = zone, Chip = "Sht4x", Address = 0x44, Interval = TimeSpan.FromSeconds(5) });
            site.Sensors.Add(new SensorOptions { Id = $"{zone}-climate", Zone = zone, Chip = "Bme280", Address = 0x76, Interval = TimeSpan.FromSeconds(10) });
            site.Sensors.Add(new SensorOptions { Id = $"{zone}-soil-a", Zone = zone, Chip = "Ads1115", Address = zone == "gh1" ? 0x48 : 0x49, Channel = 0, Interval = TimeSpan.FromSeconds(10) });
            site.Sensors.Add(new SensorOptions { Id = $"{zone}-soil-b", Zone = zone, Chip = "Ads1115", Address = zone == "gh1" ? 0x48 : 0x49, Channel = 1, Interval = TimeSpan.FromSeconds(10) });
            site.Sensors.Add(new SensorOptions
            {
                Id = $"{zone}-flow",
                Zone = zone,
                Chip = "PulseCounter",
                Pins = new() { ["Pulse"] = zone == "gh1" ? 17 : 27 },
                Calibration = new() { ["PulsesPerLitre"] = 450 },
                Interval = TimeSpan.FromSeconds(10),
            });
        }

        site.Sensors.Add(new SensorOptions { Id = "line-1-reader", Zone = "line-1", Chip = "Mfrc522", Bus = 0, Address = 0 });
        site.Sensors.Add(new SensorOptions { Id = "line-1-scale", Zone = "line-1", Chip = "WeighingIndicator", SerialPort = "simulated" });
        return site;
    }
}
