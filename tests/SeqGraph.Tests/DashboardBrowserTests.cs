using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SeqGraph.Web;
using Xunit.Abstractions;

namespace SeqGraph.Tests;

/// <summary>
/// The dashboard's page in a real headless chromium, over the real server on a free port and the
/// runs folder of <see cref="DashboardRunsFixture"/> (made by real commands): the run list with
/// kinds, statuses and figures, the kind filter, and a run's config, summary and plots.
/// </summary>
public sealed class DashboardBrowserTests(BrowserFixture browser, DashboardRunsFixture runs, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IClassFixture<DashboardRunsFixture>
{
    private static readonly Dictionary<string, (string Kind, string Status)> Expected = new()
    {
        ["rnn"] = ("rnn train", "finished"),
        ["sweep"] = ("sweep", "finished"),
        ["grad"] = ("rnn gradients", "finished"),
        ["text"] = ("text", "finished"),
        ["group/gcn"] = ("graph", "finished"),
        ["stopped"] = ("text", "interrupted"),
    };

    [SkippableFact]
    public async Task ThePageListsTheRunsFiltersByKindAndShowsARun()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        var clock = Stopwatch.StartNew();
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs, Urls = "http://127.0.0.1:0" });
        var problems = new List<string>();
        var page = await browser.NewPageAsync(problems);
        await page.GotoAsync(server.Address.ToString());

        // Every run, in the server's newest-first order, with its kind, status and main figure as its summary says.
        var rows = page.Locator("#runs tr.run");
        await Assertions.Expect(rows).ToHaveCountAsync(Expected.Count);
        string[] ids = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.Equal(Expected.Keys.Order(), ids.Order());
        Assert.Equal(await ApiOrder(server), ids);
        foreach (var (id, (kind, status)) in Expected)
        {
            var row = page.Locator($"#runs tr.run[data-id='{id}']");
            await Assertions.Expect(row.Locator("td.kind")).ToHaveTextAsync(kind);
            await Assertions.Expect(row.Locator("td.status")).ToHaveTextAsync(status);
        }
        await ExpectFigure(page, "rnn", "test accuracy " + Fixed(Summary("rnn")["test_accuracy"], "0.0000"));
        var graph = Summary("group/gcn");
        await ExpectFigure(page, "group/gcn",
            "test accuracy " + Fixed(graph["test_accuracy_mean"], "0.000") + " ± " + Fixed(graph["test_accuracy_std"], "0.000"));
        await ExpectFigure(page, "text", "val bpc " + Fixed(Summary("text")["val_bpc"], "0.0000"));
        double sweepMean = ((JsonArray)Summary("sweep")["points"]!).Where(p => (string)p!["metric"]! == "test_accuracy").Average(p => (double)p!["mean"]!);
        await ExpectFigure(page, "sweep", "mean test accuracy " + sweepMean.ToString("0.0000", CultureInfo.InvariantCulture) + " · 2/2 trials");

        // The kind filter hides the other kinds, and "all" shows them again.
        await page.SelectOptionAsync("#kind-filter", "graph");
        var visible = page.Locator("#runs tr.run:visible");
        await Assertions.Expect(visible).ToHaveCountAsync(1);
        Assert.Equal("group/gcn", await visible.GetAttributeAsync("data-id"));
        await page.SelectOptionAsync("#kind-filter", "text");
        await Assertions.Expect(visible).ToHaveCountAsync(2);
        Assert.Equal(["stopped", "text"], (await visible.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)")).Order());
        await page.SelectOptionAsync("#kind-filter", "");
        await Assertions.Expect(visible).ToHaveCountAsync(Expected.Count);

        // Clicking a run shows its config and summary, and its plots load.
        await page.Locator("#runs tr.run[data-id='rnn']").ClickAsync();
        await Assertions.Expect(page.Locator("#run-detail")).ToBeVisibleAsync();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(runs.Run("rnn"), "config.json")))!;
        await Assertions.Expect(page.Locator("#run-config")).ToContainTextAsync("\"task\": \"palindrome\"");
        await Assertions.Expect(page.Locator("#run-config")).ToContainTextAsync("\"hidden\": " + (int)config["hidden"]!);
        await Assertions.Expect(page.Locator("#run-summary")).ToContainTextAsync("\"test_accuracy\"");
        var plots = page.Locator("#run-plots img");
        await Assertions.Expect(plots).Not.ToHaveCountAsync(0);
        await page.WaitForFunctionAsync("[...document.querySelectorAll('#run-plots img')].every(i => i.complete)");
        var loaded = await plots.EvaluateAllAsync<PlotState[]>("imgs => imgs.map(i => ({ src: i.getAttribute('src'), width: i.naturalWidth }))");
        Assert.All(loaded, p => Assert.True(p.Width > 0, $"plot {p.Src} did not load"));
        Assert.Contains(loaded, p => p.Src.EndsWith("/files/loss.svg", StringComparison.Ordinal));
        Assert.Contains(loaded, p => p.Src.EndsWith("/files/accuracy.svg", StringComparison.Ordinal));

        string shot = BrowserFixture.ScreenshotPath("dashboard-runs.png");
        await page.ScreenshotAsync(new() { Path = shot });
        Assert.True(new FileInfo(shot).Length > 1000, "the screenshot is empty");
        Assert.Empty(problems);

        // The browser asked for what lies outside the runs folder: an encoded ".." (which chromium itself
        // resolves before sending, so the server sees a path that is no page: 404), encoded separators
        // (sent as they are: 400), the folder link out of it and a file link in a run (404). Each is
        // refused and the secret never reaches the page.
        foreach (var (path, status) in new[] { ("api/runs/%2e%2e/outside/files/secret.json", 404), ("api/runs/escape/files/secret.json", 404),
                     ("api/runs/rnn/files/leak.json", 404), ("api/runs/rnn/files/..%2f..%2foutside%2fsecret.json", 400) })
        {
            var response = await page.GotoAsync(server.Address + path);
            Assert.True(response is not null, path);
            Assert.True(status == response.Status, $"{path}: {response.Status}");
            Assert.DoesNotContain(DashboardRunsFixture.Secret, await page.ContentAsync());
            Assert.Contains("\"error\"", await response.TextAsync());
        }
        output.WriteLine($"chromium start {browser.StartTime.TotalMilliseconds:F0} ms; server + page test {clock.ElapsedMilliseconds} ms; screenshot {shot}");
    }

    /// <summary>A plot image as the page holds it.</summary>
    public sealed class PlotState
    {
        /// <summary>The image's src attribute.</summary>
        public string Src { get; set; } = "";

        /// <summary>Its natural width: 0 when it did not load.</summary>
        public int Width { get; set; }
    }

    private JsonObject Summary(string id) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(runs.Run(id), "summary.json")))!;

    private static async Task<string[]> ApiOrder(DashboardServer server)
    {
        using var http = new HttpClient();
        var list = JsonNode.Parse(await http.GetStringAsync(new Uri(server.Address, "api/runs")))!.AsArray();
        return list.Select(r => (string)r!["id"]!).ToArray();
    }

    private static Task ExpectFigure(IPage page, string id, string text) =>
        Assertions.Expect(page.Locator($"#runs tr.run[data-id='{id}'] td.figure")).ToHaveTextAsync(text);

    private static string Fixed(JsonNode? value, string format) =>
        ((double)value!).ToString(format, CultureInfo.InvariantCulture);
}
