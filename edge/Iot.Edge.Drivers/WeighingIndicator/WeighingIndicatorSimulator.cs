using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Iot.Edge.Drivers.WeighingIndicator;

/// <summary>The unit a <see cref="WeighingIndicatorSimulator"/> displays.</summary>
public enum SimulatedWeighingUnit
{
    /// <summary>kg.</summary>
    Kilogram,

    /// <summary>g.</summary>
    Gram,

    /// <summary>lb, which the driver refuses.</summary>
    Pound,
}

/// <summary>
/// A weighing indicator in continuous output mode, as the read side of a serial port: it emits A&amp;D-format lines
/// (<c>ST,GS,+0012.48  kg</c> CR LF) at <see cref="FramesPerSecond"/>. Placing a load starts a settling curve (a damped
/// oscillation from the previous reading to the new one) sent as unstable frames; once settled and unchanged for
/// <see cref="StableFrames"/> frames the indicator reports stable. Faults: silence, garbage, partial and overlong lines,
/// overload, end of stream.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Every chip's simulator is named <Chip>Simulator; this one happens to be a Stream.")]
public sealed class WeighingIndicatorSimulator : Stream
{
    const double PoundsPerKilogram = 2.20462262185;

    readonly object _gate = new();
    readonly TimeProvider _time;
    readonly ITimer _timer;
    readonly Queue<byte> _pending = new();
    readonly List<string> _linesSent = [];
    readonly List<double> _recentDisplay = [];
    TaskCompletionSource _dataAvailable = new(TaskCreationOptions.RunContinuationsAsynchronously);
    double _load;
    double _from;
    long _changedAt;
    double _lastGross;
    long _bytesSent;
    bool _ended;

    /// <summary>An indicator with an empty platform, sending <paramref name="framesPerSecond"/> frames a second.</summary>
    public WeighingIndicatorSimulator(TimeProvider? timeProvider = null, double framesPerSecond = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(framesPerSecond, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(framesPerSecond, 1000);
        _time = timeProvider ?? TimeProvider.System;
        FramesPerSecond = framesPerSecond;
        _changedAt = _time.GetTimestamp();
        TimeSpan period = TimeSpan.FromSeconds(1 / framesPerSecond);
        _timer = _time.CreateTimer(static state => ((WeighingIndicatorSimulator)state!).Tick(), this, period, period);
    }

    /// <summary>Frames sent per second.</summary>
    public double FramesPerSecond { get; }

    /// <summary>Scale interval (display step) in kg.</summary>
    public double DivisionKilograms { get; set; } = 0.02;

    /// <summary>Decimals shown (for kg; grams show <c>Decimals - 3</c>, at least 0).</summary>
    public int Decimals { get; set; } = 2;

    /// <summary>Capacity (Max) in kg; above Max + 9 divisions the indicator shows overload.</summary>
    public double CapacityKilograms { get; set; } = 60;

    /// <summary>Time the reading takes to settle after the load changes.</summary>
    public TimeSpan SettlingTime { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Frames with the same reading needed (after settling) before the indicator reports stable.</summary>
    public int StableFrames { get; set; } = 3;

    /// <summary>Tare in kg set on the indicator: frames are net (<c>NT</c>) when set, gross (<c>GS</c>) otherwise.</summary>
    public double? TareKilograms { get; set; }

    /// <summary>Unit the indicator displays.</summary>
    public SimulatedWeighingUnit Unit { get; set; } = SimulatedWeighingUnit.Kilogram;

    /// <summary>Fault: the indicator stops sending (unplugged, switched off, taken out of stream mode).</summary>
    public bool Silent { get; set; }

    /// <summary>At most this many bytes per read (0 = all pending), to exercise framing across reads.</summary>
    public int ReadChunkSize { get; set; }

    /// <summary>The load on the platform, in kg. Setting it starts the settling curve from the current reading.</summary>
    public double LoadKilograms
    {
        get
        {
            lock (_gate)
            {
                return _load;
            }
        }

        set
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "a load is a finite mass");
            }

            lock (_gate)
            {
                _from = _lastGross;
                _load = value;
                _changedAt = _time.GetTimestamp();
                _recentDisplay.Clear();
            }
        }
    }

    /// <summary>Lines sent (without terminators), garbage included.</summary>
    public IReadOnlyList<string> LinesSent
    {
        get
        {
            lock (_gate)
            {
                return _linesSent.ToArray();
            }
        }
    }

    /// <summary>Bytes sent so far.</summary>
    public long BytesSent
    {
        get
        {
            lock (_gate)
            {
                return _bytesSent;
            }
        }
    }

    /// <summary>Sends raw bytes as they are (noise on the line).</summary>
    public void InjectBytes(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            Send(bytes, Encoding.Latin1.GetString(bytes));
        }
    }

    /// <summary>Sends a text line with CR LF.</summary>
    public void InjectLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        InjectBytes(Encoding.ASCII.GetBytes(line + "\r\n"));
    }

    /// <summary>Sends the first <paramref name="characters"/> of a frame without terminator, as when a port opens mid-frame.</summary>
    public void InjectPartialLine(int characters = 9)
    {
        string frame = WeighingFrame.Format(WeighingStatus.Stable, WeightKind.Gross, 12.48, 2, "kg");
        InjectBytes(Encoding.ASCII.GetBytes(frame[..Math.Clamp(characters, 0, frame.Length)]));
    }

    /// <summary>Sends the end of the serial stream: reads return 0 from now on.</summary>
    public void EndStream()
    {
        lock (_gate)
        {
            _ended = true;
            Signal();
        }
    }

    /// <summary>The reading the indicator displays now, in kg, before quantization.</summary>
    double GrossAt(TimeSpan sinceChange)
    {
        double settling = SettlingTime.TotalSeconds;
        if (settling <= 0 || sinceChange.TotalSeconds >= settling)
        {
            return _load;
        }

        // A damped oscillation towards the load: time constant settling / 8, period settling / 3.
        double t = sinceChange.TotalSeconds;
        double envelope = Math.Exp(-8 * t / settling);
        return _load + ((_from - _load) * envelope * Math.Cos(2 * Math.PI * t / (settling / 3)));
    }

    void Tick()
    {
        lock (_gate)
        {
            if (_ended || Silent)
            {
                return;
            }

            TimeSpan sinceChange = _time.GetElapsedTime(_changedAt);
            double gross = GrossAt(sinceChange);
            _lastGross = gross;
            double division = DivisionKilograms > 0 ? DivisionKilograms : 0.01;
            double displayed = Math.Round(gross / division, MidpointRounding.AwayFromZero) * division;

            _recentDisplay.Add(displayed);
            if (_recentDisplay.Count > Math.Max(1, StableFrames))
            {
                _recentDisplay.RemoveAt(0);
            }

            bool settled = sinceChange >= SettlingTime;
            bool motionless = _recentDisplay.Count >= Math.Max(1, StableFrames) && _recentDisplay.All(v => v == displayed);
            bool overload = gross > CapacityKilograms + (9 * division) || gross < -CapacityKilograms;
            WeighingStatus status = overload ? WeighingStatus.Overload
                : settled && motionless ? WeighingStatus.Stable
                : WeighingStatus.Unstable;

            WeightKind kind = TareKilograms is null ? WeightKind.Gross : WeightKind.Net;
            double value = displayed - (TareKilograms ?? 0);
            (double shown, int decimals, string unit) = Unit switch
            {
                SimulatedWeighingUnit.Gram => (value * 1000, Math.Max(0, Decimals - 3), "g"),
                SimulatedWeighingUnit.Pound => (value * PoundsPerKilogram, Decimals, "lb"),
                _ => (value, Decimals, "kg"),
            };
            string line = WeighingFrame.Format(status, kind, shown, decimals, unit);
            Send(Encoding.ASCII.GetBytes(line + "\r\n"), line);
        }
    }

    void Send(ReadOnlySpan<byte> bytes, string logged)
    {
        SimulationLog.Append(_linesSent, logged.TrimEnd('\r', '\n'));
        foreach (byte b in bytes)
        {
            _pending.Enqueue(b);
        }

        _bytesSent += bytes.Length;
        Signal();
    }

    void Signal()
    {
        TaskCompletionSource signal = _dataAvailable;
        _dataAvailable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        signal.TrySetResult();
    }

    /// <summary>
    /// Takes pending bytes into <paramref name="destination"/> (<paramref name="count"/> of them; 0 once the stream has
    /// ended), or, with nothing pending yet, returns false and the task that completes when more arrive.
    /// </summary>
    bool TryTakePending(Span<byte> destination, out int count, [NotNullWhen(false)] out Task? wait)
    {
        lock (_gate)
        {
            wait = null;
            count = 0;
            if (_pending.Count > 0)
            {
                count = TakePending(destination);
                return true;
            }

            if (_ended)
            {
                return true;
            }

            wait = _dataAvailable.Task;
            return false;
        }
    }

    int TakePending(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _pending.Count);
        if (ReadChunkSize > 0)
        {
            count = Math.Min(count, ReadChunkSize);
        }

        for (int i = 0; i < count; i++)
        {
            destination[i] = _pending.Dequeue();
        }

        return count;
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        int count;
        while (!TryTakePending(buffer.Span, out count, out Task? wait))
        {
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        int count;
        while (!TryTakePending(buffer, out count, out Task? wait))
        {
            wait.Wait();
        }

        return count;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer.Dispose();
            EndStream();
        }

        base.Dispose(disposing);
    }
}
