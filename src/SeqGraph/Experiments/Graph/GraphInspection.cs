using SeqGraph.Data;
using SeqGraph.IO;

namespace SeqGraph.Experiments.Graph;

/// <summary><c>graph inspect</c>: reads an edge list and computes Ã, Â, hop distances and the layers needed between two nodes. Writes no files.</summary>
public sealed class GraphInspection : IExperiment<GraphInspectConfig, string, GraphInspectResult>
{
    /// <summary>Graphs up to this many nodes get their matrices.</summary>
    public const int MaxPrintedNodes = 40;

    /// <inheritdoc/>
    public static GraphInspectResult Run(GraphInspectConfig config, RunFolder? folder = null, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var g = EdgeListFile.Read(config.Edges, config.Directed);
        var names = g.NodeNames!;
        int Find(string name, string option)
        {
            for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
            throw new ConfigException(option, $"{option}: no node '{name}' in {Path.GetFileName(config.Edges)}");
        }
        int? hops = null;
        if (config.From is not null)
        {
            int src = Find(config.From, "--from"), dst = Find(config.To!, "--to");
            hops = g.HopDistance(src, dst);
        }
        bool small = g.NumNodes <= MaxPrintedNodes;
        var tilde = small ? g.Dense(g.WithSelfLoops()) : null;
        var ahat = small ? g.Dense(g.NormalizedAdjacency()) : null;
        var dist = small ? g.HopDistances() : null;
        int n = g.NumNodes;
        T[][] Rows<T>(Func<int, int, T> cell) => Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => cell(i, j)).ToArray()).ToArray();
        return new GraphInspectResult
        {
            File = Path.GetFileName(config.Edges), Nodes = names.ToArray(), Edges = g.NumEdges, Directed = config.Directed, Degrees = g.Degrees(),
            DuplicatesMerged = g.DuplicatesMerged, SelfLoopsKept = g.SelfLoopsKept,
            TildeAdjacency = tilde is null ? null : Rows((i, j) => tilde[i, j]),
            NormalizedAdjacency = ahat is null ? null : Rows((i, j) => Math.Round(ahat[i, j], 3)),
            HopDistances = dist is null ? null : Rows((i, j) => dist[i, j]),
            From = config.From, To = config.To,
            Hops = hops >= 0 ? hops : null, GcnLayersNeeded = hops >= 0 ? hops : null, Unreachable = hops < 0,
        };
    }
}
