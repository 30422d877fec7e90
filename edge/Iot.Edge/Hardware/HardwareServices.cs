using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using System.IO.Ports;
using Iot.Edge.Clock;
using Iot.Edge.Drivers.Ads1115;
using Iot.Edge.Drivers.Bme280;
using Iot.Edge.Drivers.Mfrc522;
using Iot.Edge.Drivers.PulseCounter;
using Iot.Edge.Drivers.Sht4x;
using Iot.Edge.Drivers.WeighingIndicator;
using Iot.Edge.Hosting;
using Iot.Edge.Outbox;
using Iot.Edge.PackingLine;
using Iot.Edge.Sampling;
using Iot.Edge.Simulation;
using Iot.Edge.Stamping;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Edge.Hardware;

/// <summary>
/// Turns the configured sensors into drivers on the board's buses, or, with <c>Hardware:Simulated=true</c>, on
/// register-level simulated chips fed by <see cref="FieldSignals"/>: the same driver code either way.
/// </summary>
public static class HardwareServices
{
    /// <summary>Sensors for the sampler, lines for the packing line service.</summary>
    public static IHostApplicationBuilder AddHardware(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new Workbench(
            GatewayHost.SiteFor(sp),
            sp.GetRequiredService<IOptions<HardwareOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IEnumerable<Sensor>>(sp => sp.GetRequiredService<Workbench>().Sensors);
        builder.Services.AddSingleton(sp =>
        {
            var bench = sp.GetRequiredService<Workbench>();
            var options = sp.GetRequiredService<IOptions<PackingLineOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<Line>();
            return new PackingLines(bench.Lines.Select(l => new Line(
                l.Id, l.Reader, l.Scale, l.BatchCards,
                sp.GetRequiredService<BatchStamps>(),
                sp.GetRequiredService<OutboxWriter>(),
                sp.GetRequiredService<GatewayClock>(),
                options,
                sp.GetRequiredService<TimeProvider>(),
                logger)));
        });
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PackingLines>());
        builder.Services.AddHostedService(sp => new PackingLineScript(sp.GetRequiredService<Workbench>().Scripts, sp.GetRequiredService<TimeProvider>()));
        return builder;
    }
}

/// <summary>A packing line's devices as built from configuration.</summary>
public sealed record LineDevicesSet(string Id, ITagReader Reader, IScale Scale, IReadOnlyDictionary<string, string> BatchCards);

/// <summary>Builds and owns every driver of the gateway.</summary>
public sealed class Workbench : IDisposable
{
    readonly List<IDisposable> _owned = [];
    readonly Dictionary<(int Bus, int Address), (Ads1115 Chip, SemaphoreSlim Lock, Ads1115Simulator? Simulator)> _adcs = [];
    readonly HardwareOptions _hardware;
    readonly TimeProvider _time;
    readonly DateTimeOffset _simulationStart;
    GpioController? _gpio;

    /// <summary>Builds drivers for every sensor of <paramref name="site"/>.</summary>
    public Workbench(SiteOptions site, HardwareOptions hardware, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(site);
        _hardware = hardware;
        _time = time;
        _simulationStart = time.GetUtcNow();
        var zoneIndex = site.Zones.Select((z, i) => (z.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var readers = new Dictionary<string, ITagReader>(StringComparer.Ordinal);
        var scales = new Dictionary<string, IScale>(StringComparer.Ordinal);
        var readerSimulators = new Dictionary<string, Mfrc522Simulator>(StringComparer.Ordinal);
        var scaleSimulators = new Dictionary<string, WeighingIndicatorSimulator>(StringComparer.Ordinal);

        foreach (var s in site.Sensors)
        {
            int seed = zoneIndex.GetValueOrDefault(s.Zone);
            switch (s.Chip)
            {
                case "Sht4x":
                    Sensors.Add(Own(new Sht4xSensor(s.Id, s.Zone, s.Interval, new Sht4x(I2c(s, () => new Sht4xSimulator(s.Address, time)
                    {
                        RecordsTransfers = false,
                        Temperature = Accelerate(t => FieldSignals.AirTemperature(t, zoneSeed: seed)),
                        RelativeHumidity = Accelerate(t => FieldSignals.RelativeHumidity(t, zoneSeed: seed)),
                    }), time))));
                    break;
                case "Bme280":
                    Sensors.Add(Own(new Bme280Sensor(s.Id, s.Zone, s.Interval, new Bme280(I2c(s, () => new Bme280Simulator(s.Address, time)
                    {
                        RecordsTransfers = false,
                        Temperature = Accelerate(t => FieldSignals.AirTemperature(t, zoneSeed: seed + 3)),
                        RelativeHumidity = Accelerate(t => FieldSignals.RelativeHumidity(t, zoneSeed: seed + 3)),
                        Pressure = Accelerate(FieldSignals.Pressure),
                    }), time))));
                    break;
                case "Ads1115":
                    Sensors.Add(SoilProbe(s, seed));
                    break;
                case "PulseCounter":
                    Sensors.Add(Own(FlowMeter(s)));
                    break;
                case "Mfrc522":
                    if (_hardware.Simulated)
                    {
                        var sim = new Mfrc522Simulator();
                        readerSimulators[s.Zone] = sim;
                        readers[s.Zone] = Own(new Mfrc522TagReader(new Mfrc522(sim, timeProvider: time)));
                    }
                    else
                    {
                        readers[s.Zone] = Own(new Mfrc522TagReader(new Mfrc522(SpiDevice.Create(new SpiConnectionSettings(s.Bus, s.Address)
                        {
                            ClockFrequency = 1_000_000,
                            Mode = SpiMode.Mode0,
                        }), timeProvider: time)));
                    }

                    break;
                case "WeighingIndicator":
                    Stream stream;
                    if (_hardware.Simulated)
                    {
                        // The line's operator tared the indicator with an empty crate (1.2 kg): it sends net weights.
                        var sim = new WeighingIndicatorSimulator(time) { TareKilograms = PackingLineScript.CrateKilograms };
                        scaleSimulators[s.Zone] = sim;
                        stream = sim;
                    }
                    else
                    {
                        var port = new SerialPort(s.SerialPort ?? throw new ArgumentException($"sensor {s.Id}: SerialPort is required for a weighing indicator"), s.BaudRate, Parity.None, 8, StopBits.One);
                        port.Open();
                        stream = port.BaseStream;
                    }

                    scales[s.Zone] = Own(new IndicatorScale(s.Id, new WeighingIndicator(stream, timeProvider: time)));
                    break;
                default:
                    throw new ArgumentException($"sensor {s.Id}: unknown chip '{s.Chip}'; known: Sht4x, Bme280, Ads1115, PulseCounter, Mfrc522, WeighingIndicator");
            }
        }

        foreach (var zone in site.Zones)
        {
            bool hasReader = readers.TryGetValue(zone.Id, out var reader);
            bool hasScale = scales.TryGetValue(zone.Id, out var scale);
            if (hasReader != hasScale)
            {
                throw new ArgumentException($"line {zone.Id}: a packing line needs a tag reader (Mfrc522) and a scale (WeighingIndicator); it has only {(hasReader ? "a reader" : "a scale")}");
            }

            if (hasReader)
            {
                Lines.Add(new LineDevicesSet(zone.Id, reader!, scale!, zone.BatchCards));
                if (readerSimulators.TryGetValue(zone.Id, out var readerSim) && scaleSimulators.TryGetValue(zone.Id, out var scaleSim))
                {
                    Scripts.Add(new PackingLineScript.Actors(zone.Id, readerSim, scaleSim, zone.BatchCards.Keys.FirstOrDefault()));
                }
            }
        }
    }

    /// <summary>Sensors for the sampler.</summary>
    public List<Sensor> Sensors { get; } = [];

    /// <summary>Packing lines.</summary>
    public List<LineDevicesSet> Lines { get; } = [];

    /// <summary>Simulated packing lines' actors: who places crates and cards.</summary>
    public List<PackingLineScript.Actors> Scripts { get; } = [];

    SoilMoistureSensor SoilProbe(SensorOptions s, int seed)
    {
        var key = (s.Bus, s.Address);
        if (!_adcs.TryGetValue(key, out var adc))
        {
            Ads1115Simulator? sim = _hardware.Simulated ? new Ads1115Simulator(s.Address, _time) { RecordsTransfers = false } : null;
            var chip = Own(new Ads1115(sim is not null ? sim : I2cDevice.Create(new I2cConnectionSettings(s.Bus, s.Address)), _time));
            adc = (chip, new SemaphoreSlim(1, 1), sim);
            _adcs[key] = adc;
        }

        var calibration = new SoilMoistureCalibration(
            s.Calibration.GetValueOrDefault("DryVolts", 2.8),
            s.Calibration.GetValueOrDefault("WetVolts", 1.2));
        if (adc.Simulator is { } simulator)
        {
            // The probe's voltage falls linearly from dry to wet across the calibrated span.
            Func<DateTimeOffset, double> volts = Accelerate(t =>
                calibration.DryVolts - ((calibration.DryVolts - calibration.WetVolts) * FieldSignals.SoilMoisture(t, zoneSeed: seed + s.Channel) / 100));
            switch (s.Channel)
            {
                case 0: simulator.Ain0 = volts; break;
                case 1: simulator.Ain1 = volts; break;
                case 2: simulator.Ain2 = volts; break;
                default: simulator.Ain3 = volts; break;
            }
        }

        var input = s.Channel switch
        {
            0 => Ads1115Input.Ain0,
            1 => Ads1115Input.Ain1,
            2 => Ads1115Input.Ain2,
            3 => Ads1115Input.Ain3,
            _ => throw new ArgumentException($"sensor {s.Id}: Ads1115 channel must be 0 to 3, got {s.Channel}"),
        };
        return new SoilMoistureSensor(s.Id, s.Zone, s.Interval, new SoilMoistureProbe(adc.Chip, input, calibration), adc.Lock);
    }

    FlowMeterSensor FlowMeter(SensorOptions s)
    {
        int pin = s.Pins.TryGetValue("Pulse", out int p) ? p : throw new ArgumentException($"sensor {s.Id}: Pins:Pulse is required for a pulse counter");
        double pulsesPerLitre = s.Calibration.GetValueOrDefault("PulsesPerLitre", PulseCounter.YfS201PulsesPerLitre);
        // A simulated meter has a GPIO of its own that pulses with the simulated irrigation flow.
        var controller = _hardware.Simulated
            ? new GpioController(new PulseCounterSimulator(pin, pulsesPerLitre, _time) { FlowLitresPerMinute = Accelerate(t => FieldSignals.IrrigationFlow(t)) })
            : _gpio ??= new GpioController();

        return new FlowMeterSensor(s.Id, s.Zone, s.Interval,
            new PulseCounter(controller, pin, pulsesPerLitre, timeProvider: _time, shouldDispose: _hardware.Simulated));
    }

    I2cDevice I2c(SensorOptions s, Func<I2cDevice> simulated) =>
        _hardware.Simulated ? simulated() : I2cDevice.Create(new I2cConnectionSettings(s.Bus, s.Address));

    /// <summary>Field signals at <see cref="HardwareOptions.SimulationSpeed"/> times real speed.</summary>
    Func<DateTimeOffset, double> Accelerate(Func<DateTimeOffset, double> signal)
    {
        double speed = _hardware.SimulationSpeed;
        var start = _simulationStart;
        return speed == 1 ? signal : t => signal(start + ((t - start) * speed));
    }

    T Own<T>(T item)
        where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }

        foreach (var adc in _adcs.Values)
        {
            adc.Lock.Dispose();
        }

        _gpio?.Dispose();
    }
}
