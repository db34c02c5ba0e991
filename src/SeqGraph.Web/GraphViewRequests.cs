using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SeqGraph.Experiments.Graph;

namespace SeqGraph.Web;

/// <summary>
/// The graph view's requests: <c>GET /api/runs/{id}/graph?seed=k</c> (every node's embedding on two
/// principal components, true and predicted class, split and degree, as columns) and
/// <c>GET /api/runs/{id}/graph/nodes/{n}?seed=k</c> (node n's incoming edges with GCN's weight or
/// GAT's attention), both from <see cref="GraphView"/>. Up to <see cref="MaxViews"/> views are kept (per model
/// folder and seed, least recently used dropped first) and recomputed when a file of the model or of its data folder changes;
/// a view being computed holds up only the requests for that view, and is cancelled with the request that started it. A run that is not a graph run, or has no
/// such seed or node, is 404; a data folder that is gone or changed since training is 409.
/// </summary>
public sealed class GraphViewRequests(RunCatalog catalog)
{
    private const string Segment = "graph";
    private static readonly string[] SplitNames = ["", "train", "val", "test"];
    /// <summary>Most views kept; the least recently asked for goes first.</summary>
    public const int MaxViews = 4;

    // One entry per model folder and seed, computed once by whichever request comes first (outside
    // the lock, so a slow view holds up only the requests for it); the answer is kept serialized.
    private sealed record Cached(string Stamp, GraphViewResult View, byte[] Json);
    private sealed class Entry(Task<Cached> value) { public Task<Cached> Value { get; } = value; public long Used; }
    private readonly Dictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _clock;

    /// <summary>Views kept now (at most <see cref="MaxViews"/>).</summary>
    public int CachedViews { get { lock (_lock) return _cache.Count; } }

    /// <summary>Whether <paramref name="parts"/> (the path after /api/runs/) asks for a graph view of a run folder.</summary>
    public bool Matches(string[] parts)
    {
        int cut = parts.Length >= 2 && parts[^1] == Segment ? 1
            : parts.Length >= 4 && parts[^3] == Segment && parts[^2] == "nodes" ? 3 : 0;
        return cut > 0 && RunPaths.SplitId(string.Join('/', parts[..^cut])) is not null
            && RunPaths.RunFolder(catalog.Root, string.Join('/', parts[..^cut])) is { } folder && RunDescription.Kind(folder) is not null;
    }

    /// <summary>Answers a request for which <see cref="Matches"/> holds.</summary>
    public async Task Handle(HttpContext context, string[] parts)
    {
        var response = context.Response;
        bool node = parts[^1] != Segment;
        string id = string.Join('/', parts[..^(node ? 3 : 1)]);
        string folder = RunPaths.RunFolder(catalog.Root, id)!;
        if (RunDescription.Kind(folder) != "graph")
        {
            await DashboardRequests.Error(response, StatusCodes.Status404NotFound, $"run {id} is not a graph train run; the graph view shows graph runs only");
            return;
        }
        ulong? seed = null;
        if (context.Request.Query.TryGetValue("seed", out var seedText))
        {
            if (!ulong.TryParse(seedText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s))
            {
                await DashboardRequests.Error(response, StatusCodes.Status400BadRequest, "seed: not a whole number");
                return;
            }
            seed = s;
        }
        int index = -1;
        if (node && !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            await DashboardRequests.Error(response, StatusCodes.Status400BadRequest, "node: not a node index (0, 1, 2, …)");
            return;
        }
        Cached view;
        try { view = await View(folder, seed, context.RequestAborted); }
        catch (SeqGraph.ConfigException e)
        {
            await DashboardRequests.Error(response, StatusCodes.Status404NotFound, OneLine(e.Message));
            return;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await DashboardRequests.Error(response, StatusCodes.Status409Conflict, OneLine(e.Message));
            return;
        }
        if (!node)
        {
            response.ContentType = "application/json; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.ContentLength = view.Json.Length;
            if (HttpMethods.IsGet(context.Request.Method)) await response.Body.WriteAsync(view.Json, context.RequestAborted);
            return;
        }
        if (index >= view.View.Nodes)
        {
            await DashboardRequests.Error(response, StatusCodes.Status404NotFound, $"node: the graph has nodes 0 to {view.View.Nodes - 1}");
            return;
        }
        await DashboardRequests.Json(response, NodeJson(view.View.Neighbours(index), view.View.Model));
    }

    private async Task<Cached> View(string folder, ulong? seed, CancellationToken cancel)
    {
        string key = folder + "\n" + seed;
        for (int attempt = 0; ; attempt++)
        {
            Entry entry;
            bool mine = false;
            lock (_lock)
            {
                if (!_cache.TryGetValue(key, out entry!))
                {
                    entry = new Entry(Task.Run(() => Compute(folder, seed, cancel)));
                    _cache[key] = entry;
                    mine = true;
                    while (_cache.Count > MaxViews) _cache.Remove(_cache.MinBy(e => e.Value.Used).Key);
                }
                entry.Used = ++_clock;
            }
            Cached hit;
            try { hit = await entry.Value.WaitAsync(cancel); }
            catch (Exception e) when (!cancel.IsCancellationRequested)
            {
                Forget(key, entry);   // a failed or cancelled view is not kept
                if (e is OperationCanceledException && !mine && attempt < 2) continue;   // the request computing it went away
                throw;
            }
            if (mine || (hit.Stamp == Stamp(hit.View.ModelFolder, hit.View.Data) && SameSeeds(folder, hit.View))) return hit;
            Forget(key, entry);   // a file changed since: compute again
        }
    }

    private void Forget(string key, Entry entry)
    {
        lock (_lock) if (_cache.TryGetValue(key, out var now) && now == entry) _cache.Remove(key);
    }

    private static Cached Compute(string folder, ulong? seed, CancellationToken cancel)
    {
        var view = GraphView.Run(new GraphViewConfig { Run = folder, Seed = seed }, cancel: cancel);
        return new Cached(Stamp(view.ModelFolder, view.Data), view, System.Text.Encoding.UTF8.GetBytes(ViewJson(view).ToJsonString()));
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
