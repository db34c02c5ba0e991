namespace SeqGraph.Experiments.Graph;

/// <summary>A node of the graph view with its incoming edges (<see cref="GraphViewResult.Neighbours"/>).</summary>
/// <param name="Node">The node's index.</param>
/// <param name="Id">Its id in the data.</param>
/// <param name="Label">Its true class (model class index), −1 without a label.</param>
/// <param name="Predicted">Its predicted class.</param>
/// <param name="Split">"train", "val", "test" or "".</param>
/// <param name="Degree">Its neighbours in the data (the row count of A).</param>
/// <param name="Self">The weight or attention of its own self-loop (every layer adds one), which with the neighbours' sums to 1 for GAT.</param>
/// <param name="Neighbours">Its neighbours j (edges j → i), in the data's order.</param>
public sealed record GraphNodeNeighbours(int Node, string Id, int Label, int Predicted, string Split, int Degree, GraphNeighbour Self, IReadOnlyList<GraphNeighbour> Neighbours);
