using System.Device.Gpio;

namespace Iot.Edge.Drivers.Gpio;

/// <summary>
/// A GPIO controller's lines simulated in software: the base of the GPIO group's simulators
/// (<c>Hx711Simulator</c>, <c>PulseCounterSimulator</c>). A driver talks to it through an ordinary
/// <see cref="GpioController"/> built with <c>new GpioController(simulator)</c>, exactly as to the Raspberry Pi's
/// <c>/dev/gpiochip0</c>.
/// </summary>
/// <remarks>
/// <para>
/// It keeps each open line's mode and level, records the driver's writes and reads and the edges the simulated device
/// raises (<see cref="Operations"/>, bounded by <see cref="OperationLogCapacity"/> so a long-running simulated gateway
/// does not grow without end), and calls the handlers registered with
/// <see cref="GpioController.RegisterCallbackForPinValueChangedEvent"/> when an input changes level.
/// </para>
/// <para>
/// A derived simulator answers the driver in <see cref="OnRead"/> and <see cref="OnWrite"/> (called under the
/// simulator's lock, so its state needs no lock of its own) and moves its output lines with <see cref="DriveInput"/>.
/// An input nobody drives reads high with a pull-up and low otherwise.
/// </para>
/// </remarks>
public class SimulatedGpioDriver : GpioDriver
{
    /// <summary>How many operations <see cref="Operations"/> keeps by default.</summary>
    public const int DefaultOperationLogCapacity = 4096;

    readonly Dictionary<int, PinMode> _modes = [];
    readonly Dictionary<int, PinValue> _outputs = [];
    readonly Dictionary<int, PinValue> _driven = [];
    readonly List<Subscription> _subscriptions = [];
    readonly Queue<SimulatedPinOperation> _log = new();
    readonly long _start;
    readonly int _pinCount;
    int _logCapacity = DefaultOperationLogCapacity;

    /// <summary>Creates a simulated GPIO chip.</summary>
    /// <param name="pinCount">Number of lines; the Raspberry Pi header carries BCM GPIO 0..27.</param>
    /// <param name="timeProvider">The clock the simulated device runs on; the system clock when null.</param>
    public SimulatedGpioDriver(int pinCount = 28, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pinCount);
        _pinCount = pinCount;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _start = TimeProvider.GetTimestamp();
    }

    /// <summary>
    /// Raised after each recorded operation, on the thread that caused it and outside the simulator's lock. Tests use it
    /// to stall the clock at a chosen moment (the preemption a Linux gateway may suffer in the middle of a bit).
    /// </summary>
    public event EventHandler<SimulatedPinOperation>? OperationRecorded;

    /// <summary>The clock the simulated device runs on.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>The lock every operation runs under; derived simulators take it for their own timer callbacks.</summary>
    protected Lock SyncRoot { get; } = new();

    /// <summary>Time since the simulator was created, by its clock: the <see cref="SimulatedPinOperation.At"/> scale.</summary>
    protected TimeSpan Elapsed => TimeProvider.GetElapsedTime(_start);

    /// <summary>How many operations <see cref="Operations"/> keeps (oldest dropped first); 0 keeps none.</summary>
    public int OperationLogCapacity
    {
        get
        {
            lock (SyncRoot)
            {
                return _logCapacity;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (SyncRoot)
            {
                _logCapacity = value;
                while (_log.Count > _logCapacity)
                {
                    _log.Dequeue();
                }
            }
        }
    }

    /// <summary>The recorded operations, oldest first, since creation or <see cref="ClearOperations"/>.</summary>
    public IReadOnlyList<SimulatedPinOperation> Operations
    {
        get
        {
            lock (SyncRoot)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>The driver's writes only, oldest first: what it drove onto the lines.</summary>
    public IReadOnlyList<SimulatedPinOperation> Writes
    {
        get
        {
            lock (SyncRoot)
            {
                return [.. _log.Where(o => o.Kind == SimulatedPinOperationKind.Write)];
            }
        }
    }

    /// <summary>Forgets the recorded operations (for example those of a driver's constructor).</summary>
    public void ClearOperations()
    {
        lock (SyncRoot)
        {
            _log.Clear();
        }
    }

    /// <summary>Whether a line is open.</summary>
    /// <param name="pinNumber">The line.</param>
    public bool IsOpen(int pinNumber)
    {
        lock (SyncRoot)
        {
            return _modes.ContainsKey(pinNumber);
        }
    }

    /// <summary>How many handlers are registered for a line's edges.</summary>
    /// <param name="pinNumber">The line.</param>
    public int SubscriberCount(int pinNumber)
    {
        lock (SyncRoot)
        {
            return _subscriptions.Count(s => s.Pin == pinNumber);
        }
    }

    /// <summary>
    /// Drives an input line from outside, as a wire or a sensor would; a change of level raises the matching edge to the
    /// registered handlers. Driving a line the driver configured as an output is refused.
    /// </summary>
    /// <param name="pinNumber">The line.</param>
    /// <param name="value">The level the outside world puts on it.</param>
    public void SetInputLevel(int pinNumber, PinValue value) => DriveInput(pinNumber, value);

    /// <inheritdoc/>
    protected override int PinCount => _pinCount;

    /// <inheritdoc/>
    protected override void OpenPin(int pinNumber)
    {
        CheckPinNumber(pinNumber);
        lock (SyncRoot)
        {
            if (!_modes.ContainsKey(pinNumber))
            {
                _modes[pinNumber] = PinMode.Input;
                OnOpen(pinNumber);
            }
        }
    }

    /// <inheritdoc/>
    protected override void ClosePin(int pinNumber)
    {
        lock (SyncRoot)
        {
            if (_modes.Remove(pinNumber))
            {
                _outputs.Remove(pinNumber);
                _subscriptions.RemoveAll(s => s.Pin == pinNumber);
                OnClose(pinNumber);
            }
        }
    }

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (SyncRoot)
        {
            EnsureOpen(pinNumber);
            _modes[pinNumber] = mode;
            if (mode == PinMode.Output && !_outputs.ContainsKey(pinNumber))
            {
                _outputs[pinNumber] = PinValue.Low;
            }
        }
    }

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        SetPinMode(pinNumber, mode);
        if (mode == PinMode.Output)
        {
            Write(pinNumber, initialValue);
        }
    }

    /// <inheritdoc/>
    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (SyncRoot)
        {
            EnsureOpen(pinNumber);
            return _modes[pinNumber];
        }
    }

    /// <inheritdoc/>
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    /// <inheritdoc/>
    protected override PinValue Read(int pinNumber)
    {
        SimulatedPinOperation operation;
        lock (SyncRoot)
        {
            EnsureOpen(pinNumber);
            PinValue value = _modes[pinNumber] == PinMode.Output ? _outputs[pinNumber] : OnRead(pinNumber);
            operation = Record(SimulatedPinOperationKind.Read, pinNumber, value);
        }

        OperationRecorded?.Invoke(this, operation);
        return operation.Value;
    }

    /// <inheritdoc/>
    protected override void Write(int pinNumber, PinValue value)
    {
        SimulatedPinOperation operation;
        lock (SyncRoot)
        {
            EnsureOpen(pinNumber);
            if (_modes[pinNumber] != PinMode.Output)
            {
                throw new InvalidOperationException($"GPIO {pinNumber} is not an output (mode {_modes[pinNumber]}); set it to output before writing");
            }

            _outputs[pinNumber] = value;
            operation = Record(SimulatedPinOperationKind.Write, pinNumber, value);
            OnWrite(pinNumber, value);
        }

        OperationRecorded?.Invoke(this, operation);
    }

    /// <inheritdoc/>
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        PinEventTypes seen = PinEventTypes.None;
        using var happened = new ManualResetEventSlim();
        void Handler(object sender, PinValueChangedEventArgs e)
        {
            seen = e.ChangeType;
            happened.Set();
        }

        AddCallbackForPinValueChangedEvent(pinNumber, eventTypes, Handler);
        try
        {
            happened.Wait(cancellationToken);
            return new WaitForEventResult { EventTypes = seen, TimedOut = false };
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
        finally
        {
            RemoveCallbackForPinValueChangedEvent(pinNumber, Handler);
        }
    }

    /// <inheritdoc/>
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (SyncRoot)
        {
            EnsureOpen(pinNumber);
            _subscriptions.Add(new Subscription(pinNumber, eventTypes, callback));
        }
    }

    /// <inheritdoc/>
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (SyncRoot)
        {
            _subscriptions.RemoveAll(s => s.Pin == pinNumber && s.Callback == callback);
        }
    }

    /// <summary>
    /// The level the simulated device puts on an input line the driver reads. The default is the level last driven with
    /// <see cref="DriveInput"/>, or the pull resistor's level. Called under <see cref="SyncRoot"/>.
    /// </summary>
    /// <param name="pinNumber">The line being read.</param>
    protected virtual PinValue OnRead(int pinNumber) =>
        _driven.TryGetValue(pinNumber, out PinValue level) ? level : PullLevel(pinNumber);

    /// <summary>The driver wrote an output line. Called under <see cref="SyncRoot"/>, after the level changed.</summary>
    /// <param name="pinNumber">The line.</param>
    /// <param name="value">The level written.</param>
    protected virtual void OnWrite(int pinNumber, PinValue value)
    {
    }

    /// <summary>The driver opened a line. Called under <see cref="SyncRoot"/>.</summary>
    /// <param name="pinNumber">The line.</param>
    protected virtual void OnOpen(int pinNumber)
    {
    }

    /// <summary>The driver closed a line. Called under <see cref="SyncRoot"/>.</summary>
    /// <param name="pinNumber">The line.</param>
    protected virtual void OnClose(int pinNumber)
    {
    }

    /// <summary>
    /// Puts a level on an input line, as the simulated device's output would; a change of level is recorded as an edge
    /// and raised to the handlers registered for it (on the calling thread, after the lock is released when the caller
    /// does not hold it). Driving a line the driver made an output is refused.
    /// </summary>
    /// <param name="pinNumber">The line.</param>
    /// <param name="value">The new level.</param>
    protected void DriveInput(int pinNumber, PinValue value)
    {
        CheckPinNumber(pinNumber);
        PinChangeEventHandler[] handlers;
        PinEventTypes edge;
        SimulatedPinOperation operation;
        lock (SyncRoot)
        {
            if (_modes.TryGetValue(pinNumber, out PinMode mode) && mode == PinMode.Output)
            {
                throw new InvalidOperationException($"GPIO {pinNumber} is an output; the simulated device cannot drive it");
            }

            PinValue before = _driven.TryGetValue(pinNumber, out PinValue level) ? level : PullLevel(pinNumber);
            _driven[pinNumber] = value;
            if (before == value || !_modes.ContainsKey(pinNumber))
            {
                return;
            }

            edge = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            operation = Record(SimulatedPinOperationKind.Edge, pinNumber, value);
            handlers = [.. _subscriptions.Where(s => s.Pin == pinNumber && (s.Types & edge) != 0).Select(s => s.Callback)];
        }

        OperationRecorded?.Invoke(this, operation);
        var args = new PinValueChangedEventArgs(edge, pinNumber);
        foreach (PinChangeEventHandler handler in handlers)
        {
            handler(this, args);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (SyncRoot)
            {
                foreach (int pin in _modes.Keys.ToArray())
                {
                    OnClose(pin);
                }

                _modes.Clear();
                _subscriptions.Clear();
            }
        }

        base.Dispose(disposing);
    }

    PinValue PullLevel(int pinNumber) =>
        _modes.TryGetValue(pinNumber, out PinMode mode) && mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;

    SimulatedPinOperation Record(SimulatedPinOperationKind kind, int pinNumber, PinValue value)
    {
        var operation = new SimulatedPinOperation(kind, pinNumber, value, Elapsed);
        if (_logCapacity > 0)
        {
            if (_log.Count >= _logCapacity)
            {
                _log.Dequeue();
            }

            _log.Enqueue(operation);
        }

        return operation;
    }

    void CheckPinNumber(int pinNumber)
    {
        if (pinNumber < 0 || pinNumber >= _pinCount)
        {
            throw new ArgumentOutOfRangeException(nameof(pinNumber), pinNumber, $"this simulated chip has lines 0..{_pinCount - 1}");
        }
    }

    void EnsureOpen(int pinNumber)
    {
        if (!_modes.ContainsKey(pinNumber))
        {
            throw new InvalidOperationException($"GPIO {pinNumber} is not open");
        }
    }

    sealed record Subscription(int Pin, PinEventTypes Types, PinChangeEventHandler Callback);
}

/// <summary>What happened on a simulated line.</summary>
public enum SimulatedPinOperationKind
{
    /// <summary>The driver wrote an output.</summary>
    Write,

    /// <summary>The driver read a line.</summary>
    Read,

    /// <summary>The simulated device changed an input's level (an edge the driver may be listening for).</summary>
    Edge,
}

/// <summary>One recorded operation on a simulated GPIO line.</summary>
/// <param name="Kind">Write, read or edge.</param>
/// <param name="Pin">The line.</param>
/// <param name="Value">The level written, read, or reached by the edge.</param>
/// <param name="At">When, since the simulator was created, by its clock.</param>
public readonly record struct SimulatedPinOperation(SimulatedPinOperationKind Kind, int Pin, PinValue Value, TimeSpan At)
{
    /// <summary>Short form for test failure messages, e.g. <c>W5=High</c>, <c>R6=Low</c>, <c>E17=Low</c>.</summary>
    public override string ToString() => $"{Kind.ToString()[0]}{Pin}={Value}";
}
