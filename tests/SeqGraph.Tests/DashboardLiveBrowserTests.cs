using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SeqGraph.Experiments;
using SeqGraph.IO;
using SeqGraph.Web;
using Xunit.Abstractions;

namespace SeqGraph.Tests;

/// <summary>
/// The run's curves, the overlay of picked runs, and the sweep and gradient charts in a real
/// headless chromium over the real server, on copies of the runs of <see cref="DashboardRunsFixture"/>:
/// a run without a summary that the test extends row by row as a trainer does, two rnn runs, a
/// sweep whose results hold two models over two lengths and three seeds, and a gradients run.
/// </summary>
public sealed partial class DashboardLiveBrowserTests : IClassFixture<BrowserFixture>, IClassFixture<DashboardRunsFixture>, IDisposable
{
    private readonly BrowserFixture browser;
    private readonly DashboardRunsFixture runs;
    private readonly ITestOutputHelper output;
    private readonly TempDir dir = new();

    // test accuracy of (model, length) over seeds 0, 1, 2: what the sweep chart's points and bands must show.
    private static readonly Dictionary<(string Model, int Length), double[]> Sweep = new()
    {
        [("rnn", 5)] = [0.9, 0.85, 0.95], [("rnn", 10)] = [0.6, 0.7, 0.55],
        [("lstm", 5)] = [1.0, 0.98, 0.99], [("lstm", 10)] = [0.9, 0.8, 0.97],
    };

    public DashboardLiveBrowserTests(BrowserFixture browser, DashboardRunsFixture runs, ITestOutputHelper output)
    {
        (this.browser, this.runs, this.output) = (browser, runs, output);
        DashboardLiveTests.CopyRun(runs.Run("rnn"), Run("live"), withSummary: false);
        DashboardLiveTests.CopyRun(runs.Run("rnn"), Run("rnn-a"));
        DashboardLiveTests.CopyRun(runs.Run("rnn"), Run("rnn-b"));
        // rnn-b learns more slowly: its accuracy column scaled, so the overlay's two lines differ.
        var lines = File.ReadAllLines(Path.Combine(Run("rnn-b"), "metrics.csv"));
        int acc = Array.IndexOf(lines[0].Split(','), "accuracy");
        File.WriteAllLines(Path.Combine(Run("rnn-b"), "metrics.csv"), lines.Select((l, i) =>
        {
            if (i == 0) return l;
            var cells = l.Split(',');
            cells[acc] = (double.Parse(cells[acc], CultureInfo.InvariantCulture) * 0.8).ToString("R", CultureInfo.InvariantCulture);
            return string.Join(',', cells);
        }));
        DashboardLiveTests.CopyRun(runs.Run("sweep"), Run("sweep"));
        // the real results.csv's header and first row, its trials replaced by those of Sweep
        var real = File.ReadAllLines(Path.Combine(Run("sweep"), "results.csv"));
        var header = real[0].Split(',');
        int trial = 0;
        File.WriteAllLines(Path.Combine(Run("sweep"), "results.csv"), [real[0], .. Sweep.SelectMany(kv => kv.Value.Select((a, seed) =>
        {
            var cells = real[1].Split(',');
            void Set(string column, string value) => cells[Array.IndexOf(header, column)] = value;
            Set("trial", (++trial).ToString(CultureInfo.InvariantCulture));
            Set("model", kv.Key.Model);
            Set("length", kv.Key.Length.ToString(CultureInfo.InvariantCulture));
            Set("seed", seed.ToString(CultureInfo.InvariantCulture));
            Set("test_accuracy", a.ToString("R", CultureInfo.InvariantCulture));
            return string.Join(',', cells);
        }))]);
        DashboardLiveTests.CopyRun(runs.Run("grad"), Run("grad"));
    }

    /// <summary>The mouse over the right end of the run's chart, where its last x is.</summary>
    private static async Task HoverRightEnd(IPage page)
    {
        var catcher = page.Locator("#run-curves rect.catcher");
        await catcher.ScrollIntoViewIfNeededAsync();
        var box = (await catcher.BoundingBoxAsync())!;
        await catcher.HoverAsync(new() { Position = new() { X = box.Width - 1, Y = box.Height / 2 } });
    }

    private string Run(string id) => Path.Combine(dir.Path, id);

    public void Dispose() => dir.Dispose();

    private async Task<(DashboardServer Server, IPage Page, List<string> Problems)> Open()
    {
        var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = dir.Path, Urls = "http://127.0.0.1:0" });
        var problems = new List<string>();
        var page = await browser.NewPageAsync(problems);
        await page.GotoAsync(server.Address.ToString());
        await Assertions.Expect(page.Locator("#runs tr.run")).ToHaveCountAsync(5);
        return (server, page, problems);
    }

    [SkippableFact]
    public async Task TheRunsCurvesGrowAsTheTrainerAppendsRowsAndTheTooltipShowsTheValues()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        var (server, page, problems) = await Open();
        await using var _ = server;
        string csv = Path.Combine(Run("live"), "metrics.csv");
        int rows = MetricsTable.Read(csv).RowCount;
        await page.Locator("#runs tr.run[data-id='live'] td.id").ClickAsync();
        var loss = page.Locator("#run-curves svg path.series[data-name='loss']");
        var accuracy = page.Locator("#run-curves svg path.series[data-name='accuracy']");
        await Assertions.Expect(loss).ToHaveAttributeAsync("data-points", rows.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(accuracy).ToHaveAttributeAsync("data-points", rows.ToString(CultureInfo.InvariantCulture));

        // Three rows written as the trainer writes them (one flushed line each): the lines grow without a reload.
        int step = (int)MetricsTable.Read(csv).Column("step").Max();
        for (int i = 1; i <= 3; i++)
            DashboardLiveTests.Append(csv, string.Create(CultureInfo.InvariantCulture, $"{step + 10 * i},{0.2 / i},0.9,0.5,{i}\n"));
        var fast = new LocatorAssertionsToHaveAttributeOptions { Timeout = 3000 };
        await Assertions.Expect(loss).ToHaveAttributeAsync("data-points", (rows + 3).ToString(CultureInfo.InvariantCulture), fast);
        await Assertions.Expect(accuracy).ToHaveAttributeAsync("data-points", (rows + 3).ToString(CultureInfo.InvariantCulture), fast);

        // The mouse at the right end of the chart: the last row's values.
        await HoverRightEnd(page);
        var tip = page.Locator("#run-curves .plot-tip");
        await Assertions.Expect(tip).ToBeVisibleAsync();
        await Assertions.Expect(tip).ToContainTextAsync("step " + (step + 30));
        await Assertions.Expect(tip).ToContainTextAsync("loss: 0.06667");
        await Assertions.Expect(tip).ToContainTextAsync("accuracy: 0.9");
        await Assertions.Expect(page.Locator("#run-curves .legend-item")).ToHaveTextAsync(["loss", "accuracy"]);
        string shot = BrowserFixture.ScreenshotPath("dashboard-live-curves.png");
        await page.Locator("#run-curves").ScreenshotAsync(new() { Path = shot });
        output.WriteLine("screenshot " + shot);

        // The summary appears: the page says so and the stream is closed.
        File.Copy(Path.Combine(runs.Run("rnn"), RunFolder.SummaryFileName), Path.Combine(Run("live"), RunFolder.SummaryFileName));
        await Assertions.Expect(page.Locator("#run-curves-note")).ToContainTextAsync("finished");
        Assert.Empty(problems);
    }

    [SkippableFact]
    public async Task ComparingTwoPickedRunsDrawsOneLinePerRunWithALegend()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        var (server, page, problems) = await Open();
        await using var _ = server;
        await Assertions.Expect(page.Locator("#compare")).ToBeDisabledAsync();
        await page.Locator("#runs tr.run[data-id='rnn-a'] input.pick").CheckAsync();
        await page.Locator("#runs tr.run[data-id='rnn-b'] input.pick").CheckAsync();
        await Assertions.Expect(page.Locator("#run-detail")).ToBeHiddenAsync();   // picking is not opening
        await page.Locator("#compare").ClickAsync();
        var series = page.Locator("#compare-chart svg path.series");
        await Assertions.Expect(series).ToHaveCountAsync(2);
        Assert.Equal(["rnn-a", "rnn-b"], (await series.EvaluateAllAsync<string[]>("s => s.map(p => p.dataset.name)")).Order());
        await Assertions.Expect(page.Locator("#compare-column")).ToHaveValueAsync("accuracy");
        int rows = MetricsTable.Read(Path.Combine(Run("rnn-a"), "metrics.csv")).RowCount;
        await Assertions.Expect(series.First).ToHaveAttributeAsync("data-points", rows.ToString(CultureInfo.InvariantCulture));
        Assert.NotEqual(await series.Nth(0).GetAttributeAsync("d"), await series.Nth(1).GetAttributeAsync("d"));
        Assert.NotEqual(await series.Nth(0).GetAttributeAsync("stroke"), await series.Nth(1).GetAttributeAsync("stroke"));
        Assert.Equal(["rnn-a", "rnn-b"], (await page.Locator("#compare-chart .legend-item").AllTextContentsAsync()).Order());
        string shot = BrowserFixture.ScreenshotPath("dashboard-compare.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        output.WriteLine("screenshot " + shot);

        // Another column of the same runs.
        await page.SelectOptionAsync("#compare-column", "loss");
        await Assertions.Expect(page.Locator("#compare-chart .plot-title")).ToHaveTextAsync("loss of 2 runs");
        await Assertions.Expect(series).ToHaveCountAsync(2);
        Assert.Empty(problems);
    }

    [SkippableFact]
    public async Task TheSweepChartHasAMeanLineAndStdBandPerModelAndGradientsAreOnALogAxis()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        var (server, page, problems) = await Open();
        await using var _ = server;
        await page.Locator("#runs tr.run[data-id='sweep'] td.id").ClickAsync();
        var bands = page.Locator("#run-curves svg path.band");
        await Assertions.Expect(bands).ToHaveCountAsync(2);
        Assert.Equal(["lstm", "rnn"], (await bands.EvaluateAllAsync<string[]>("s => s.map(p => p.dataset.name)")).Order());
        await Assertions.Expect(page.Locator("#run-curves svg path.series[data-name='lstm']")).ToHaveAttributeAsync("data-points", "2");

        // At T = 10 the tooltip gives each model's mean ± sample std (n − 1) over the three seeds.
        await HoverRightEnd(page);
        var tip = page.Locator("#run-curves .plot-tip");
        await Assertions.Expect(tip).ToContainTextAsync("sequence length T 10");
        string text = await tip.TextContentAsync() ?? "";
        foreach (string model in new[] { "rnn", "lstm" })
        {
            var (mean, std) = Statistics.MeanStd(Sweep[(model, 10)]);
            var m = Regex.Match(text, model + @": ([0-9.]+) ± ([0-9.]+)");
            Assert.True(m.Success, text);
            Assert.Equal(mean, double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 3);
            Assert.Equal(std, double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), 3);
        }
        // Tick labels never repeat on an axis, however close the values (accuracies near 1).
        string[] yTicks = await page.Locator("#run-curves text.tick[text-anchor='end']").AllTextContentsAsync() is var y ? y.ToArray() : [];
        Assert.True(yTicks.Length >= 2, "no y ticks");
        Assert.Equal(yTicks.Distinct().Count(), yTicks.Length);
        string shot = BrowserFixture.ScreenshotPath("dashboard-sweep.png");
        await page.Locator("#run-curves").ScreenshotAsync(new() { Path = shot });
        output.WriteLine("screenshot " + shot);

        // Gradients: one line per model and phase, as many points as time steps in gradnorms.csv.
        await page.Locator("#runs tr.run[data-id='grad'] td.id").ClickAsync();
        var lines = File.ReadAllLines(Path.Combine(Run("grad"), "gradnorms.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var phase in lines.GroupBy(c => (c[0], c[1])))
        {
            string name = phase.Key.Item1 + " (" + (phase.Key.Item2 == "init" ? "at init" : phase.Key.Item2) + ")";
            await Assertions.Expect(page.Locator($"#run-curves svg path.series[data-name='{name}']"))
                .ToHaveAttributeAsync("data-points", phase.Count().ToString(CultureInfo.InvariantCulture));
        }
        var norms = lines.Select(c => double.Parse(c[3], CultureInfo.InvariantCulture)).ToList();
        bool decades = norms.Max() / norms.Min() >= 100;
        await Assertions.Expect(page.Locator("#run-curves svg text.label").Last)
            .ToHaveTextAsync(decades ? "mean gradient norm (log)" : "mean gradient norm");
        await page.Locator("#run-curves").ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("dashboard-gradients.png") });
        Assert.Empty(problems);
    }
}
