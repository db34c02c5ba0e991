using System.Globalization;
using Microsoft.Playwright;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>A run whose CSV is longer than one answer's page, charted whole by the page.</summary>
public sealed partial class DashboardLiveBrowserTests
{
    [SkippableFact]
    public async Task ARunLongerThanAPageIsChartedWholeInTheOverlayAndItsCurves()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        int total = 2 * RunMetrics.MaxRows + 123;
        DashboardLiveTests.CopyRun(runs.Run("rnn"), Run("long"));
        string csv = Path.Combine(Run("long"), "metrics.csv");
        string header = File.ReadLines(csv).First();
        int acc = Array.IndexOf(header.Split(','), "accuracy"), width = header.Split(',').Length;
        using (var writer = new StreamWriter(csv))
        {
            writer.Write(header + "\n");
            for (int i = 0; i < total; i++)
            {
                var cells = Enumerable.Repeat("0.5", width).ToArray();
                cells[0] = i.ToString(CultureInfo.InvariantCulture);
                cells[acc] = (1 - 0.5 * Math.Exp(-i / 8000.0)).ToString("F4", CultureInfo.InvariantCulture);
                writer.Write(string.Join(',', cells) + "\n");
            }
        }
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = dir.Path, Urls = "http://127.0.0.1:0" });
        var problems = new List<string>();
        var page = await browser.NewPageAsync(problems);
        await page.GotoAsync(server.Address.ToString());
        await Assertions.Expect(page.Locator("#runs tr.run[data-id='long']")).ToHaveCountAsync(1);

        await page.Locator("#runs tr.run[data-id='long'] input.pick").CheckAsync();
        await page.Locator("#compare").ClickAsync();
        var series = page.Locator("#compare-chart svg path.series");
        await Assertions.Expect(series).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#compare-column")).ToHaveValueAsync("accuracy");
        await Assertions.Expect(series.First).ToHaveAttributeAsync("data-points", total.ToString(CultureInfo.InvariantCulture),
            new() { Timeout = 15_000 });

        await page.Locator("#runs tr.run[data-id='long'] td:not(.pick)").First.ClickAsync();
        await Assertions.Expect(page.Locator("#run-curves-note")).ToContainTextAsync($"{total} rows", new() { Timeout = 15_000 });
        string shot = BrowserFixture.ScreenshotPath("dashboard-long-run.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        output.WriteLine("screenshot " + shot);
        Assert.Empty(problems);
    }
}
