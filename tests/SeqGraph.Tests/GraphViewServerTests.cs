using System.Net;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>
/// The graph view's endpoints over real HTTP: <c>/api/runs/{id}/graph?seed=k</c> (compact columns,
/// one entry per node) and <c>/graph/nodes/{n}</c> (the node's neighbours as in the data), and their
/// refusals: one line in <c>{"error": …}</c>, 400 for malformed input, 404 for a run that is not a
/// graph run or a seed or node it lacks, 409 when the data folder changed or is gone.
/// </summary>
public sealed partial class GraphViewServerTests(GraphViewRunsFixture runs) : IClassFixture<GraphViewRunsFixture>
{
    private static async Task<(HttpStatusCode Status, string Body)> Get(Uri address, string path)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(address, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> Refused(Uri address, string path, HttpStatusCode expected)
    {
        var (status, body) = await Get(address, path);
        Assert.Equal(expected, status);
        string error = (string)JsonNode.Parse(body)!["error"]!;
        Assert.DoesNotContain("\n", error);
        Assert.DoesNotContain("   at ", body);
        return error;
    }

    [Fact]
    public async Task TheViewHasOneCompactEntryPerNodeAndANodesNeighboursAreItsDataNeighbours()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs });
        var data = CitationGraph.Load(CoraLoaderTests.CoraDir);
        var (status, body) = await Get(server.Address, "api/runs/gcn/graph?seed=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.Length < 160_000, $"the view of Cora is {body.Length:N0} characters");
        var view = JsonNode.Parse(body)!;
        Assert.Equal("gcn", (string)view["model"]!);
        Assert.Equal(1UL, (ulong)view["seed"]!);
        Assert.Equal([0UL, 1UL], view["seeds"]!.AsArray().Select(s => (ulong)s!));
        Assert.Equal(data.ClassNames, view["classes"]!.AsArray().Select(c => (string)c!));
        var nodes = view["nodes"]!;
        foreach (string column in new[] { "id", "x", "y", "label", "predicted", "split", "degree" })
            Assert.Equal(data.NumNodes, nodes[column]!.AsArray().Count);
        Assert.Equal(data.Test.Length, nodes["split"]!.AsArray().Count(s => (int)s! == 3));
        Assert.Equal(data.Graph.Degrees(), nodes["degree"]!.AsArray().Select(d => (int)d!));
        var (_, seed0) = await Get(server.Address, "api/runs/gcn/graph");
        Assert.Equal(0UL, (ulong)JsonNode.Parse(seed0)!["seed"]!);

        int node = Array.FindIndex(data.Graph.Degrees(), d => d >= 4);
        var (nodeStatus, nodeBody) = await Get(server.Address, $"api/runs/gcn/graph/nodes/{node}?seed=1");
        Assert.Equal(HttpStatusCode.OK, nodeStatus);
        var n = JsonNode.Parse(nodeBody)!;
        var a = data.Graph.Adjacency;
        Assert.Equal(a.ColIndex[a.RowPtr[node]..a.RowPtr[node + 1]], n["neighbours"]!.AsArray().Select(e => (int)e!["node"]!));
        Assert.All(n["neighbours"]!.AsArray(), e => Assert.True((double)e!["weight"]! > 0));

        var (_, gat) = await Get(server.Address, $"api/runs/gat/graph/nodes/{node}");
        var g = JsonNode.Parse(gat)!;
        double sum = (double)g["self"]!["mean_attention"]![0]! + g["neighbours"]!.AsArray().Sum(e => (double)e!["mean_attention"]![0]!);
        Assert.Equal(1.0, sum, 4);
        Assert.Equal(2, g["self"]!["attention"]![0]!.AsArray().Count);
    }

    [Fact]
    public async Task BadRequestsAreRefusedWithOneLine()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs });
        Assert.Contains("not a graph train run", await Refused(server.Address, "api/runs/rnn/graph", HttpStatusCode.NotFound));
        Assert.Contains("seed 7", await Refused(server.Address, "api/runs/gcn/graph?seed=7", HttpStatusCode.NotFound));
        Assert.StartsWith("seed:", await Refused(server.Address, "api/runs/gcn/graph?seed=-1", HttpStatusCode.BadRequest));
        Assert.StartsWith("seed:", await Refused(server.Address, "api/runs/gcn/graph?seed=abc", HttpStatusCode.BadRequest));
        Assert.StartsWith("node:", await Refused(server.Address, "api/runs/gcn/graph/nodes/x", HttpStatusCode.BadRequest));
        Assert.Contains("nodes 0 to 2707", await Refused(server.Address, "api/runs/gcn/graph/nodes/2708", HttpStatusCode.NotFound));
        await Refused(server.Address, "api/runs/nothing/graph", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ADataFolderChangedOrGoneSinceTrainingIsAConflict()
    {
        string dataDir = runs.Scratch.File("cora-copy");
        Directory.CreateDirectory(dataDir);
        foreach (var f in Directory.GetFiles(CoraLoaderTests.CoraDir)) File.Copy(f, Path.Combine(dataDir, Path.GetFileName(f)));
        string runsDir = runs.Scratch.File("conflict-runs");
        GraphViewRunsFixture.Cli("graph", "train", "--data", dataDir, "--seeds", "0", "--epochs", "1", "--threads", "2", "--out", Path.Combine(runsDir, "moved"));
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runsDir });
        var (status, _) = await Get(server.Address, "api/runs/moved/graph");
        Assert.Equal(HttpStatusCode.OK, status);

        // One edge fewer: the structure hash differs from the checkpoint's, and the cached view is not served.
        string cites = Path.Combine(dataDir, "cora.cites");
        var lines = File.ReadAllLines(cites);
        File.WriteAllLines(cites, lines.Take(lines.Length - 1));
        File.SetLastWriteTimeUtc(cites, DateTime.UtcNow.AddMinutes(1));
        Assert.Contains("is not the one the model", await Refused(server.Address, "api/runs/moved/graph", HttpStatusCode.Conflict));
        await Refused(server.Address, "api/runs/moved/graph/nodes/0", HttpStatusCode.Conflict);

        Directory.Delete(dataDir, recursive: true);
        Assert.Contains("does not exist here", await Refused(server.Address, "api/runs/moved/graph", HttpStatusCode.Conflict));
    }
}
