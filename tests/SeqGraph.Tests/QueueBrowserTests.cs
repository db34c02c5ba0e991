using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SeqGraph.Cli;
using SeqGraph.Web;
using Xunit.Abstractions;

namespace SeqGraph.Tests;

/// <summary>
/// Tab "Start a run" in a real headless chromium over the real server with the CLI's launcher:
/// a short <c>rnn train</c> started from its form runs with rising progress in the queue, its curve
/// grows live in the run's detail, and it ends with the test accuracy its summary.json holds; a second one queued meanwhile is cancelled from
/// the page; a bad value shows the CLI's own error line next to its field.
/// </summary>
public sealed class QueueBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task ARunStartedFromTheFormRunsInTheQueueAndASecondOneIsCancelled()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        using var runs = new TempDir();
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Path, Launcher = new CliRunLauncher() });
        var problems = new List<string>();
        var page = await browser.NewPageAsync(problems);
        await page.GotoAsync(server.Address.ToString());
        await page.Locator("#tabs button[data-tab='start']").ClickAsync();
        await Assertions.Expect(page.Locator("#tab-start")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#experiment")).ToHaveValueAsync("rnn train");

        // the form holds the command line's defaults, and its help texts
        var hidden = page.Locator("#run-form [name='--hidden']");
        await Assertions.Expect(hidden).ToHaveValueAsync("128");
        await Assertions.Expect(page.Locator("#run-form [name='--model']")).ToHaveValueAsync("rnn");
        await Assertions.Expect(page.Locator("#run-fields .field[data-option='--hidden'] .help")).ToHaveTextAsync("Hidden units");

        // a bad value: the CLI's own line, next to its field; nothing is queued
        var (_, _, cliError) = CliTests.Run("rnn", "train", "--hidden", "abc", "--out", Path.Combine(runs.Path, "cli"));
        await hidden.FillAsync("abc");
        await page.Locator("#start-run").ClickAsync();
        await Assertions.Expect(page.Locator(".field-error[data-option='--hidden']")).ToHaveTextAsync(cliError.Trim()["seqgraph: error: ".Length..]);
        await Assertions.Expect(page.Locator("#queue tr.queued")).ToHaveCountAsync(0);
        string bad = BrowserFixture.ScreenshotPath("dashboard-start-error.png");
        await page.ScreenshotAsync(new() { Path = bad, FullPage = true });

        // a short run: tiny model on a length it does not learn in that time, long enough (~10 s) to
        // still be running when the page opens it below
        await hidden.FillAsync("8");
        await page.Locator("#run-form [name='--length']").FillAsync("12");
        await page.Locator("#run-form [name='--steps']").FillAsync("15000");
        await page.Locator("#run-form [name='--test-samples']").FillAsync("500");
        await page.Locator("#start-run").ClickAsync();
        await Assertions.Expect(page.Locator(".field-error[data-option='--hidden']")).ToBeEmptyAsync();
        var first = page.Locator("#queue tr.queued[data-id='1']");
        await Assertions.Expect(first.Locator("td.state")).ToHaveTextAsync("running");
        await Assertions.Expect(first.Locator("td.progress")).ToContainTextAsync("/15000");
        int before = await Done(first);
        await page.WaitForFunctionAsync("n => { const t = document.querySelector(\"#queue tr.queued[data-id='1'] .progress-text\").textContent; const m = t.match(/^step (\\d+)/); return m && +m[1] > n; }", before);
        Assert.True(await Done(first) > before);

        // a second one waits, and is cancelled from the page before it starts
        await page.Locator("#start-run").ClickAsync();
        var second = page.Locator("#queue tr.queued[data-id='2']");
        await Assertions.Expect(second.Locator("td.state")).ToHaveTextAsync("queued");
        string shot = BrowserFixture.ReadmeScreenshotPath("dashboard-queue.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        await second.Locator("button.cancel").ClickAsync();
        await Assertions.Expect(second.Locator("td.state")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(second.Locator("button.cancel")).ToBeHiddenAsync();

        // its folder link opens it in the run list while it trains: its curve grows without a reload
        string runId = await first.Locator("td.run a").InnerTextAsync();
        Assert.Equal("rnn-palindrome-rnn-T12-s0", runId);
        await first.Locator("td.run a").ClickAsync();
        await Assertions.Expect(page.Locator("#tab-runs")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#run-title")).ToContainTextAsync(runId + " · rnn train · running");
        var loss = page.Locator("#run-curves path.series[data-name='loss']");
        await Assertions.Expect(loss).ToHaveCountAsync(1);
        int points = int.Parse((await loss.GetAttributeAsync("data-points"))!, CultureInfo.InvariantCulture);
        await page.WaitForFunctionAsync("n => +document.querySelector(\"#run-curves path.series[data-name='loss']\").dataset.points > n", points,
            new() { Timeout = 60_000 });
        int grown = int.Parse((await loss.GetAttributeAsync("data-points"))!, CultureInfo.InvariantCulture);
        Assert.True(grown > points, $"the curve did not grow: {points} → {grown} points");
        string live = BrowserFixture.ReadmeScreenshotPath("dashboard-live.png");
        await page.ScreenshotAsync(new() { Path = live });

        // it ends with the test accuracy its summary holds: in the run's detail, the run list and the queue
        await Assertions.Expect(page.Locator("#run-title")).ToContainTextAsync(runId + " · rnn train · finished", new() { Timeout = 120_000 });
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(runs.Path, runId, "summary.json")))!;
        string accuracy = ((double)summary["test_accuracy"]!).ToString("F4", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#run-summary")).ToContainTextAsync("\"test_accuracy\": " + (double)summary["test_accuracy"]!);
        await Assertions.Expect(page.Locator($"#runs tr.run[data-id='{runId}'] td.figure")).ToHaveTextAsync("test accuracy " + accuracy);
        int rows = File.ReadAllLines(Path.Combine(runs.Path, runId, "metrics.csv")).Length - 1;
        await Assertions.Expect(loss).ToHaveAttributeAsync("data-points", rows.ToString(CultureInfo.InvariantCulture));
        await page.Locator("#tabs button[data-tab='start']").ClickAsync();
        await Assertions.Expect(first.Locator("td.state")).ToHaveTextAsync("finished");
        await Assertions.Expect(first.Locator("td.result")).ToContainTextAsync("test accuracy " + accuracy);
        Assert.Equal(8, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(runs.Path, runId, "config.json")))!["hidden"]!);
        Assert.Equal([runId], Directory.EnumerateDirectories(runs.Path).Select(Path.GetFileName));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("dashboard-queue-done.png"), FullPage = true });

        // the one refusal the page met is the bad value's 400
        Assert.Equal([$"HTTP 400: {server.Address}api/queue"], problems);
        output.WriteLine($"screenshots {shot}, {bad}, {live}; curve {points} → {grown} points while running");
    }

    private static async Task<int> Done(ILocator row)
    {
        string text = await row.Locator(".progress-text").InnerTextAsync();
        return int.Parse(text.Split(' ')[1].Split('/')[0], CultureInfo.InvariantCulture);
    }
}
