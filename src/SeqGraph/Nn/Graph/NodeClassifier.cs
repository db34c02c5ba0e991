using SeqGraph.Autograd;
using SeqGraph.Random;
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

/// <summary>
/// Kipf &amp; Welling's 2-layer GCN: dropout → GcnConv → ReLU → dropout → GcnConv. Weight decay
/// applies to the first layer only, as in the paper's code.
/// </summary>
public sealed class Gcn : NodeClassifier
{
    private readonly Rng _rng;

    /// <summary>Input → hidden.</summary>
    public GcnConv Conv1 { get; }

    /// <summary>Hidden → classes.</summary>
    public GcnConv Conv2 { get; }

    /// <summary>Dropout on the input features and on the hidden layer.</summary>
    public float Dropout { get; }

    /// <summary>Creates the model; <paramref name="rng"/> initialises weights and draws dropout masks.</summary>
    public Gcn(int inFeatures, int hidden, int classes, float dropout, Rng rng)
    {
        if (dropout < 0 || dropout >= 1) throw new ArgumentOutOfRangeException(nameof(dropout), "dropout probability must be in [0, 1)");
        _rng = rng;
        Dropout = dropout;
        Conv1 = RegisterModule("conv1", new GcnConv(inFeatures, hidden, rng));
        Conv2 = RegisterModule("conv2", new GcnConv(hidden, classes, rng));
    }

    /// <inheritdoc />
    public override Tensor Forward(SparseGraph graph, CsrMatrix features)
    {
        var x = GraphOps.Dropout(features, Dropout, Training, _rng);
        var z = Conv1.Forward(graph, x);
        // In evaluation the hidden layer is ReLU(z); in training ReLU and dropout are one fused op.
        var h = GraphOps.ReluDropout(z, Dropout, Training, _rng);
        LastHidden = Training ? null : h;
        return Conv2.Forward(graph, h);
    }

    /// <inheritdoc />
    public override IEnumerable<Tensor> DecayedParameters() => Conv1.Parameters();
}

/// <summary>
/// Veličković et al.'s 2-layer GAT for transductive node classification: dropout → GatConv
/// (H heads × F, concatenated, attention dropout) → ELU → dropout → GatConv (classes, output
/// heads averaged). Weight decay applies to every parameter, as in the paper's code.
/// </summary>
public sealed class Gat : NodeClassifier
{
    private readonly Rng _rng;

    /// <summary>Input → heads × hidden (concatenated).</summary>
    public GatConv Conv1 { get; }

    /// <summary>heads × hidden → classes (heads averaged).</summary>
    public GatConv Conv2 { get; }

    /// <summary>Dropout on inputs, the hidden layer and attention coefficients.</summary>
    public float Dropout { get; }

    /// <summary>Creates the model.</summary>
    public Gat(int inFeatures, int hidden, int heads, int classes, float dropout, Rng rng, int outputHeads = 1)
    {
        if (dropout < 0 || dropout >= 1) throw new ArgumentOutOfRangeException(nameof(dropout), "dropout probability must be in [0, 1)");
        _rng = rng;
        Dropout = dropout;
        Conv1 = RegisterModule("conv1", new GatConv(inFeatures, hidden, rng, heads, concat: true, attentionDropout: dropout));
        Conv2 = RegisterModule("conv2", new GatConv(heads * hidden, classes, rng, outputHeads, concat: false, attentionDropout: dropout));
    }

    /// <inheritdoc />
    public override Tensor Forward(SparseGraph graph, CsrMatrix features)
    {
        var x = GraphOps.Dropout(features, Dropout, Training, _rng);
        var h = Ops.Elu(Conv1.Forward(graph, x));
        LastHidden = h;
        h = Ops.Dropout(h, Dropout, Training, _rng);
        return Conv2.Forward(graph, h);
    }

    /// <inheritdoc />
    public override IEnumerable<Tensor> DecayedParameters() => Parameters();
}
