using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Data;

namespace SeqGraph.Nn.Graph;

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
