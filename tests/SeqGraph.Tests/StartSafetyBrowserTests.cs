using Microsoft.Playwright;
using SeqGraph.Cli;
using SeqGraph.Web;
using Xunit.Abstractions;

namespace SeqGraph.Tests;

/// <summary>
/// The Start tab's refusals in a real headless chromium with the CLI's launcher: an <c>--out</c>
/// through a link in the runs folder is refused next to its field (which a screen reader is
/// pointed at) and nothing is written where the link leads; a dashboard listening beyond loopback
/// says that runs cannot be started from it and shows no form.
/// </summary>
public sealed class StartSafetyBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task AnOutFolderThroughALinkIsRefusedNextToItsField()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        using var runs = new TempDir();
        using var elsewhere = new TempDir();
        Directory.CreateSymbolicLink(Path.Combine(runs.Path, "escape"), elsewhere.Path);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Path, Launcher = new CliRunLauncher() });
        var problems = new List<string>();
        var page = await browser.NewPageAsync(problems);
        await page.GotoAsync(server.Address.ToString());
        await page.Locator("#tabs button[data-tab='start']").ClickAsync();
        var outInput = page.Locator("#run-form [name='--out']");
        await Assertions.Expect(page.Locator("#run-fields .field[data-option='--out'] .help")).ToContainTextAsync("a relative one is taken there");
        await outInput.FillAsync("escape/x");
        await page.Locator("#run-form [name='--steps']").FillAsync("2");
        await page.Locator("#start-run").ClickAsync();

        var error = page.Locator(".field-error[data-option='--out']");
        await Assertions.Expect(error).ToHaveTextAsync("--out: escape in the runs folder is a link or a file, not a folder; give a folder inside the runs folder, or leave --out empty for a fresh one");
        string errorId = (await error.GetAttributeAsync("id"))!;
        Assert.Contains(errorId, (await outInput.GetAttributeAsync("aria-describedby"))!.Split(' '));
        await Assertions.Expect(outInput).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(outInput).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#start-error")).ToHaveAttributeAsync("role", "alert");
        await Assertions.Expect(page.Locator("#queue tr.queued")).ToHaveCountAsync(0);
        string shot = BrowserFixture.ScreenshotPath("dashboard-start-link-refused.png");
        await page.Locator("#run-fields .field[data-option='--out']").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = shot });
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere.Path));
        Assert.Equal([$"HTTP 400: {server.Address}api/queue"], problems);

        // a folder inside the runs folder clears the refusal
        await outInput.FillAsync("mine");
        await page.Locator("#start-run").ClickAsync();
        await Assertions.Expect(error).ToBeEmptyAsync();
        await Assertions.Expect(outInput).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#queue tr.queued[data-id='1'] td.run a")).ToHaveTextAsync("mine");
        output.WriteLine($"screenshot {shot}");
    }

    [SkippableFact]
    public async Task BeyondLoopbackTheStartTabSaysRunsCannotBeStartedFromIt()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        using var runs = new TempDir();
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Path, Urls = "http://0.0.0.0:0", Launcher = new CliRunLauncher() });
        var problems = new List<string>();
        var page = await browser.NewPageAsync(problems);
        await page.GotoAsync($"http://127.0.0.1:{server.Address.Port}/");
        await page.Locator("#tabs button[data-tab='start']").ClickAsync();
        await Assertions.Expect(page.Locator("#start-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#start-note")).ToHaveTextAsync(QueueRequests.NetworkRefused);
        await Assertions.Expect(page.Locator("#start-box")).ToBeHiddenAsync();
        string shot = BrowserFixture.ScreenshotPath("dashboard-start-network-off.png");
        await page.ScreenshotAsync(new() { Path = shot });
        Assert.Empty(problems);
        output.WriteLine($"screenshot {shot}");
    }
}
