namespace Iot.Edge.Simulation;

/// <summary>
/// What the simulated chips measure: smooth, plausible signals of a greenhouse day, as pure functions of time so
/// tests can check them and the demo looks like a farm. Local solar time is taken as UTC+8 (China Standard Time).
/// </summary>
public static class FieldSignals
{
    static readonly TimeSpan LocalOffset = TimeSpan.FromHours(8);

    /// <summary>Hours since local midnight, 0 to 24.</summary>
    public static double LocalHour(DateTimeOffset time) => (time.ToOffset(LocalOffset).TimeOfDay).TotalHours;

    /// <summary>
    /// Air temperature, °C: coolest near 05:00, warmest near 15:00 (a cosine around the daily mean), with a small
    /// deterministic ripple so consecutive readings differ.
    /// </summary>
    public static double AirTemperature(DateTimeOffset time, double mean = 22, double swing = 6, int zoneSeed = 0) =>
        mean + swing * Math.Cos(2 * Math.PI * (LocalHour(time) - 15) / 24) + Ripple(time, zoneSeed, 0.15);

    /// <summary>Relative humidity, %: moves against air temperature (warm afternoons are dry), kept within 30..98.</summary>
    public static double RelativeHumidity(DateTimeOffset time, double mean = 22, double swing = 6, int zoneSeed = 0)
    {
        double t = AirTemperature(time, mean, swing, zoneSeed);
        return Math.Clamp(75 - 3.2 * (t - mean) + Ripple(time, zoneSeed + 7, 0.8), 30, 98);
    }

    /// <summary>Hours (local) at which the simulated irrigation starts, each running <see cref="IrrigationMinutes"/>.</summary>
    public static readonly double[] IrrigationHours = [6, 18];

    /// <summary>How long each irrigation runs.</summary>
    public const double IrrigationMinutes = 20;

    /// <summary>Irrigation flow, L/min: <paramref name="litresPerMinute"/> while irrigating, otherwise 0.</summary>
    public static double IrrigationFlow(DateTimeOffset time, double litresPerMinute = 12)
    {
        double hour = LocalHour(time);
        return IrrigationHours.Any(h => hour >= h && hour < h + IrrigationMinutes / 60) ? litresPerMinute : 0;
    }

    /// <summary>
    /// Volumetric soil water content, %: rises during irrigation to near field capacity, then falls as the crop and
    /// the sun take the water (faster by day), never below the wilting floor.
    /// </summary>
    public static double SoilMoisture(DateTimeOffset time, double fieldCapacity = 38, double floor = 16, int zoneSeed = 0)
    {
        double hour = LocalHour(time);
        double last = IrrigationHours.Where(h => h <= hour).DefaultIfEmpty(IrrigationHours[^1] - 24).Max();
        double since = hour - last;
        double irrigating = IrrigationMinutes / 60;
        double value = since < irrigating
            ? floor + 6 + (fieldCapacity - floor - 6) * (since / irrigating)
            : fieldCapacity - 1.1 * (since - irrigating) - 0.4 * Math.Max(0, Math.Min(hour, 17) - Math.Max(last + irrigating, 8));
        return Math.Max(floor, value) + Ripple(time, zoneSeed + 13, 0.1);
    }

    /// <summary>Illuminance, lux: dark at night, a sine from 06:00 to 18:00 peaking at <paramref name="noonLux"/>.</summary>
    public static double Illuminance(DateTimeOffset time, double noonLux = 30_000)
    {
        double hour = LocalHour(time);
        return hour is < 6 or > 18 ? 0 : noonLux * Math.Sin(Math.PI * (hour - 6) / 12);
    }

    /// <summary>Barometric pressure, kPa: around 101.3 with a slow daily tide.</summary>
    public static double Pressure(DateTimeOffset time) => 101.3 + 0.12 * Math.Cos(4 * Math.PI * (LocalHour(time) - 10) / 24);

    /// <summary>A small, smooth, deterministic wiggle, so simulated readings are not perfectly regular.</summary>
    static double Ripple(DateTimeOffset time, int seed, double amplitude)
    {
        double minutes = time.ToUnixTimeMilliseconds() / 60_000.0;
        return amplitude * (Math.Sin(minutes * 0.71 + seed) * 0.6 + Math.Sin(minutes * 0.173 + seed * 1.7) * 0.4);
    }
}
