namespace SeqGraph.Experiments.Graph;

/// <summary>What <c>graph inspect</c> found (its <c>--json</c> output). Matrices are given for graphs of at most <see cref="GraphInspection.MaxPrintedNodes"/> nodes.</summary>
public sealed record GraphInspectResult
{
    /// <summary>The edge file's name.</summary>
    public string File { get; init; } = "";
    /// <summary>Node names, in index order.</summary>
    public string[] Nodes { get; init; } = Array.Empty<string>();
    /// <summary>Edges (undirected edges counted once).</summary>
    public int Edges { get; init; }
    /// <summary>Whether edges are one-way.</summary>
    public bool Directed { get; init; }
    /// <summary>Degree of each node.</summary>
    public int[] Degrees { get; init; } = Array.Empty<int>();
    /// <summary>Repeated edges merged while reading.</summary>
    public int DuplicatesMerged { get; init; }
    /// <summary>Self-loops present in the file.</summary>
    public int SelfLoopsKept { get; init; }
    /// <summary>Ã = A + I.</summary>
    public float[][]? TildeAdjacency { get; init; }
    /// <summary>Â = D̃^−½ Ã D̃^−½, rounded to 3 decimals.</summary>
    public double[][]? NormalizedAdjacency { get; init; }
    /// <summary>Shortest hop counts (−1: unreachable).</summary>
    public int[][]? HopDistances { get; init; }
    /// <summary>The source node asked about.</summary>
    public string? From { get; init; }
    /// <summary>The target node.</summary>
    public string? To { get; init; }
    /// <summary>Hops from <see cref="From"/> to <see cref="To"/> (null: unreachable or not asked).</summary>
    public int? Hops { get; init; }
    /// <summary>GCN layers for information from <see cref="From"/> to reach <see cref="To"/>: one per hop.</summary>
    public int? GcnLayersNeeded { get; init; }
    /// <summary>True when <see cref="From"/> and <see cref="To"/> were given but no path joins them.</summary>
    public bool Unreachable { get; init; }
}
