using Iot.Testing.Browser;
using Microsoft.Playwright;

namespace Iot.Cloud.Tests.Browser;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, package <c>chromium</c>, which <c>./iot test</c> installs), driven by
/// Playwright: headless, no sandbox (tests run as root in CI), no background networking (nothing but loopback). No
/// browser is downloaded. One browser per test class; each test takes its own context (cookies, language).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    IPlaywright? _playwright;

    /// <summary>The running browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Starts Playwright's driver and the browser.</summary>
    public async Task InitializeAsync()
    {
        (_playwright, Browser) = await DebianChromium.LaunchAsync();
    }

    /// <summary>A fresh context (no cookies) whose browser prefers <paramref name="locale"/>, with <paramref name="baseAddress"/> for relative URLs.</summary>
    /// <remarks><paramref name="scale"/> is device pixels per CSS pixel: 3 renders labels about as finely as a laser printer prints them.</remarks>
    public Task<IBrowserContext> NewContextAsync(Uri baseAddress, string locale = "zh-CN", float scale = 1) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            Locale = locale,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale },
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            DeviceScaleFactor = scale,
        });

    /// <summary>
    /// Saves a screenshot as a test artifact (<c>artifacts/screenshots/NAME.png</c> under the repository): the whole
    /// page, or only the viewport (an SVG document, which Chromium cannot measure as a page).
    /// </summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        ArgumentNullException.ThrowIfNull(page);
        string folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        return path;
    }

    /// <summary>Closes the browser and the driver.</summary>
    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Iot.sln")))
            {
                return dir.FullName;
            }
        }

        return Path.GetTempPath();
    }
}
