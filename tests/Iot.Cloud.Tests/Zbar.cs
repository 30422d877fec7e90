using System.Diagnostics;

namespace Iot.Cloud.Tests;

/// <summary>Debian's <c>zbarimg</c> (zbar-tools): an independent decoder for the QR codes we print.</summary>
internal static class Zbar
{
    /// <summary>The text of the one code in <paramref name="image"/> (PNG, PGM, ...); fails the test when there is none.</summary>
    public static async Task<string> DecodeAsync(string image)
    {
        using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", image]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = await zbar.StandardOutput.ReadToEndAsync();
        await zbar.WaitForExitAsync();
        Assert.True(zbar.ExitCode == 0, $"zbarimg exit {zbar.ExitCode} on {image}: {await zbar.StandardError.ReadToEndAsync()}");
        return output.Trim();
    }
}
