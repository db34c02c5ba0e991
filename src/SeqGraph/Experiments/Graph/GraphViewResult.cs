using SeqGraph.Data;

namespace SeqGraph.Experiments.Graph;

/// <summary>
/// What the graph view shows of one seed's model of a <c>graph train</c> run: per node its
/// hidden-layer embedding on two principal components (the projection <c>embedding.svg</c> draws),
/// true and predicted class, split and degree; and, through <see cref="Neighbours"/>, each node's
/// incoming edges with GCN's aggregation weight or GAT's attention. Per-node values are arrays
/// indexed by node (the data's order).
/// </summary>
public sealed class GraphViewResult
{
    private readonly SparseGraph _graph;
    private readonly float[][]? _attention;

    internal GraphViewResult(SparseGraph graph, float[][]? attention)
    {
        _graph = graph;
        _attention = attention;
    }

    /// <summary>"gcn" or "gat".</summary>
    public required string Model { get; init; }

    /// <summary>The seed whose model this is.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The seeds the run holds models for, lowest first.</summary>
    public required ulong[] Seeds { get; init; }

    /// <summary>The selected epoch the model is from.</summary>
    public required int Epoch { get; init; }

    /// <summary>The data folder the graph was read from (the one the model's checkpoint records).</summary>
    public required string Data { get; init; }

    /// <summary>The seed's model folder (seed-&lt;k&gt;/) it was read from.</summary>
    public required string ModelFolder { get; init; }

    /// <summary>The dataset's name.</summary>
    public required string Dataset { get; init; }

    /// <summary>The model's class names, in output order (class indices below refer to them).</summary>
    public required string[] ClassNames { get; init; }

    /// <summary>The share of the embedding's variance on each of the two components.</summary>
    public required double[] VarianceShares { get; init; }

    /// <summary>Attention heads per layer (GAT), empty for GCN.</summary>
    public required int[] Heads { get; init; }

    /// <summary>Node ids as in the data.</summary>
    public required string[] NodeIds { get; init; }

    /// <summary>First principal component per node.</summary>
    public required float[] X { get; init; }

    /// <summary>Second principal component per node.</summary>
    public required float[] Y { get; init; }

    /// <summary>True class per node (model class index), −1 without a label.</summary>
    public required int[] Labels { get; init; }

    /// <summary>Predicted class per node.</summary>
    public required int[] Predicted { get; init; }

    /// <summary>"train", "val", "test" or "" per node.</summary>
    public required string[] Split { get; init; }

    /// <summary>Neighbours per node in the data.</summary>
    public required int[] Degree { get; init; }

    /// <summary>Test accuracy recomputed from <see cref="Predicted"/>.</summary>
    public required double TestAccuracy { get; init; }

    /// <summary>The test accuracy the run recorded for this model.</summary>
    public required double TrainedTestAccuracy { get; init; }

    /// <summary>Number of nodes.</summary>
    public int Nodes => Labels.Length;

    /// <summary>Node <paramref name="node"/> and its incoming edges with their weight (GCN) or attention (GAT).</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such node.</exception>
    public GraphNodeNeighbours Neighbours(int node)
    {
        if (node < 0 || node >= Nodes) throw new ArgumentOutOfRangeException(nameof(node), $"node: the graph has nodes 0 to {Nodes - 1}");
        var tilde = _graph.WithSelfLoops();
        var norm = _attention is null ? _graph.NormalizedAdjacency() : null;
        var a = _graph.Adjacency;
        bool ownLoop = false;
        for (int e = a.RowPtr[node]; e < a.RowPtr[node + 1]; e++) ownLoop |= a.ColIndex[e] == node;
        GraphNeighbour? self = null;
        var list = new List<GraphNeighbour>();
        for (int e = tilde.RowPtr[node]; e < tilde.RowPtr[node + 1]; e++)
        {
            var edge = Edge(tilde.ColIndex[e], e, norm);
            if (tilde.ColIndex[e] == node)
            {
                self = edge;
                if (!ownLoop) continue;
            }
            list.Add(edge);
        }
        return new GraphNodeNeighbours(node, NodeIds[node], Labels[node], Predicted[node], Split[node], Degree[node], self!, list);
    }

    private GraphNeighbour Edge(int j, int e, Tensors.CsrMatrix? norm)
    {
        float[][]? att = null;
        float[]? mean = null;
        if (_attention is not null)
        {
            att = new float[_attention.Length][];
            mean = new float[_attention.Length];
            for (int l = 0; l < _attention.Length; l++)
            {
                int h = Heads[l];
                att[l] = _attention[l].AsSpan(e * h, h).ToArray();
                mean[l] = att[l].Sum() / h;
            }
        }
        return new GraphNeighbour(j, NodeIds[j], Labels[j], Predicted[j], norm is null ? null : norm.Values[e], att, mean);
    }
}
