using System.Globalization;

namespace Iot.Testing.Processes;

/// <summary>
/// Command-line configuration for a real <c>iot-gateway</c> process in tests: simulated hardware, a clock taken as
/// synchronised, quick reconnects and flushes, one zone (<c>gh1</c>) holding <paramref name="batch"/>, and two fast
/// sensors (an SHT4x every 20 ms, a BME280 every 30 ms), so a test sees a steady stream within a second.
/// </summary>
public static class GatewaySite
{
    /// <summary>The arguments for gateway <paramref name="gatewayId"/> publishing to 127.0.0.1:<paramref name="brokerPort"/> with its outbox at <paramref name="outbox"/>.</summary>
    public static string[] Fast(string gatewayId, int brokerPort, string outbox, string batch) =>
    [
        $"--Gateway:Id={gatewayId}",
        "--Mqtt:Host=127.0.0.1",
        string.Create(CultureInfo.InvariantCulture, $"--Mqtt:Port={brokerPort}"),
        "--Mqtt:ReconnectMin=00:00:00.100",
        "--Mqtt:ReconnectMax=00:00:00.500",
        $"--Outbox:Path={outbox}",
        "--Hardware:Simulated=true",
        "--Clock:Source=AssumeSynchronized",
        "--Sampling:FlushInterval=00:00:00.050",
        "--Zones:0:Id=gh1",
        $"--Zones:0:Batches:0={batch}",
        "--Sensors:0:Id=air-1", "--Sensors:0:Zone=gh1", "--Sensors:0:Chip=Sht4x", "--Sensors:0:Address=68", "--Sensors:0:Interval=00:00:00.020",
        "--Sensors:1:Id=air-2", "--Sensors:1:Zone=gh1", "--Sensors:1:Chip=Bme280", "--Sensors:1:Address=118", "--Sensors:1:Interval=00:00:00.030",
    ];
}
