using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Data;

namespace SeqGraph.Nn.Graph;

/// <summary>
/// Graph convolution of Kipf &amp; Welling: H' = Â·H·W + b with Â = D̃^−½(A + I)D̃^−½, computed as
/// one fused op (<see cref="GraphOps.GcnConv(SparseGraph, Tensor, Tensor, Tensor?)"/>). The weight
/// is stored [in, out] as in the paper's code; Glorot-uniform weight and zero bias by default.
/// </summary>
public sealed class GcnConv : Module
{
    /// <summary>[in, out].</summary>
    public Tensor Weight { get; }

    /// <summary>[out], or null without bias.</summary>
    public Tensor? Bias { get; }

    /// <summary>Input features.</summary>
    public int InFeatures => Weight.Shape[0];

    /// <summary>Output features.</summary>
    public int OutFeatures => Weight.Shape[1];

    /// <summary>Creates the layer with Glorot-uniform weights and a zero bias.</summary>
    public GcnConv(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), "sizes must be positive");
        // Fans of a [in, out] matrix are symmetric in Glorot's formula, so Init.XavierUniform applies as is.
        Weight = RegisterParameter("weight", Tensor.Zeros(inFeatures, outFeatures));
        Init.XavierUniform(Weight, rng);
        if (bias) Bias = RegisterParameter("bias", Tensor.Zeros(outFeatures));
    }

    /// <summary>Â·X·W + b for dense node features X [N, in].</summary>
    public Tensor Forward(SparseGraph graph, Tensor x) => GraphOps.GcnConv(graph, x, Weight, Bias);

    /// <summary>Â·X·W + b for constant sparse node features X [N, in] (e.g. bag-of-words).</summary>
    public Tensor Forward(SparseGraph graph, CsrMatrix x) => GraphOps.GcnConv(graph, x, Weight, Bias);
}
