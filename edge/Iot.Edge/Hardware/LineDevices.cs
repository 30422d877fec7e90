using Iot.Contracts.Messages;
using Iot.Edge.Drivers.Hx711;
using Iot.Edge.Drivers.Mfrc522;
using Iot.Edge.PackingLine;

namespace Iot.Edge.Hardware;

/// <summary>An MFRC522 reading the HF UIDs of crate tags and batch cards.</summary>
public sealed class Mfrc522TagReader(Mfrc522 chip) : ITagReader
{
    /// <inheritdoc/>
    public (CrateTag? Tag, string? Error) Poll()
    {
        // WUPA rather than REQA: a card left in the field (halted after its first read) answers again, so the line
        // can tell "still there" from "gone".
        if (!chip.TryReadCard(out var result, CardRequest.All))
        {
            return (null, null);
        }

        return result.Ok ? (new CrateTag { Uid = result.Value.Value.Hex }, null) : (null, result.Error);
    }

    /// <inheritdoc/>
    public void Dispose() => chip.Dispose();
}

/// <summary>A serial weighing indicator as the line's scale (taring is done on the indicator itself).</summary>
public sealed class IndicatorScale(string id, Drivers.WeighingIndicator.WeighingIndicator indicator) : IScale
{
    /// <inheritdoc/>
    public string Id { get; } = id;

    /// <inheritdoc/>
    public async Task<(Quantity? Net, string? Error)> WaitForStableNetAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await indicator.WaitForStableNetAsync(timeout, cancellationToken).ConfigureAwait(false);
        return result.Ok ? (result.Value.Value, null) : (null, result.Error);
    }

    /// <inheritdoc/>
    public string? Tare() => "this scale is a weighing indicator: tare it with its own TARE key";

    /// <inheritdoc/>
    public void Dispose() => indicator.Dispose();
}

/// <summary>A load cell on an HX711 as the line's scale.</summary>
public sealed class LoadCellScale(string id, LoadCell cell) : IScale
{
    /// <inheritdoc/>
    public string Id { get; } = id;

    /// <inheritdoc/>
    public async Task<(Quantity? Net, string? Error)> WaitForStableNetAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await cell.ReadSettledAsync(timeout, cancellationToken).ConfigureAwait(false);
        return result.Ok ? (result.Value.Value.NetMass, null) : (null, result.Error);
    }

    /// <inheritdoc/>
    public string? Tare()
    {
        var result = cell.TareAsync().GetAwaiter().GetResult();
        return result.Ok ? null : result.Error;
    }

    /// <inheritdoc/>
    public void Dispose() => cell.Dispose();
}
