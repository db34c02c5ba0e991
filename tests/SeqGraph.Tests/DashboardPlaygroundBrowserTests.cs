using Microsoft.Playwright;
using SeqGraph.Web;
using Xunit.Abstractions;
using static SeqGraph.Tests.DashboardPlaygroundFixture;

namespace SeqGraph.Tests;

/// <summary>
/// The text playground in a real headless chromium over the real server: a checkpoint picked, a
/// prompt typed and the sliders set, the continuation grows in #pg-output as the events arrive and
/// ends as the seeded <c>text sample</c>; a bad setting shows the command line's line.
/// </summary>
public sealed class DashboardPlaygroundBrowserTests(BrowserFixture browser, DashboardPlaygroundFixture fx, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IClassFixture<DashboardPlaygroundFixture>
{
    [SkippableFact]
    public async Task ThePlaygroundStreamsTheSeededContinuationOfAPrompt()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = fx.Runs, SampleMaxLength = MaxLength });
        var problems = new List<string>();
        var page = await browser.NewPageAsync(problems);
        await page.GotoAsync(server.Address.ToString());
        await page.Locator("#tabs button[data-tab='playground']").ClickAsync();
        await Assertions.Expect(page.Locator("#tab-playground")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#tab-runs")).ToBeHiddenAsync();

        // the text run's latest checkpoint, a prompt, temperature 0.75 and top-k 6 on the sliders
        var options = page.Locator("#pg-checkpoint option");
        await Assertions.Expect(options).ToHaveCountAsync(2);
        await page.SelectOptionAsync("#pg-checkpoint", new SelectOptionValue { Label = await options.Nth(0).TextContentAsync() });
        Assert.StartsWith("text · step 10", await options.Nth(0).TextContentAsync());
        await page.Locator("#pg-prompt").FillAsync("the king");
        await SetSlider(page, "#pg-temperature", "0.75");
        await SetSlider(page, "#pg-top-k", "6");
        await Assertions.Expect(page.Locator("#pg-temperature-value")).ToHaveTextAsync("0.75");
        await Assertions.Expect(page.Locator("#pg-top-k-value")).ToHaveTextAsync("6");
        // long enough to be seen growing on a fast machine (300,000 came in one piece on Zen 3 once the
        // sampler's AVX2 GEMV took four rows at a time)
        const int length = 1_000_000;
        await page.Locator("#pg-length").FillAsync(length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#pg-seed").FillAsync("9");

        // the continuation's length, read every 20 ms from the click until the status says it is done
        var watch = page.EvaluateAsync<int[]>(@"() => new Promise(resolve => {
            const seen = [];
            const timer = setInterval(() => {
              seen.push(document.getElementById('pg-continuation').textContent.length);
              if (document.getElementById('pg-stop').disabled && seen.length > 1) { clearInterval(timer); resolve(seen); }
            }, 20);
            document.getElementById('pg-sample').click();
          })");
        int[] seen = await watch;
        await Assertions.Expect(page.Locator("#pg-status")).ToContainTextAsync("1,000,000 characters in", new() { Timeout = 60_000 });
        var cli = CliSample("--checkpoint", fx.Run("text"), "--prompt", "the king", "--temperature", "0.75", "--top-k", "6",
            "--length", length.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "9");
        Assert.True(cli.Code == 0, cli.Err);
        Assert.Equal("the king", await page.Locator("#pg-prompt-text").TextContentAsync());
        Assert.Equal(cli.Text["the king".Length..], await page.Locator("#pg-continuation").TextContentAsync());
        var between = seen.Where(n => n > 0 && n < length).Distinct().ToList();
        output.WriteLine($"continuation lengths seen: {string.Join(", ", seen.Distinct().Take(40))}");
        Assert.True(between.Count >= 2, $"the output did not grow in steps: {string.Join(", ", seen.Distinct())}");
        Assert.Equal(between.Order(), between);
        Assert.Equal(length, seen[^1]);

        string shot = BrowserFixture.ReadmeScreenshotPath("dashboard-playground.png");
        await page.Locator("#pg-length").FillAsync("600");
        await page.Locator("#pg-sample").ClickAsync();
        await Assertions.Expect(page.Locator("#pg-status")).ToContainTextAsync("600 characters in");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        Assert.Empty(problems);

        // temperature 0 with a top-k: refused with the command line's line, shown by the field
        await SetSlider(page, "#pg-temperature", "0");
        await page.Locator("#pg-sample").ClickAsync();
        var refused = CliSample("--checkpoint", fx.Run("text"), "--prompt", "the king", "--temperature", "0", "--top-k", "6");
        await Assertions.Expect(page.Locator("#pg-error")).ToHaveTextAsync(refused.Err.Trim()["seqgraph: error: ".Length..]);
        await Assertions.Expect(page.Locator("#pg-top-k")).ToHaveClassAsync("invalid");
        Assert.All(problems, p => Assert.Contains("400", p));
        output.WriteLine($"screenshot {shot}");
    }

    private static Task SetSlider(IPage page, string selector, string value) =>
        page.Locator(selector).EvaluateAsync("(e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); }", value);
}
