using Microsoft.Extensions.Hosting;

namespace Iot.Edge.PackingLine;

/// <summary>Every packing line of the gateway, run side by side; also where a <c>tare</c> command finds its scale.</summary>
public sealed class PackingLines(IEnumerable<Line> lines) : BackgroundService
{
    readonly IReadOnlyList<Line> _lines = lines.ToList();

    /// <summary>The lines.</summary>
    public IReadOnlyList<Line> Lines => _lines;

    /// <summary>Tares the scale <paramref name="scaleId"/>: null on success, else why not.</summary>
    public string? Tare(string scaleId)
    {
        var line = _lines.FirstOrDefault(l => l.Scale.Id == scaleId);
        return line is null
            ? $"no scale '{scaleId}' on this gateway; scales: {string.Join(", ", _lines.Select(l => l.Scale.Id))}"
            : line.Scale.Tare();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(_lines.Select(l => Task.Run(() => l.RunAsync(stoppingToken), stoppingToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
