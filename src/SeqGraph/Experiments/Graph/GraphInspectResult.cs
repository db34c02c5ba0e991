namespace SeqGraph.Experiments.Graph;

/// <summary>What <c>graph inspect</c> found (its <c>--json</c> output). Matrices are given for graphs of at most <see cref="GraphInspection.MaxPrintedNodes"/> nodes.</summary>
/// <param name="File">The edge file's name.</param>
/// <param name="Nodes">Node names, in index order.</param>
/// <param name="Edges">Edges (undirected edges counted once).</param>
/// <param name="Directed">Whether edges are one-way.</param>
/// <param name="Degrees">Degree of each node.</param>
/// <param name="DuplicatesMerged">Repeated edges merged while reading.</param>
/// <param name="SelfLoopsKept">Self-loops present in the file.</param>
/// <param name="TildeAdjacency">Ã = A + I.</param>
/// <param name="NormalizedAdjacency">Â = D̃^−½ Ã D̃^−½, rounded to 3 decimals.</param>
/// <param name="HopDistances">Shortest hop counts (−1: unreachable).</param>
/// <param name="From">The source node asked about.</param>
/// <param name="To">The target node.</param>
/// <param name="Hops">Hops from <see cref="From"/> to <see cref="To"/> (null: unreachable or not asked).</param>
/// <param name="GcnLayersNeeded">GCN layers for information from <see cref="From"/> to reach <see cref="To"/>: one per hop.</param>
/// <param name="Unreachable">True when <see cref="From"/> and <see cref="To"/> were given but no path joins them.</param>
public sealed record GraphInspectResult(
    string File = "", string[] Nodes = null!, int Edges = 0,
    bool Directed = false, int[] Degrees = null!, int DuplicatesMerged = 0,
    int SelfLoopsKept = 0, float[][]? TildeAdjacency = null, double[][]? NormalizedAdjacency = null,
    int[][]? HopDistances = null, string? From = null, string? To = null,
    int? Hops = null, int? GcnLayersNeeded = null, bool Unreachable = false);
