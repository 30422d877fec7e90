namespace Iot.Edge.Drivers.Bme280;

/// <summary>
/// The datasheet's integer compensation formulas (BST-BME280-DS002 rev 1.6, section 4.2.3 "Compensation formulas",
/// code rev 1.1): 32-bit for temperature and humidity, 64-bit for pressure. Pure functions of the raw ADC values and
/// the chip's trimming parameters. The arithmetic is the datasheet's, including its truncating shifts, so the results
/// match Bosch's published values to the last digit. Integer overflow wraps as in C on the platforms the code targets.
/// </summary>
public static class Bme280Compensation
{
    /// <summary>
    /// Temperature in 0.01 °C and t_fine, the fine temperature the pressure and humidity formulas take
    /// (BME280_compensate_T_int32).
    /// </summary>
    /// <param name="adcT">The 20-bit raw temperature.</param>
    /// <param name="calibration">The chip's trimming parameters.</param>
    /// <returns>The temperature in hundredths of a degree Celsius (5123 = 51.23 °C) and t_fine.</returns>
    public static (int CentiCelsius, int TFine) Temperature(int adcT, Bme280Calibration calibration)
    {
        int t1 = calibration.DigT1;
        int var1 = (((adcT >> 3) - (t1 << 1)) * calibration.DigT2) >> 11;
        int var2 = (((((adcT >> 4) - t1) * ((adcT >> 4) - t1)) >> 12) * calibration.DigT3) >> 14;
        int tFine = var1 + var2;
        return (((tFine * 5) + 128) >> 8, tFine);
    }

    /// <summary>
    /// Pressure in pascal as Q24.8 fixed point, 24 integer and 8 fractional bits (BME280_compensate_P_int64):
    /// 24674867 is 24674867 / 256 = 96386.2 Pa. Returns 0 where the datasheet's code does, to avoid a division by zero
    /// (dig_P1 = 0).
    /// </summary>
    /// <param name="adcP">The 20-bit raw pressure.</param>
    /// <param name="tFine">t_fine from <see cref="Temperature"/> of the same measurement.</param>
    /// <param name="calibration">The chip's trimming parameters.</param>
    public static uint Pressure(int adcP, int tFine, Bme280Calibration calibration) =>
        (uint)PressureSigned(adcP, tFine, calibration);

    /// <summary>
    /// Relative humidity in %RH as Q22.10 fixed point, 22 integer and 10 fractional bits (bme280_compensate_H_int32):
    /// 47445 is 47445 / 1024 = 46.333 %RH. The formula itself bounds the result to 0..100 %RH.
    /// </summary>
    /// <param name="adcH">The 16-bit raw humidity.</param>
    /// <param name="tFine">t_fine from <see cref="Temperature"/> of the same measurement.</param>
    /// <param name="calibration">The chip's trimming parameters.</param>
    public static uint Humidity(int adcH, int tFine, Bme280Calibration calibration)
    {
        int x = tFine - 76800;
        x = (((adcH << 14) - (calibration.DigH4 << 20) - (calibration.DigH5 * x) + 16384) >> 15)
            * (((((((x * calibration.DigH6) >> 10) * (((x * calibration.DigH3) >> 11) + 32768)) >> 10) + 2097152) * calibration.DigH2 + 8192) >> 14);
        x -= ((((x >> 15) * (x >> 15)) >> 7) * calibration.DigH1) >> 4;
        x = Math.Clamp(x, 0, 419430400);
        return (uint)(x >> 12);
    }

    /// <summary>
    /// Maximum measurement time in forced mode (datasheet section 9.1, "Measurement time"):
    /// 1.25 + 2.3·T + (2.3·P + 0.575) + (2.3·H + 0.575) ms, where T, P, H are the oversampling factors.
    /// </summary>
    /// <param name="temperature">Temperature oversampling.</param>
    /// <param name="pressure">Pressure oversampling.</param>
    /// <param name="humidity">Humidity oversampling.</param>
    public static TimeSpan MaximumMeasurementTime(Bme280Oversampling temperature, Bme280Oversampling pressure, Bme280Oversampling humidity) =>
        TimeSpan.FromMilliseconds(1.25 + (2.3 * Factor(temperature)) + (2.3 * Factor(pressure)) + 0.575 + (2.3 * Factor(humidity)) + 0.575);

    /// <summary>
    /// Typical measurement time in forced mode (datasheet section 9.1): 1 + 2·T + (2·P + 0.5) + (2·H + 0.5) ms.
    /// </summary>
    /// <param name="temperature">Temperature oversampling.</param>
    /// <param name="pressure">Pressure oversampling.</param>
    /// <param name="humidity">Humidity oversampling.</param>
    public static TimeSpan TypicalMeasurementTime(Bme280Oversampling temperature, Bme280Oversampling pressure, Bme280Oversampling humidity) =>
        TimeSpan.FromMilliseconds(1 + (2 * Factor(temperature)) + (2 * Factor(pressure)) + 0.5 + (2 * Factor(humidity)) + 0.5);

    /// <summary>The oversampling factor: ×1, ×2, ×4, ×8, ×16 for settings 001..101.</summary>
    /// <param name="oversampling">The setting.</param>
    public static int Factor(Bme280Oversampling oversampling) => oversampling switch
    {
        Bme280Oversampling.X1 => 1,
        Bme280Oversampling.X2 => 2,
        Bme280Oversampling.X4 => 4,
        Bme280Oversampling.X8 => 8,
        Bme280Oversampling.X16 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(oversampling), oversampling, "not an oversampling setting"),
    };

    /// <summary>The 64-bit pressure formula before the datasheet's final cast to unsigned 32 bit.</summary>
    internal static long PressureSigned(int adcP, int tFine, Bme280Calibration c)
    {
        long var1 = (long)tFine - 128000;
        long var2 = var1 * var1 * c.DigP6;
        var2 += (var1 * c.DigP5) << 17;
        var2 += (long)c.DigP4 << 35;
        var1 = ((var1 * var1 * c.DigP3) >> 8) + ((var1 * c.DigP2) << 12);
        var1 = (((1L << 47) + var1) * c.DigP1) >> 33;
        if (var1 == 0)
        {
            return 0;
        }

        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (c.DigP9 * (p >> 13) * (p >> 13)) >> 25;
        var2 = (c.DigP8 * p) >> 19;
        return ((p + var1 + var2) >> 8) + ((long)c.DigP7 << 4);
    }
}
