using System.Globalization;
using Iot.Contracts.Messages;

namespace Iot.Edge.Drivers.WeighingIndicator;

/// <summary>
/// A weighing indicator (the packing line's scale) on a serial port in continuous ("stream") output mode, sending
/// A&amp;D-format lines such as <c>ST,NT,+0012.48  kg</c>. Pass <c>SerialPort.BaseStream</c> (usually 9600 baud, 8N1).
/// </summary>
/// <remarks>
/// A background loop reads the stream all the time, so the frames it keeps are the newest ones and the serial
/// buffer never backs up with old weights. Bad lines (partial, garbled, too long, refused unit) are counted and skipped.
/// </remarks>
public sealed class WeighingIndicator : IDisposable, IAsyncDisposable
{
    readonly Stream _stream;
    readonly bool _shouldDispose;
    readonly TimeProvider _time;
    readonly LineFramer _framer;
    readonly CancellationTokenSource _stop = new();
    readonly object _gate = new();
    readonly List<StableNetWaiter> _waiters = [];
    readonly Task _pump;
    WeighingFrame? _latest;
    long _latestAt;
    long _framesReceived;
    long _badLines;
    long _bytesReceived;
    string? _lastBadLine;
    string? _streamEnded;
    Quantity? _knownTare;
    bool _disposed;

    /// <summary>Starts reading <paramref name="stream"/> in the background.</summary>
    /// <param name="stream">The serial stream, e.g. <c>SerialPort.BaseStream</c>, or a <see cref="WeighingIndicatorSimulator"/>.</param>
    /// <param name="shouldDispose">Dispose <paramref name="stream"/> with the driver.</param>
    /// <param name="timeProvider">Clock for deadlines and frame ages; the system clock by default.</param>
    /// <param name="options">Line length bound and silence deadline; defaults when null.</param>
    public WeighingIndicator(Stream stream, bool shouldDispose = true, TimeProvider? timeProvider = null, WeighingIndicatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("the stream must be readable", nameof(stream));
        }

        options ??= new WeighingIndicatorOptions();
        options.Validate();
        _stream = stream;
        _shouldDispose = shouldDispose;
        _time = timeProvider ?? TimeProvider.System;
        SilenceTimeout = options.SilenceTimeout;
        _framer = new LineFramer(options.MaxLineLength);
        _pump = Task.Run(() => PumpAsync(_stop.Token));
    }

    /// <summary>No valid frame for this long means the indicator is silent (unplugged, off, or not in stream mode).</summary>
    public TimeSpan SilenceTimeout { get; }

    /// <summary>
    /// A tare to subtract when the indicator sends gross weights (<c>GS</c>), e.g. the empty crate's weight; null for none.
    /// Net frames (<c>NT</c>, the indicator tared itself) are taken as they are. Must be in kg or g and not negative.
    /// </summary>
    public Quantity? KnownTare
    {
        get
        {
            lock (_gate)
            {
                return _knownTare;
            }
        }

        set
        {
            if (value is { } tare && (tare.Unit is not (Unit.Kilogram or Unit.Gram) || !double.IsFinite(tare.Value) || tare.Value < 0))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "a tare is a finite, non-negative weight in kg or g");
            }

            lock (_gate)
            {
                _knownTare = value;
            }
        }
    }

    /// <summary>Valid frames received.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    /// <summary>Lines rejected: partial, garbled, too long, unknown headers, refused units.</summary>
    public long BadLines => Interlocked.Read(ref _badLines);

    /// <summary>Bytes read from the stream and fully processed.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Why the last bad line was rejected; null if none was.</summary>
    public string? LastBadLine
    {
        get
        {
            lock (_gate)
            {
                return _lastBadLine;
            }
        }
    }

    /// <summary>
    /// The newest valid frame, or a failure: "no frame received yet", "indicator silent" when it is older than
    /// <see cref="SilenceTimeout"/>, or the stream's end. Never a stale frame.
    /// </summary>
    public DriverResult<WeighingFrame> ReadLatestFrame()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_gate)
        {
            if (_streamEnded is not null)
            {
                return DriverResult<WeighingFrame>.Failure(_streamEnded);
            }

            if (_latest is not { } latest)
            {
                return DriverResult<WeighingFrame>.Failure(_badLines > 0
                    ? Invariant($"no valid frame yet: {_badLines} bad lines, last: {_lastBadLine}")
                    : "no frame received yet");
            }

            TimeSpan age = _time.GetElapsedTime(_latestAt);
            if (age > SilenceTimeout)
            {
                return DriverResult<WeighingFrame>.Failure(Invariant($"indicator silent: last frame {age.TotalMilliseconds:0} ms ago"));
            }

            return DriverResult<WeighingFrame>.Success(latest);
        }
    }

    /// <summary>
    /// Waits for the first stable net weight in a frame received after the call: a stable <c>NT</c> frame, or a stable
    /// <c>GS</c> frame minus <see cref="KnownTare"/> when one is set. The weight is in the indicator's unit (kg or g).
    /// </summary>
    /// <returns>
    /// The weight, or a failure: overload, a refused unit (lb), "indicator silent" when no valid frame comes for
    /// <see cref="SilenceTimeout"/>, the stream's end, or no stable net weight within <paramref name="timeout"/>.
    /// </returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DriverResult<Quantity>> WaitForStableNetAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();

        var waiter = new StableNetWaiter(this, timeout);

        // The silence clock counts from the newest valid frame, or from now if there is none.
        TimeSpan firstSilence = SilenceTimeout;
        lock (_gate)
        {
            if (_latest is not null)
            {
                firstSilence = SilenceTimeout - _time.GetElapsedTime(_latestAt);
            }
        }

        using ITimer deadline = _time.CreateTimer(static state => ((StableNetWaiter)state!).TimedOut(), waiter, timeout, Timeout.InfiniteTimeSpan);
        using ITimer silence = _time.CreateTimer(static state => ((StableNetWaiter)state!).Silent(), waiter, firstSilence > TimeSpan.Zero ? firstSilence : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        waiter.SilenceTimer = silence;
        using CancellationTokenRegistration registration = cancellationToken.Register(static (state, token) => ((StableNetWaiter)state!).Cancel(token), waiter);
        lock (_gate)
        {
            if (_streamEnded is not null)
            {
                waiter.Complete(DriverResult<Quantity>.Failure(_streamEnded));
            }
            else
            {
                _waiters.Add(waiter);
            }
        }

        try
        {
            return await waiter.Completion.ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    async Task PumpAsync(CancellationToken stop)
    {
        byte[] buffer = new byte[256];
        string ended;
        try
        {
            while (true)
            {
                int read = await _stream.ReadAsync(buffer, stop).ConfigureAwait(false);
                if (read == 0)
                {
                    ended = "serial stream closed";
                    break;
                }

                _framer.Feed(buffer.AsSpan(0, read), OnLine, OnBadLine);
                Interlocked.Add(ref _bytesReceived, read);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            ended = "indicator driver disposed";
        }
        catch (ObjectDisposedException)
        {
            ended = "serial stream closed";
        }
        catch (IOException e)
        {
            ended = "serial read failed: " + e.Message;
        }
        catch (NotSupportedException e)
        {
            ended = "serial stream cannot be read: " + e.Message;
        }

        StableNetWaiter[] waiters;
        lock (_gate)
        {
            _streamEnded = ended;
            waiters = [.. _waiters];
        }

        foreach (StableNetWaiter waiter in waiters)
        {
            waiter.Complete(DriverResult<Quantity>.Failure(ended));
        }
    }

    void OnLine(string line)
    {
        if (!WeighingFrame.TryParse(line, out WeighingFrame frame, out string? error, out bool unsupportedUnit))
        {
            OnBadLine(error);
            if (unsupportedUnit)
            {
                // A well-formed frame in a unit we refuse: waiting longer will not change the unit.
                foreach (StableNetWaiter waiter in Waiters())
                {
                    waiter.Complete(DriverResult<Quantity>.Failure(error));
                }
            }

            return;
        }

        Quantity? tare;
        lock (_gate)
        {
            _latest = frame;
            _latestAt = _time.GetTimestamp();
            _framesReceived++;
            tare = _knownTare;
        }

        foreach (StableNetWaiter waiter in Waiters())
        {
            waiter.Offer(frame, tare);
        }
    }

    void OnBadLine(string reason)
    {
        lock (_gate)
        {
            _badLines++;
            _lastBadLine = reason;
        }
    }

    StableNetWaiter[] Waiters()
    {
        lock (_gate)
        {
            return [.. _waiters];
        }
    }

    /// <summary>Gross minus tare in the gross weight's unit, rounded to 6 decimals to drop binary noise (12.48 - 0.35 = 12.13).</summary>
    internal static Quantity Subtract(Quantity gross, Quantity tare)
    {
        double tareValue = (gross.Unit, tare.Unit) switch
        {
            (Unit.Kilogram, Unit.Gram) => tare.Value / 1000,
            (Unit.Gram, Unit.Kilogram) => tare.Value * 1000,
            _ => tare.Value,
        };
        return gross with { Value = Math.Round(gross.Value - tareValue, 6) };
    }

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        if (_shouldDispose)
        {
            _stream.Dispose();
        }

        // The loop ends on cancellation, or when the disposed stream fails its read; do not wait on a stream we do not own.
        _pump.Wait(TimeSpan.FromSeconds(1));
        _stop.Dispose();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_shouldDispose)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        await _pump.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    /// <summary>One <see cref="WaitForStableNetAsync"/> call: offered every frame, completed once.</summary>
    sealed class StableNetWaiter(WeighingIndicator owner, TimeSpan timeout)
    {
        readonly TaskCompletionSource<DriverResult<Quantity>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly object _gate = new();
        string _lastSeen = "no valid frame";

        public Task<DriverResult<Quantity>> Completion => _completion.Task;

        public ITimer? SilenceTimer { get; set; }

        public void Offer(WeighingFrame frame, Quantity? tare)
        {
            if (_completion.Task.IsCompleted)
            {
                return; // completed; its timers may already be disposed
            }

            try
            {
                SilenceTimer?.Change(owner.SilenceTimeout, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                return; // the wait ended meanwhile
            }

            switch (frame)
            {
                case { Status: WeighingStatus.Overload }:
                    Complete(DriverResult<Quantity>.Failure("indicator overload: weight out of range"));
                    break;
                case { Status: WeighingStatus.Stable, Kind: WeightKind.Net, Weight: { } net }:
                    Complete(DriverResult<Quantity>.Success(net));
                    break;
                case { Status: WeighingStatus.Stable, Kind: WeightKind.Gross, Weight: { } gross } when tare is { } knownTare:
                    Complete(DriverResult<Quantity>.Success(Subtract(gross, knownTare)));
                    break;
                case { Status: WeighingStatus.Stable, Kind: WeightKind.Gross }:
                    Seen("stable gross weights only, and no tare is known");
                    break;
                case { Status: WeighingStatus.Unstable }:
                    Seen("last frame unstable");
                    break;
                default:
                    Seen("last frame a tare value");
                    break;
            }
        }

        void Seen(string what)
        {
            lock (_gate)
            {
                _lastSeen = what;
            }
        }

        public void TimedOut()
        {
            string seen;
            lock (_gate)
            {
                seen = _lastSeen;
            }

            Complete(DriverResult<Quantity>.Failure(Invariant($"no stable net weight within {timeout.TotalMilliseconds:0} ms ({seen})")));
        }

        public void Silent()
        {
            long bad = owner.BadLines;
            string? lastBad = owner.LastBadLine;
            string detail = lastBad is null ? string.Empty : Invariant($"; {bad} bad lines so far, last: {lastBad}");
            Complete(DriverResult<Quantity>.Failure(Invariant($"indicator silent: no valid frame for {owner.SilenceTimeout.TotalMilliseconds:0} ms{detail}")));
        }

        public void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);

        public void Complete(DriverResult<Quantity> result) => _completion.TrySetResult(result);
    }
}
