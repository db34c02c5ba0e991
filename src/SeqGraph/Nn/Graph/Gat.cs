using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Data;

namespace SeqGraph.Nn.Graph;

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

    /// <summary>
    /// Both layers' attention coefficients in evaluation, [layer][e·heads + k] over the entries e of
    /// <see cref="SparseGraph.WithSelfLoops"/> (see <see cref="GatConv.AttentionCoefficients(SparseGraph, CsrMatrix)"/>);
    /// the second layer reads the first one's output as <see cref="Forward"/> does.
    /// </summary>
    public float[][] AttentionCoefficients(SparseGraph graph, CsrMatrix features)
    {
        if (Training) throw new InvalidOperationException("attention coefficients are read in evaluation mode (call Eval() first)");
        using var _ = Tape.NoGrad();
        var first = Conv1.AttentionCoefficients(graph, features);
        var h = Ops.Elu(Conv1.Forward(graph, features));
        return [first, Conv2.AttentionCoefficients(graph, h)];
    }

    /// <inheritdoc />
    public override IEnumerable<Tensor> DecayedParameters() => Parameters();
}
