namespace SeqGraph.Experiments.Graph;

/// <summary>One incoming edge j → i of a node in the graph view (or the node's own self-loop).</summary>
/// <param name="Node">The neighbour's index j.</param>
/// <param name="Id">Its id in the data.</param>
/// <param name="Label">Its true class (model class index), −1 without a label.</param>
/// <param name="Predicted">Its predicted class.</param>
/// <param name="Weight">GCN: the normalised adjacency entry Â_ij the layers aggregate with; null for GAT.</param>
/// <param name="Attention">GAT: α_ij per layer and head ([layer][head]); null for GCN.</param>
/// <param name="MeanAttention">GAT: α_ij per layer averaged over its heads; null for GCN.</param>
public sealed record GraphNeighbour(int Node, string Id, int Label, int Predicted, double? Weight, float[][]? Attention, float[]? MeanAttention);
