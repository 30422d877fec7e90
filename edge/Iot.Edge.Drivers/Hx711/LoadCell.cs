using System.Globalization;
using Iot.Edge.Drivers.Gpio;
using Iot.Contracts.Messages;

namespace Iot.Edge.Drivers.Hx711;

/// <summary>
/// A scale: a strain-gauge load cell read through an <see cref="Hx711"/>, with tare, two-point calibration, net mass in
/// kilograms and a stability check, so a packing line records a crate's weight only once the platform has settled.
/// </summary>
/// <remarks>
/// The calibration lives in <see cref="Calibration"/>; persist it after <see cref="TareAsync"/> and
/// <see cref="CalibrateAsync"/> and hand it back at start. One operation at a time.
/// </remarks>
public sealed class LoadCell : IDisposable
{
    readonly Hx711 _adc;
    readonly TimeProvider _time;
    readonly bool _shouldDispose;
    readonly StabilityWindow _window;
    LoadCellCalibration _calibration;
    bool _disposed;

    /// <summary>Creates a scale over an HX711.</summary>
    /// <param name="adc">The HX711 the load cell is wired to (channel A).</param>
    /// <param name="calibration">The calibration to start with: a stored one, or
    /// <see cref="LoadCellCalibration.FromRating"/> until a test weight is at hand.</param>
    /// <param name="options">Tare, calibration and stability settings; defaults when null.</param>
    /// <param name="timeProvider">The clock <see cref="ReadSettledAsync"/> deadlines run on; the system clock when null.</param>
    /// <param name="shouldDispose">Whether <see cref="Dispose"/> disposes <paramref name="adc"/>.</param>
    public LoadCell(Hx711 adc, LoadCellCalibration calibration, LoadCellOptions? options = null, TimeProvider? timeProvider = null, bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(adc);
        CheckSpan(calibration, nameof(calibration));
        Options = options ?? new LoadCellOptions();
        Options.Validate();
        _adc = adc;
        _calibration = calibration;
        _time = timeProvider ?? TimeProvider.System;
        _shouldDispose = shouldDispose;
        _window = new StabilityWindow(Options.StabilityReadings, Options.StabilityToleranceKilograms);
    }

    /// <summary>The settings.</summary>
    public LoadCellOptions Options { get; }

    /// <summary>The calibration in use; set it to restore a stored one.</summary>
    public LoadCellCalibration Calibration
    {
        get => _calibration;
        set
        {
            CheckSpan(value, nameof(value));
            _calibration = value;
            _window.Clear();
        }
    }

    /// <summary>
    /// Reads once and reports the net mass of that reading and whether the last
    /// <see cref="LoadCellOptions.StabilityReadings"/> good readings agreed. A failed read empties the stability window.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The weighing, or the HX711's failure.</returns>
    public async Task<DriverResult<LoadCellMeasurement>> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DriverResult<Hx711Reading> reading = await _adc.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!reading.Ok)
        {
            _window.Clear();
            return DriverResult<LoadCellMeasurement>.Failure(reading.Error);
        }

        int counts = reading.Value.Value.Counts;
        double kilograms = _calibration.ToKilograms(counts);
        bool stable = _window.Add(kilograms);
        return DriverResult<LoadCellMeasurement>.Success(new LoadCellMeasurement(new Quantity(kilograms, Unit.Kilogram), stable, counts));
    }

    /// <summary>
    /// Reads until the weight has settled and reports the mean of the agreeing readings; fails when it has not settled
    /// by the deadline (a crate still moving, a hand on the platform) or every read failed.
    /// </summary>
    /// <param name="timeout">How long to keep reading.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A settled weighing (<see cref="LoadCellMeasurement.Stable"/> true), or why there is none.</returns>
    public async Task<DriverResult<LoadCellMeasurement>> ReadSettledAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        long start = _time.GetTimestamp();
        _window.Clear();
        string? lastError = null;
        while (true)
        {
            DriverResult<LoadCellMeasurement> reading = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reading.Ok && reading.Value.Value.Stable)
            {
                LoadCellMeasurement last = reading.Value.Value;
                return DriverResult<LoadCellMeasurement>.Success(last with { NetMass = new Quantity(_window.Mean, Unit.Kilogram) });
            }

            lastError = reading.Ok ? null : reading.Error;
            if (_time.GetElapsedTime(start) >= timeout)
            {
                return lastError is null
                    ? Fail($"weight did not settle within {timeout.TotalSeconds} s: the last {_window.Count} readings spread {_window.Spread:0.000} kg (tolerance {_window.Tolerance:0.000} kg)")
                    : Fail($"no settled weight within {timeout.TotalSeconds} s; last read failed: {lastError}");
            }

            if (lastError is not null)
            {
                // Some failures return at once (powered down, GPIO error): pause a conversion period before retrying.
                await GpioDelay.Wait(_time, _adc.ConversionPeriod, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Zeroes the scale: averages <see cref="LoadCellOptions.TareSamples"/> readings and makes that the zero, keeping
    /// the span. The scale must be empty (or carry only the container to tare off) and still.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The new calibration, now in use; or why the tare was refused (calibration unchanged).</returns>
    public async Task<DriverResult<LoadCellCalibration>> TareAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DriverResult<Average> average = await AverageAsync(Options.TareSamples, "tare", cancellationToken).ConfigureAwait(false);
        if (!average.Ok)
        {
            return DriverResult<LoadCellCalibration>.Failure(average.Error);
        }

        Average a = average.Value.Value;
        double spreadKilograms = Math.Abs((a.Max - a.Min) / _calibration.CountsPerKilogram);
        if (spreadKilograms > Options.StabilityToleranceKilograms)
        {
            return FailCalibration($"tare refused: the scale was not still ({Options.TareSamples} readings spread {spreadKilograms:0.000} kg, tolerance {Options.StabilityToleranceKilograms:0.000} kg)");
        }

        Calibration = _calibration with { ZeroCounts = a.Mean };
        return DriverResult<LoadCellCalibration>.Success(_calibration);
    }

    /// <summary>
    /// Sets the span with a known mass on the (already tared) scale: averages
    /// <see cref="LoadCellOptions.CalibrationSamples"/> readings and draws the line from the zero through that point.
    /// </summary>
    /// <param name="knownMassKilograms">The test weight on the scale.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The new calibration, now in use; or why it was refused (calibration unchanged).</returns>
    public async Task<DriverResult<LoadCellCalibration>> CalibrateAsync(double knownMassKilograms, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!double.IsFinite(knownMassKilograms) || knownMassKilograms <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(knownMassKilograms), knownMassKilograms, "the known mass must be positive");
        }

        DriverResult<Average> average = await AverageAsync(Options.CalibrationSamples, "calibration", cancellationToken).ConfigureAwait(false);
        if (!average.Ok)
        {
            return DriverResult<LoadCellCalibration>.Failure(average.Error);
        }

        Average a = average.Value.Value;
        double change = a.Mean - _calibration.ZeroCounts;
        if (Math.Abs(change) < Options.MinimumCalibrationCounts)
        {
            return FailCalibration($"calibration refused: {knownMassKilograms} kg moved the reading by only {change:0} counts (at least {Options.MinimumCalibrationCounts} expected); is the mass on the scale and the cell wired?");
        }

        LoadCellCalibration calibration = LoadCellCalibration.FromTwoPoints(_calibration.ZeroCounts, a.Mean, knownMassKilograms);
        double spreadKilograms = Math.Abs((a.Max - a.Min) / calibration.CountsPerKilogram);
        if (spreadKilograms > Options.StabilityToleranceKilograms)
        {
            return FailCalibration($"calibration refused: the scale was not still ({Options.CalibrationSamples} readings spread {spreadKilograms:0.000} kg, tolerance {Options.StabilityToleranceKilograms:0.000} kg)");
        }

        Calibration = calibration;
        return DriverResult<LoadCellCalibration>.Success(calibration);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_shouldDispose)
        {
            _adc.Dispose();
        }
    }

    static void CheckSpan(LoadCellCalibration calibration, string parameter)
    {
        if (calibration.CountsPerKilogram == 0 || !double.IsFinite(calibration.CountsPerKilogram) || !double.IsFinite(calibration.ZeroCounts))
        {
            throw new ArgumentOutOfRangeException(parameter, calibration, "counts per kilogram must be finite and non-zero, zero counts finite");
        }
    }

    static DriverResult<LoadCellMeasurement> Fail(FormattableString reason) =>
        DriverResult<LoadCellMeasurement>.Failure(reason.ToString(CultureInfo.InvariantCulture));

    static DriverResult<LoadCellCalibration> FailCalibration(FormattableString reason) =>
        DriverResult<LoadCellCalibration>.Failure(reason.ToString(CultureInfo.InvariantCulture));

    async Task<DriverResult<Average>> AverageAsync(int samples, string purpose, CancellationToken cancellationToken)
    {
        _window.Clear();
        double sum = 0;
        int min = int.MaxValue;
        int max = int.MinValue;
        for (int i = 1; i <= samples; i++)
        {
            DriverResult<Hx711Reading> reading = await _adc.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!reading.Ok)
            {
                return DriverResult<Average>.Failure(string.Create(CultureInfo.InvariantCulture, $"{purpose} refused: reading {i} of {samples} failed: {reading.Error}"));
            }

            int counts = reading.Value.Value.Counts;
            sum += counts;
            min = Math.Min(min, counts);
            max = Math.Max(max, counts);
        }

        return DriverResult<Average>.Success(new Average(sum / samples, min, max));
    }

    readonly record struct Average(double Mean, int Min, int Max);
}
