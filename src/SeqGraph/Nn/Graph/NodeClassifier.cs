using SeqGraph.Tensors;
using SeqGraph.Data;

namespace SeqGraph.Nn.Graph;

/// <summary>A node classifier: node features and a graph in, one row of class logits per node out.</summary>
public abstract class NodeClassifier : Module
{
    /// <summary>Class logits [N, classes] for sparse node features [N, in].</summary>
    public abstract Tensor Forward(SparseGraph graph, CsrMatrix features);

    /// <summary>The parameters that receive weight decay (the papers' choice differs per model).</summary>
    public abstract IEnumerable<Tensor> DecayedParameters();

    /// <summary>The hidden-layer node representations of the last forward pass (for pictures), or null.</summary>
    public Tensor? LastHidden { get; protected set; }
}
