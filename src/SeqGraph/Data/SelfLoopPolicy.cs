namespace SeqGraph.Data;

/// <summary>What <see cref="SparseGraph.FromEdges"/> does with an edge from a node to itself.</summary>
public enum SelfLoopPolicy
{
    /// <summary>Keep it as an entry A[i, i] = 1 (it still counts once in Ã = A + I, see <see cref="SparseGraph.WithSelfLoops"/>).</summary>
    Keep,
    /// <summary>Drop it (counted in <see cref="SparseGraph.SelfLoopsDropped"/>).</summary>
    Drop,
    /// <summary>Reject the edge list.</summary>
    Error,
}
