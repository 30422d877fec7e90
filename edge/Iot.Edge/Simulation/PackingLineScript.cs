using Iot.Edge.Drivers.Mfrc522;
using Iot.Edge.Drivers.WeighingIndicator;
using Microsoft.Extensions.Hosting;

namespace Iot.Edge.Simulation;

/// <summary>
/// The people on a simulated packing line: at start a worker shows the batch card, then crates arrive one after
/// another; each is tagged (its HF tag enters the reader's field) and put on the scale, which settles, then it is
/// taken away. Acts only on simulated chips, so the gateway's line code runs exactly as it would on real hardware.
/// </summary>
public sealed class PackingLineScript(IReadOnlyList<PackingLineScript.Actors> lines, TimeProvider time) : BackgroundService
{
    /// <summary>One simulated line: its reader and scale simulators and the batch card to show first.</summary>
    public sealed record Actors(string LineId, Mfrc522Simulator Reader, WeighingIndicatorSimulator Scale, string? BatchCardUid);

    /// <summary>An empty crate's mass, kg.</summary>
    public const double CrateKilograms = 1.2;

    /// <summary>Time between crates.</summary>
    public static TimeSpan CrateEvery { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>How long a crate stays on the scale.</summary>
    public static TimeSpan CrateStays { get; set; } = TimeSpan.FromSeconds(6);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(lines.Select((line, i) => RunAsync(line, new Random(1124 + i), stoppingToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    async Task RunAsync(Actors line, Random random, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(false);
        if (line.BatchCardUid is { } card)
        {
            var shown = line.Reader.PlaceCard(card);
            await Task.Delay(TimeSpan.FromSeconds(1.5), time, ct).ConfigureAwait(false);
            line.Reader.RemoveCard(shown);
        }

        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(CrateEvery - CrateStays, time, ct).ConfigureAwait(false);
            var crate = line.Reader.PlaceCard(NewCrateUid(random));
            line.Scale.LoadKilograms = CrateKilograms + Math.Round(9 + (random.NextDouble() * 5), 2);
            await Task.Delay(CrateStays, time, ct).ConfigureAwait(false);
            line.Reader.RemoveCard(crate);
            line.Scale.LoadKilograms = CrateKilograms; // the next empty crate waits on the scale
        }
    }

    /// <summary>A crate tag's UID: 7 bytes starting with an NXP manufacturer byte, like the NTAG labels crates carry.</summary>
    static string NewCrateUid(Random random)
    {
        Span<byte> uid = stackalloc byte[7];
        random.NextBytes(uid);
        uid[0] = 0x04;
        return Convert.ToHexString(uid);
    }
}
