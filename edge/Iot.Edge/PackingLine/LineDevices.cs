using Iot.Contracts.Messages;

namespace Iot.Edge.PackingLine;

/// <summary>A tag reader on a packing line, as the line sees it: the tag in the field now, if any.</summary>
public interface ITagReader : IDisposable
{
    /// <summary>
    /// The tag in the reader's field now: its tag, or null when there is none; a failure (collision, CRC, bus) says why.
    /// </summary>
    (CrateTag? Tag, string? Error) Poll();
}

/// <summary>A scale on a packing line, as the line sees it.</summary>
public interface IScale : IDisposable
{
    /// <summary>The scale's id (a sensor id).</summary>
    string Id { get; }

    /// <summary>Waits for a settled net weight; a failure (timeout, overload, silent indicator) says why.</summary>
    Task<(Quantity? Net, string? Error)> WaitForStableNetAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Zeroes the scale with what is on it now; null on success, else why it failed.</summary>
    string? Tare();
}
