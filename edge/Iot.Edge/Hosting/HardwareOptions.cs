using System.ComponentModel.DataAnnotations;
using Iot.Contracts.Identifiers;

namespace Iot.Edge.Hosting;

/// <summary>Configuration section <c>Hardware</c>.</summary>
public sealed class HardwareOptions
{
    /// <summary>Section name in configuration.</summary>
    public const string Section = "Hardware";

    /// <summary>
    /// Run on simulated chips (register-level simulators driven by realistic field signals) instead of the board's
    /// buses: for the demo, tests and benchmarks. With no <c>Zones</c> and <c>Sensors</c> configured, a simulated
    /// gateway brings a farm of its own: two growing zones and a packing line.
    /// </summary>
    public bool Simulated { get; set; }

    /// <summary>In simulation, how much faster than real time the field signals move (1 = real time).</summary>
    [Range(0.001, 1_000_000)]
    public double SimulationSpeed { get; set; } = 1;
}

/// <summary>A zone or line in configuration section <c>Zones</c>.</summary>
public sealed class ZoneOptions : IValidatableObject
{
    /// <summary>The zone id (greenhouse, field plot, cold room, packing line).</summary>
    [Required]
    public string Id { get; set; } = string.Empty;

    /// <summary>Batches growing or handled there at first start; later set by command or batch card.</summary>
    public List<string> Batches { get; set; } = [];

    /// <summary>For a packing line: batch card UID (hex) → batch trace code.</summary>
    public Dictionary<string, string> BatchCards { get; set; } = [];

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!LocalId.IsValid(Id, "zone id", out var error))
        {
            yield return new ValidationResult(error, [nameof(Id)]);
        }

        foreach (string code in Batches.Concat(BatchCards.Values))
        {
            if (!BatchTraceCode.TryParse(code, out _, out var codeError))
            {
                yield return new ValidationResult($"zone {Id}: {codeError}", [nameof(Batches)]);
            }
        }
    }
}

/// <summary>A sensor in configuration section <c>Sensors</c>.</summary>
public sealed class SensorOptions : IValidatableObject
{
    /// <summary>The sensor id, unique on the gateway.</summary>
    [Required]
    public string Id { get; set; } = string.Empty;

    /// <summary>The zone or line it is in.</summary>
    [Required]
    public string Zone { get; set; } = string.Empty;

    /// <summary>The chip: Sht4x, Bme280, Ads1115, PulseCounter, Hx711, Mfrc522, WeighingIndicator.</summary>
    [Required]
    public string Chip { get; set; } = string.Empty;

    /// <summary>How often it is read.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>I2C or SPI bus number.</summary>
    public int Bus { get; set; } = 1;

    /// <summary>I2C address (decimal), or SPI chip select.</summary>
    public int Address { get; set; }

    /// <summary>ADC channel (Ads1115: 0 to 3).</summary>
    public int Channel { get; set; }

    /// <summary>GPIO pins (BCM numbering) the chip uses, by role: e.g. <c>Data</c>, <c>Clock</c>, <c>Pulse</c>, <c>Reset</c>.</summary>
    public Dictionary<string, int> Pins { get; set; } = [];

    /// <summary>Chip-specific calibration: e.g. <c>DryVolts</c>, <c>WetVolts</c>, <c>PulsesPerLitre</c>, <c>CountsPerKilogram</c>.</summary>
    public Dictionary<string, double> Calibration { get; set; } = [];

    /// <summary>Serial port of a weighing indicator, e.g. <c>/dev/ttyUSB0</c>.</summary>
    public string? SerialPort { get; set; }

    /// <summary>Serial baud rate.</summary>
    public int BaudRate { get; set; } = 9600;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!LocalId.IsValid(Id, "sensor id", out var error))
        {
            yield return new ValidationResult(error, [nameof(Id)]);
        }

        if (!LocalId.IsValid(Zone, $"sensor {Id} zone", out var zoneError))
        {
            yield return new ValidationResult(zoneError, [nameof(Zone)]);
        }

        if (Interval < TimeSpan.FromMilliseconds(10) || Interval > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult($"sensor {Id}: interval must be 10 ms to 1 day, got {Interval}", [nameof(Interval)]);
        }
    }
}
