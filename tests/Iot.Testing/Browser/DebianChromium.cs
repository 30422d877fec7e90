using Microsoft.Playwright;

namespace Iot.Testing.Browser;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, package <c>chromium</c>, which <c>./iot</c> installs) driven by
/// Playwright, the one way the browser tests and <c>./iot bench web</c> start a browser: headless, no sandbox (CI runs
/// as root), no background networking (nothing but loopback). No browser is ever downloaded.
/// </summary>
public static class DebianChromium
{
    /// <summary>The browser; <c>IOT_CHROMIUM</c> names another build.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("IOT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Starts Playwright's driver and the browser; dispose both (the browser first).</summary>
    /// <exception cref="InvalidOperationException">There is no Chromium at <see cref="ExecutablePath"/>.</exception>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"no Chromium at {ExecutablePath}: install Debian's chromium package (./iot test does) or set IOT_CHROMIUM");
        }

        var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage", "--no-first-run", "--disable-gpu"],
            }).ConfigureAwait(false);
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
