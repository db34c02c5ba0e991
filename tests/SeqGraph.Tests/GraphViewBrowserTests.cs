using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SeqGraph.Data;
using SeqGraph.Web;
using Xunit.Abstractions;

namespace SeqGraph.Tests;

/// <summary>
/// The graph view in a real headless chromium over the real server: a GCN run's scatter has one
/// circle per node, as many wrong test nodes as the summary's accuracy says, toggles and a seed
/// chooser; a click on a node lists its neighbours (as many as its degree in the data); a GAT run
/// shows each layer's attention as bars that sum to 1.
/// </summary>
public sealed class GraphViewBrowserTests(BrowserFixture browser, GraphViewRunsFixture runs, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IClassFixture<GraphViewRunsFixture>
{
    private static readonly int[] Degrees = CitationGraph.Load(CoraLoaderTests.CoraDir).Graph.Degrees();

    private async Task<IPage> Open(DashboardServer server, List<string> problems, string id)
    {
        var page = await browser.NewPageAsync(problems);
        await page.GotoAsync(server.Address.ToString());
        await page.Locator($"#runs tr.run[data-id='{id}']").ClickAsync();
        await Assertions.Expect(page.Locator("#graph-view")).ToBeVisibleAsync();
        return page;
    }

    private JsonNode Seed(string id, ulong seed) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(runs.Run(id), "summary.json")))!["runs"]!.AsArray().Single(r => (ulong)r!["seed"]! == seed)!;

    private static int WrongTests(JsonNode seed, int tests) => (int)Math.Round((1 - (double)seed["test_accuracy"]!) * tests);

    [SkippableFact]
    public async Task AGcnRunShowsEveryNodeTheWrongTestNodesAndANodesNeighbours()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs, Urls = "http://127.0.0.1:0" });
        var problems = new List<string>();
        var page = await Open(server, problems, "gcn");
        var circles = page.Locator("#graph-scatter circle.node");
        await Assertions.Expect(circles).ToHaveCountAsync(Degrees.Length);
        int tests = await page.Locator("#graph-scatter circle.node[data-split='test']").CountAsync();
        Assert.Equal(1000, tests);
        var wrongTest = page.Locator("#graph-scatter circle.node.wrong[data-split='test']");
        await Assertions.Expect(wrongTest).ToHaveCountAsync(WrongTests(Seed("gcn", 0), tests));
        await Assertions.Expect(page.Locator("#graph-legend .legend-item")).ToHaveCountAsync(8);   // 7 classes and the hollow mark

        // The toggles: test nodes only, then wrong ones only.
        await page.Locator("#graph-test-only").CheckAsync();
        await Assertions.Expect(page.Locator("#graph-scatter circle.node:visible")).ToHaveCountAsync(tests);
        await page.Locator("#graph-wrong-only").CheckAsync();
        await Assertions.Expect(page.Locator("#graph-scatter circle.node:visible")).ToHaveCountAsync(WrongTests(Seed("gcn", 0), tests));
        await page.Locator("#graph-test-only").UncheckAsync();
        await page.Locator("#graph-wrong-only").UncheckAsync();
        await Assertions.Expect(page.Locator("#graph-scatter circle.node:visible")).ToHaveCountAsync(Degrees.Length);

        // Another seed, then a node: its neighbours are listed and highlighted.
        await Assertions.Expect(page.Locator("#graph-seed option")).ToHaveCountAsync(2);
        await page.SelectOptionAsync("#graph-seed", "1");
        await Assertions.Expect(page.Locator("#graph-status")).ToContainTextAsync("seed 1,");
        await Assertions.Expect(wrongTest).ToHaveCountAsync(WrongTests(Seed("gcn", 1), tests));
        int node = Array.FindIndex(Degrees, d => d >= 5);
        await page.Locator($"#graph-scatter circle.node[data-node='{node}']").DispatchEventAsync("click");
        await Assertions.Expect(page.Locator("#graph-node")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#graph-node tr.neighbour")).ToHaveCountAsync(Degrees[node]);
        await Assertions.Expect(page.Locator("#graph-scatter circle.node.neighbour")).ToHaveCountAsync(Degrees[node]);
        await Assertions.Expect(page.Locator($"#graph-scatter circle.node.focus[data-node='{node}']")).ToHaveCountAsync(1);

        string shot = BrowserFixture.ReadmeScreenshotPath("dashboard-graph.png");
        await page.Locator("#graph-view").ScreenshotAsync(new() { Path = shot });
        Assert.Empty(problems);
        output.WriteLine("screenshot " + shot);
    }

    [SkippableFact]
    public async Task AGatRunShowsAttentionBarsThatSumToOne()
    {
        Skip.IfNot(browser.Available, BrowserFixture.Missing());
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs, Urls = "http://127.0.0.1:0" });
        var problems = new List<string>();
        var page = await Open(server, problems, "gat");
        await Assertions.Expect(page.Locator("#graph-scatter circle.node")).ToHaveCountAsync(Degrees.Length);
        await Assertions.Expect(page.Locator("#graph-seed-label")).ToBeHiddenAsync();
        int node = Array.FindIndex(Degrees, d => d >= 6);
        await page.Locator($"#graph-scatter circle.node[data-node='{node}']").DispatchEventAsync("click");
        await Assertions.Expect(page.Locator("#graph-node tr.neighbour")).ToHaveCountAsync(Degrees[node]);
        foreach (string layer in new[] { "1", "2" })
        {
            var bars = page.Locator($"#graph-node .attention[data-layer='{layer}'] .att-bar");
            await Assertions.Expect(bars).ToHaveCountAsync(Degrees[node] + 1);   // the neighbours and the node itself
            double[] weights = await bars.EvaluateAllAsync<double[]>("bars => bars.map(b => Number(b.dataset.weight))");
            Assert.Equal(1.0, weights.Sum(), 3);
            Assert.Equal(weights.OrderByDescending(w => w), weights);
        }
        await Assertions.Expect(page.Locator("#graph-node .attention[data-layer='1'] h5")).ToContainTextAsync("mean of 2 heads");

        string shot = BrowserFixture.ScreenshotPath("graph-view-gat.png");
        await page.Locator("#graph-view").ScreenshotAsync(new() { Path = shot });
        Assert.Empty(problems);
        output.WriteLine("screenshot " + shot);
    }
}
