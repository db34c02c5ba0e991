using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Data;

namespace SeqGraph.Nn.Graph;

/// <summary>
/// Graph attention layer (Veličković et al., 2018): per head, Wh = X·W, attention
/// α_ij = softmax_j(LeakyReLU(aᵀ[Wh_i ‖ Wh_j])) over each node's neighbours and itself, output
/// Σ_j α_ij·Wh_j; heads concatenated or averaged, then a bias. Parameters follow PyTorch
/// Geometric's GATConv (glorot weights and attention vectors, zero bias), with the weight stored
/// [in, heads·out] and the attention vectors as <c>att_src</c>, <c>att_dst</c> [heads, out].
/// </summary>
public sealed class GatConv : Module
{
    private readonly Rng _rng;

    /// <summary>[in, heads·out].</summary>
    public Tensor Weight { get; }

    /// <summary>a for the neighbour j (the second half of a), [heads, out].</summary>
    public Tensor AttSrc { get; }

    /// <summary>a for the receiving node i (the first half of a), [heads, out].</summary>
    public Tensor AttDst { get; }

    /// <summary>[heads·out] when concatenating, else [out]; null without bias.</summary>
    public Tensor? Bias { get; }

    /// <summary>Number of attention heads.</summary>
    public int Heads { get; }

    /// <summary>Features per head.</summary>
    public int OutPerHead { get; }

    /// <summary>Concatenate heads (true) or average them (false).</summary>
    public bool Concat { get; }

    /// <summary>Dropout on the attention coefficients in training.</summary>
    public float AttentionDropout { get; }

    /// <summary>LeakyReLU slope for negative scores (0.2 in the paper).</summary>
    public float NegativeSlope { get; }

    /// <summary>Output width: heads·out when concatenating, else out.</summary>
    public int OutFeatures => Concat ? Heads * OutPerHead : OutPerHead;

    /// <summary>Creates the layer.</summary>
    public GatConv(int inFeatures, int outPerHead, Rng rng, int heads = 1, bool concat = true,
        float attentionDropout = 0f, float negativeSlope = 0.2f, bool bias = true)
    {
        if (inFeatures <= 0 || outPerHead <= 0 || heads <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), "sizes and heads must be positive");
        if (attentionDropout < 0 || attentionDropout >= 1) throw new ArgumentOutOfRangeException(nameof(attentionDropout), "dropout probability must be in [0, 1)");
        (Heads, OutPerHead, Concat, AttentionDropout, NegativeSlope, _rng) = (heads, outPerHead, concat, attentionDropout, negativeSlope, rng);
        Weight = RegisterParameter("weight", Tensor.Zeros(inFeatures, heads * outPerHead));
        Init.XavierUniform(Weight, rng);
        AttSrc = RegisterParameter("att_src", Tensor.Zeros(heads, outPerHead));
        AttDst = RegisterParameter("att_dst", Tensor.Zeros(heads, outPerHead));
        // Glorot on a [1, heads, out] tensor as PyG does: fan_in = heads·out, fan_out = out.
        float a = MathF.Sqrt(6f / (heads * outPerHead + outPerHead));
        Init.Uniform(AttSrc, rng, -a, a);
        Init.Uniform(AttDst, rng, -a, a);
        if (bias) Bias = RegisterParameter("bias", Tensor.Zeros(OutFeatures));
    }

    /// <summary>Attention over dense node features X [N, in].</summary>
    public Tensor Forward(SparseGraph graph, Tensor x) => Attend(graph, Ops.MatMul(x, Weight));

    /// <summary>Attention over constant sparse node features X [N, in].</summary>
    public Tensor Forward(SparseGraph graph, CsrMatrix x) => Attend(graph, GraphOps.SparseMatMul(x, Weight));

    /// <summary>
    /// The attention coefficients this layer applies to dense input X [N, in] in evaluation:
    /// α[e·<see cref="Heads"/> + k] for entry e of <see cref="SparseGraph.WithSelfLoops"/> and head k
    /// (see <see cref="GraphOps.GatCoefficients"/>). No tape; refused in training, where dropout changes them.
    /// </summary>
    public float[] AttentionCoefficients(SparseGraph graph, Tensor x)
    {
        if (Training) throw new InvalidOperationException("attention coefficients are read in evaluation mode (call Eval() first)");
        using var _ = Tape.NoGrad();
        return GraphOps.GatCoefficients(graph, Ops.MatMul(x, Weight), AttSrc, AttDst, NegativeSlope);
    }

    /// <summary>The attention coefficients for constant sparse node features X [N, in]; see the dense overload.</summary>
    public float[] AttentionCoefficients(SparseGraph graph, CsrMatrix x)
    {
        if (Training) throw new InvalidOperationException("attention coefficients are read in evaluation mode (call Eval() first)");
        using var _ = Tape.NoGrad();
        return GraphOps.GatCoefficients(graph, GraphOps.SparseMatMul(x, Weight), AttSrc, AttDst, NegativeSlope);
    }

    private Tensor Attend(SparseGraph graph, Tensor wh)
    {
        var y = GraphOps.GatAttention(graph, wh, AttSrc, AttDst, Concat, NegativeSlope, AttentionDropout, Training, _rng);
        return Bias is null ? y : Ops.Add(y, Bias);
    }
}
