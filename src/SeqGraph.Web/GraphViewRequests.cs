using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SeqGraph.Experiments.Graph;

namespace SeqGraph.Web;

/// <summary>
/// The graph view's requests: <c>GET /api/runs/{id}/graph?seed=k</c> (every node's embedding on two
/// principal components, true and predicted class, split and degree, as columns) and
/// <c>GET /api/runs/{id}/graph/nodes/{n}?seed=k</c> (node n's incoming edges with GCN's weight or
/// GAT's attention), both from <see cref="GraphView"/>. A view is kept per model folder and recomputed
/// when a file of the model or of its data folder changes. A run that is not a graph run, or has no
/// such seed or node, is 404; a data folder that is gone or changed since training is 409.
/// </summary>
public sealed class GraphViewRequests(RunCatalog catalog)
{
    private const string Segment = "graph";
    private static readonly string[] SplitNames = ["", "train", "val", "test"];
    private readonly Dictionary<string, (string Stamp, GraphViewResult View, JsonObject Json)> _cache = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Whether <paramref name="parts"/> (the path after /api/runs/) asks for a graph view of a run folder.</summary>
    public bool Matches(string[] parts)
    {
        int cut = parts.Length >= 2 && parts[^1] == Segment ? 1
            : parts.Length >= 4 && parts[^3] == Segment && parts[^2] == "nodes" ? 3 : 0;
        return cut > 0 && RunPaths.SplitId(string.Join('/', parts[..^cut])) is not null
            && RunPaths.RunFolder(catalog.Root, string.Join('/', parts[..^cut])) is { } folder && RunDescription.Kind(folder) is not null;
    }

    /// <summary>Answers a request for which <see cref="Matches"/> holds.</summary>
    public Task Handle(HttpContext context, string[] parts)
    {
        var response = context.Response;
        bool node = parts[^1] != Segment;
        string id = string.Join('/', parts[..^(node ? 3 : 1)]);
        string folder = RunPaths.RunFolder(catalog.Root, id)!;
        if (RunDescription.Kind(folder) != "graph")
            return DashboardRequests.Error(response, StatusCodes.Status404NotFound, $"run {id} is not a graph train run; the graph view shows graph runs only");
        ulong? seed = null;
        if (context.Request.Query.TryGetValue("seed", out var seedText))
        {
            if (!ulong.TryParse(seedText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s))
                return DashboardRequests.Error(response, StatusCodes.Status400BadRequest, "seed: not a whole number");
            seed = s;
        }
        int index = -1;
        if (node && !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out index))
            return DashboardRequests.Error(response, StatusCodes.Status400BadRequest, "node: not a node index (0, 1, 2, …)");
        (GraphViewResult View, JsonObject Json) view;
        try { view = View(folder, seed); }
        catch (SeqGraph.ConfigException e) { return DashboardRequests.Error(response, StatusCodes.Status404NotFound, OneLine(e.Message)); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return DashboardRequests.Error(response, StatusCodes.Status409Conflict, OneLine(e.Message));
        }
        if (!node) return DashboardRequests.Json(response, view.Json);
        if (index >= view.View.Nodes)
            return DashboardRequests.Error(response, StatusCodes.Status404NotFound, $"node: the graph has nodes 0 to {view.View.Nodes - 1}");
        return DashboardRequests.Json(response, NodeJson(view.View.Neighbours(index), view.View.Model));
    }

    private (GraphViewResult, JsonObject) View(string folder, ulong? seed)
    {
        string key = folder + "\n" + seed;
        lock (_lock)
        {
            if (_cache.TryGetValue(key, out var hit) && hit.Stamp == Stamp(hit.View.ModelFolder, hit.View.Data) && SameSeeds(folder, hit.View))
                return (hit.View, hit.Json);
            var view = GraphView.Run(new GraphViewConfig { Run = folder, Seed = seed });
            var json = ViewJson(view);
            _cache[key] = (Stamp(view.ModelFolder, view.Data), view, json);
            return (view, json);
        }
    }

    // A seed saved or removed since changes which model "no seed" means, and the seed list.
    private static bool SameSeeds(string folder, GraphViewResult view) =>
        GraphTraining.SavedSeeds(folder).Select(s => s.Seed).SequenceEqual(view.Seeds);

    /// <summary>Names, sizes and write times of the model's files and the data folder's files.</summary>
    private static string Stamp(params string[] dirs) => string.Join("\n", dirs.SelectMany(d =>
    {
        try { return new DirectoryInfo(d).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.FullName}|{f.Length}|{f.LastWriteTimeUtc.Ticks}").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return [d + "|gone"]; }
    }));

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private static JsonObject ViewJson(GraphViewResult v)
    {
        double scale = Math.Max(v.X.Select(Math.Abs).DefaultIfEmpty(0).Max(), v.Y.Select(Math.Abs).DefaultIfEmpty(0).Max());
        int digits = scale > 0 ? Math.Clamp(3 - (int)Math.Floor(Math.Log10(scale)), 0, 12) : 0;   // 4 significant digits of the largest
        JsonArray Coordinates(float[] c) => new(c.Select(t => (JsonNode)Math.Round((double)t, digits)).ToArray());
        JsonArray Ints(IEnumerable<int> c) => new(c.Select(t => (JsonNode)t).ToArray());
        return new JsonObject
        {
            ["model"] = v.Model, ["seed"] = v.Seed, ["seeds"] = new JsonArray(v.Seeds.Select(s => (JsonNode)s).ToArray()),
            ["epoch"] = v.Epoch, ["dataset"] = v.Dataset,
            ["classes"] = new JsonArray(v.ClassNames.Select(c => (JsonNode)c).ToArray()),
            ["variance"] = new JsonArray(v.VarianceShares.Select(s => (JsonNode)Math.Round(s, 4)).ToArray()),
            ["heads"] = Ints(v.Heads),
            ["test_accuracy"] = v.TestAccuracy, ["trained_test_accuracy"] = v.TrainedTestAccuracy,
            ["split_names"] = new JsonArray(SplitNames.Select(s => (JsonNode)s).ToArray()),
            ["nodes"] = new JsonObject
            {
                ["id"] = new JsonArray(v.NodeIds.Select(s => (JsonNode)s).ToArray()),
                ["x"] = Coordinates(v.X), ["y"] = Coordinates(v.Y),
                ["label"] = Ints(v.Labels), ["predicted"] = Ints(v.Predicted),
                ["split"] = Ints(v.Split.Select(s => Array.IndexOf(SplitNames, s))), ["degree"] = Ints(v.Degree),
            },
        };
    }

    private static JsonObject NodeJson(GraphNodeNeighbours n, string model) => new()
    {
        ["model"] = model, ["node"] = n.Node, ["id"] = n.Id, ["label"] = n.Label, ["predicted"] = n.Predicted, ["split"] = n.Split, ["degree"] = n.Degree,
        ["self"] = EdgeJson(n.Self),
        ["neighbours"] = new JsonArray(n.Neighbours.Select(e => (JsonNode)EdgeJson(e)).ToArray()),
    };

    private static JsonObject EdgeJson(GraphNeighbour e)
    {
        var o = new JsonObject { ["node"] = e.Node, ["id"] = e.Id, ["label"] = e.Label, ["predicted"] = e.Predicted };
        if (e.Weight is { } w) o["weight"] = Math.Round(w, 6);
        if (e.Attention is { } a)
        {
            o["attention"] = new JsonArray(a.Select(layer => (JsonNode)new JsonArray(layer.Select(x => (JsonNode)Math.Round((double)x, 6)).ToArray())).ToArray());
            o["mean_attention"] = new JsonArray(e.MeanAttention!.Select(x => (JsonNode)Math.Round((double)x, 6)).ToArray());
        }
        return o;
    }
}
