using SeqGraph.Tensors;

namespace SeqGraph.Data;

/// <summary>
/// A graph on nodes 0..N−1 stored as a CSR adjacency matrix A: row i lists the nodes that send
/// messages to i (its in-neighbours), so an edge u → v is the entry A[v, u], of value 1 or, for a
/// weighted graph, the edge's weight. An undirected edge is stored in both directions. Memory is O(N + E); the normalised
/// adjacency Â and the structures the GCN/GAT kernels need are built once and cached.
/// </summary>
public sealed class SparseGraph
{
    /// <summary>Above this many nodes, dense views are refused (N² floats).</summary>
    public const int MaxDenseNodes = 8192;

    private CsrMatrix? _tilde, _normalized, _normalizedT;
    private EdgeTranspose? _tildeTranspose;

    /// <summary>Number of nodes.</summary>
    public int NumNodes { get; }

    /// <summary>A (no added self-loops): row i holds i's in-neighbours; values 1, or the edge weights.</summary>
    public CsrMatrix Adjacency { get; }

    /// <summary>True when the edges carry weights (built by <see cref="FromWeightedEdges"/>).</summary>
    public bool Weighted { get; }

    /// <summary>True when edges were taken as given (u → v only); false when both directions were added.</summary>
    public bool Directed { get; }

    /// <summary>Edges in the input that repeated an earlier one (in either direction for an undirected graph); they were merged.</summary>
    public int DuplicatesMerged { get; }

    /// <summary>Self-loops in the input that were kept (<see cref="SelfLoopPolicy.Keep"/>).</summary>
    public int SelfLoopsKept { get; }

    /// <summary>Self-loops in the input that were dropped (<see cref="SelfLoopPolicy.Drop"/>).</summary>
    public int SelfLoopsDropped { get; }

    /// <summary>Optional node names (from an edge list with names), index-aligned.</summary>
    public IReadOnlyList<string>? NodeNames { get; }

    /// <summary>Stored entries of A (directed entries; an undirected non-loop edge counts twice).</summary>
    public int DirectedEntries => Adjacency.Nnz;

    /// <summary>Distinct edges: undirected edges (a self-loop counts once) or directed ones.</summary>
    public int NumEdges => Directed ? Adjacency.Nnz : (Adjacency.Nnz + SelfLoopsKept) / 2;

    private SparseGraph(int n, CsrMatrix a, bool directed, bool weighted, int dup, int kept, int dropped, IReadOnlyList<string>? names)
    {
        (NumNodes, Adjacency, Directed, Weighted, DuplicatesMerged, SelfLoopsKept, SelfLoopsDropped, NodeNames) = (n, a, directed, weighted, dup, kept, dropped, names);
    }

    /// <summary>
    /// Builds a graph from (u, v) pairs. Undirected unless <paramref name="directed"/>; repeated
    /// edges are merged (and counted); self-loops follow <paramref name="selfLoops"/>.
    /// </summary>
    public static SparseGraph FromEdges(int numNodes, IEnumerable<(int U, int V)> edges, bool directed = false,
        SelfLoopPolicy selfLoops = SelfLoopPolicy.Keep, IReadOnlyList<string>? nodeNames = null)
    {
        ArgumentNullException.ThrowIfNull(edges);
        return Build(numNodes, edges.Select(e => (e.U, e.V, 1f)), directed, weighted: false, selfLoops, nodeNames);
    }

    /// <summary>
    /// Builds a weighted graph from (u, v, weight) triples: A[v, u] = weight (and A[u, v] too
    /// unless <paramref name="directed"/>). Weights must be finite and positive; an edge repeated
    /// with the same weight is merged (and counted), with a different weight it is an error.
    /// </summary>
    public static SparseGraph FromWeightedEdges(int numNodes, IEnumerable<(int U, int V, float Weight)> edges, bool directed = false,
        SelfLoopPolicy selfLoops = SelfLoopPolicy.Keep, IReadOnlyList<string>? nodeNames = null)
    {
        ArgumentNullException.ThrowIfNull(edges);
        return Build(numNodes, edges, directed, weighted: true, selfLoops, nodeNames);
    }

    private static SparseGraph Build(int numNodes, IEnumerable<(int U, int V, float W)> edges, bool directed, bool weighted,
        SelfLoopPolicy selfLoops, IReadOnlyList<string>? nodeNames)
    {
        if (numNodes < 0) throw new ArgumentOutOfRangeException(nameof(numNodes), "node count must not be negative");
        if (nodeNames is not null && nodeNames.Count != numNodes) throw new ArgumentException("one name per node needed", nameof(nodeNames));
        var keys = new List<(long Key, float W)>();
        int kept = 0, dropped = 0, listed = 0;
        foreach (var (u, v, w) in edges)
        {
            if ((uint)u >= (uint)numNodes || (uint)v >= (uint)numNodes)
                throw new ArgumentOutOfRangeException(nameof(edges), $"edge ({u}, {v}) names a node outside 0..{numNodes - 1}");
            if (!float.IsFinite(w) || w <= 0) throw new ArgumentOutOfRangeException(nameof(edges), $"edge ({u}, {v}) has weight {w}; weights must be positive and finite");
            if (u == v)
            {
                if (selfLoops == SelfLoopPolicy.Error) throw new ArgumentException($"self-loop on node {u}", nameof(edges));
                if (selfLoops == SelfLoopPolicy.Drop) { dropped++; continue; }
            }
            listed++;
            keys.Add(((long)v * numNodes + u, w));              // row = target v, column = source u
            if (!directed && u != v) keys.Add(((long)u * numNodes + v, w));
        }
        keys.Sort((a, b) => a.Key.CompareTo(b.Key));
        var rowPtr = new int[numNodes + 1];
        var cols = new List<int>(keys.Count);
        var values = new List<float>(keys.Count);
        long prev = -1;
        foreach (var (k, w) in keys)
        {
            int r = (int)(k / numNodes), c = (int)(k % numNodes);
            if (k == prev)
            {
                if (values[^1] != w) throw new ArgumentException($"edge ({c}, {r}) is given with weights {values[^1]} and {w}", nameof(edges));
                continue;
            }
            prev = k;
            cols.Add(c);
            values.Add(w);
            rowPtr[r + 1]++;
            if (r == c) kept++;
        }
        for (int r = 0; r < numNodes; r++) rowPtr[r + 1] += rowPtr[r];
        var a = new CsrMatrix(numNodes, numNodes, rowPtr, cols.ToArray(), values.ToArray());
        int distinct = directed ? a.Nnz : (a.Nnz + kept) / 2;
        return new SparseGraph(numNodes, a, directed, weighted, listed - distinct, kept, dropped, nodeNames);
    }

    /// <summary>Number of stored neighbours of each node (row counts of A; a kept self-loop counts once).</summary>
    public int[] Degrees()
    {
        var d = new int[NumNodes];
        for (int i = 0; i < NumNodes; i++) d[i] = Adjacency.RowPtr[i + 1] - Adjacency.RowPtr[i];
        return d;
    }

    /// <summary>Nodes with no neighbour at all.</summary>
    public int IsolatedNodes => Degrees().Count(d => d == 0);

    /// <summary>
    /// Ã = A + I as CSR (cached): every node gets exactly one self-loop entry; a node without one
    /// gets the value 1, a self-loop already in A keeps its value (1, or its weight), as PyTorch
    /// Geometric's add_remaining_self_loops. The other entries keep A's values.
    /// </summary>
    public CsrMatrix WithSelfLoops()
    {
        if (_tilde is not null) return _tilde;
        var a = Adjacency;
        var rowPtr = new int[NumNodes + 1];
        var cols = new int[a.Nnz + NumNodes];
        var values = new float[a.Nnz + NumNodes];
        int at = 0;
        for (int r = 0; r < NumNodes; r++)
        {
            bool placed = false;
            for (int e = a.RowPtr[r]; e < a.RowPtr[r + 1]; e++)
            {
                int c = a.ColIndex[e];
                if (!placed && c >= r)
                {
                    placed = true;
                    if (c == r) { values[at] = a.Values[e]; cols[at++] = r; continue; }
                    values[at] = 1f;
                    cols[at++] = r;
                }
                values[at] = a.Values[e];
                cols[at++] = c;
            }
            if (!placed) { values[at] = 1f; cols[at++] = r; }
            rowPtr[r + 1] = at;
        }
        Array.Resize(ref cols, at);
        Array.Resize(ref values, at);
        return _tilde = new CsrMatrix(NumNodes, NumNodes, rowPtr, cols, values);
    }

    /// <summary>
    /// Â = D̃^−½ Ã D̃^−½ with D̃ᵢᵢ = Σⱼ Ãᵢⱼ (row sums: in-degree + 1, or for a weighted graph the
    /// weighted in-degree + 1), so Âᵢⱼ = Ãᵢⱼ / √(D̃ᵢᵢ·D̃ⱼⱼ); kept sparse and cached.
    /// </summary>
    public CsrMatrix NormalizedAdjacency()
    {
        if (_normalized is not null) return _normalized;
        var t = WithSelfLoops();
        var inv = new float[NumNodes];
        for (int i = 0; i < NumNodes; i++)
        {
            // Row sums in double; for a binary graph they are the entry counts, exactly as before weights existed.
            double d = 0;
            for (int e = t.RowPtr[i]; e < t.RowPtr[i + 1]; e++) d += t.Values[e];
            inv[i] = 1f / MathF.Sqrt((float)d);
        }
        var values = new float[t.Nnz];
        for (int i = 0; i < NumNodes; i++)
            for (int e = t.RowPtr[i]; e < t.RowPtr[i + 1]; e++) values[e] = inv[i] * t.Values[e] * inv[t.ColIndex[e]];
        return _normalized = new CsrMatrix(NumNodes, NumNodes, t.RowPtr, t.ColIndex, values);
    }

    /// <summary>Âᵀ, cached; for an undirected graph Â is symmetric and this is the same object.</summary>
    public CsrMatrix NormalizedAdjacencyTransposed() =>
        _normalizedT ??= Directed ? NormalizedAdjacency().Transpose() : NormalizedAdjacency();

    /// <summary>The column-major view of Ã with each entry's position in Ã (cached; used by GAT's backward).</summary>
    internal EdgeTranspose SelfLoopTranspose() => _tildeTranspose ??= EdgeTranspose.Of(WithSelfLoops());

    /// <summary>A dense copy of a sparse N×N matrix of this graph; refused for large graphs.</summary>
    public Tensor Dense(CsrMatrix m)
    {
        if (NumNodes > MaxDenseNodes) throw new InvalidOperationException($"dense view refused: {NumNodes} nodes (limit {MaxDenseNodes})");
        return m.ToDense();
    }

    /// <summary>Hops on the shortest path from <paramref name="from"/> following edge directions; −1 when unreachable.</summary>
    public int HopDistance(int from, int to) => Bfs(from)[to];

    /// <summary>All-pairs hop counts (−1 = unreachable); for small graphs.</summary>
    public int[,] HopDistances()
    {
        if (NumNodes > MaxDenseNodes) throw new InvalidOperationException($"all-pairs distances refused: {NumNodes} nodes (limit {MaxDenseNodes})");
        var d = new int[NumNodes, NumNodes];
        for (int s = 0; s < NumNodes; s++)
        {
            var row = Bfs(s);
            for (int t = 0; t < NumNodes; t++) d[s, t] = row[t];
        }
        return d;
    }

    /// <summary>Breadth-first hop counts from a source along u → v edges (A[v, u] = 1), −1 when unreachable.</summary>
    private int[] Bfs(int source)
    {
        if ((uint)source >= (uint)NumNodes) throw new ArgumentOutOfRangeException(nameof(source));
        // Out-neighbours of u are the rows v with A[v, u] = 1: the columns of Aᵀ's row u.
        var outAdj = Directed ? Adjacency.Transpose() : Adjacency;
        var dist = new int[NumNodes];
        Array.Fill(dist, -1);
        var queue = new Queue<int>();
        dist[source] = 0;
        queue.Enqueue(source);
        while (queue.Count > 0)
        {
            int u = queue.Dequeue();
            for (int e = outAdj.RowPtr[u]; e < outAdj.RowPtr[u + 1]; e++)
            {
                int v = outAdj.ColIndex[e];
                if (dist[v] >= 0) continue;
                dist[v] = dist[u] + 1;
                queue.Enqueue(v);
            }
        }
        return dist;
    }
}
