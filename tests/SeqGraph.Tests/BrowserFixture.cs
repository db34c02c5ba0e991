using System.Diagnostics;
using Microsoft.Playwright;

namespace SeqGraph.Tests;

/// <summary>
/// One headless chromium per test class, driven through Playwright's bundled driver. It is always
/// Debian's chromium (the package path, or SEQGRAPH_CHROMIUM): Playwright never downloads a browser
/// here. Without chromium the tests that use this fixture fail and say how to install it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Where Debian's chromium package puts its launcher.</summary>
    public const string DebianChromium = "/usr/bin/chromium";

    static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    readonly string userDataDir = Path.Combine(Path.GetTempPath(), "seqgraph-chromium-" + Guid.NewGuid().ToString("N"));
    IPlaywright? playwright;
    IBrowserContext? context;

    /// <summary>How long starting the driver and chromium took.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>
    /// Set (to 1) by .ci/run: a missing chromium then fails the browser tests instead of skipping them,
    /// so CI always drives the real browser while a fresh machine with only the .NET SDK still passes
    /// `dotnet test` (the browser tests reported as skipped, with the line that says how to install it).
    /// </summary>
    public const string RequireVariable = "SEQGRAPH_REQUIRE_BROWSER";

    /// <summary>The chromium this fixture runs, found at run time.</summary>
    public static string ChromiumPath() =>
        Environment.GetEnvironmentVariable("SEQGRAPH_CHROMIUM") is { Length: > 0 } env ? env : DebianChromium;

    /// <summary>Why the browser tests cannot run here, or null when chromium is there.</summary>
    public static string? Missing() => File.Exists(ChromiumPath()) ? null
        : $"browser tests need chromium at {ChromiumPath()}; install it with `apt-get install chromium` " +
          "(.ci/run does this) or point SEQGRAPH_CHROMIUM at a chromium binary";

    /// <summary>True when chromium started; tests call <c>Skip.IfNot(browser.Available, …)</c> first.</summary>
    public bool Available => context is not null;

    /// <summary>Starts the driver and one chromium with a fresh profile.</summary>
    public async Task InitializeAsync()
    {
        if (Missing() is { } why)
        {
            if (Environment.GetEnvironmentVariable(RequireVariable) == "1") throw new InvalidOperationException(why);
            return;
        }
        string chromium = ChromiumPath();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(userDataDir);
        playwright = await Playwright.CreateAsync();
        context = await playwright.Chromium.LaunchPersistentContextAsync(userDataDir, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = Arguments,
            ViewportSize = new ViewportSize { Width = 1000, Height = 700 },
            Timeout = 60_000,
        });
        StartTime = clock.Elapsed;
    }

    /// <summary>
    /// A new tab whose script errors, console errors and failed or 4xx/5xx requests (the page names its
    /// own empty icon, so not even the favicon is asked for) are collected in <paramref name="problems"/>.
    /// </summary>
    public async Task<IPage> NewPageAsync(List<string>? problems = null)
    {
        var page = await (context ?? throw new InvalidOperationException("the browser is not started")).NewPageAsync();
        page.SetDefaultTimeout(15_000);
        if (problems is not null)
        {
            // A failed load is also logged to the console without its address; the Response handler names it.
            page.Console += (_, m) =>
            {
                if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                    lock (problems) problems.Add("console: " + m.Text);
            };
            page.Response += (_, r) =>
            {
                if (r.Status >= 400)
                    lock (problems) problems.Add($"HTTP {r.Status}: {r.Url}");
            };
            page.PageError += (_, e) => { lock (problems) problems.Add("page error: " + e); };
            page.RequestFailed += (_, r) =>
            {
                // A server-sent event stream the page closes itself (EventSource.close() after its last
                // event, as it must, or it reconnects) is aborted by the browser: that is no failure.
                if (r.ResourceType == "eventsource" && r.Failure == "net::ERR_ABORTED") return;
                lock (problems) problems.Add($"failed request: {r.Url} ({r.Failure})");
            };
        }
        return page;
    }

    /// <summary>Closes chromium and the driver, and removes the profile.</summary>
    public async Task DisposeAsync()
    {
        if (context is not null) await context.CloseAsync();
        playwright?.Dispose();
        try { Directory.Delete(userDataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Set to 1 to have the tests write the README's screenshots into docs/images (then commit them).</summary>
    public const string UpdateScreenshotsVariable = "SEQGRAPH_UPDATE_SCREENSHOTS";

    /// <summary>
    /// Where a screenshot the README shows is written: docs/images/<paramref name="name"/> when
    /// SEQGRAPH_UPDATE_SCREENSHOTS=1, else the test output like <see cref="ScreenshotPath"/>, so a plain
    /// test run never changes the repository.
    /// </summary>
    public static string ReadmeScreenshotPath(string name)
    {
        if (Environment.GetEnvironmentVariable(UpdateScreenshotsVariable) != "1") return ScreenshotPath(name);
        string dir = Path.Combine(SampleTests.RepoRoot(), "docs", "images");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    /// <summary>A folder in the test output for screenshots (not part of the repository).</summary>
    public static string ScreenshotPath(string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}
