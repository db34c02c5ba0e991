namespace SeqGraph.Training;

/// <summary>The node classifiers of <c>graph train</c>.</summary>
public enum GraphModel
{
    /// <summary>2-layer GCN (Kipf and Welling, 2017).</summary>
    Gcn,
    /// <summary>2-layer GAT (Veličković et al., 2018).</summary>
    Gat,
}
