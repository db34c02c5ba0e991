using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Nn;

/// <summary>y = x·Wᵀ + b (PyTorch's nn.Linear, same default initialisation).</summary>
public sealed class Linear : Module
{
    /// <summary>[out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>[out], or null without bias.</summary>
    public Tensor? Bias { get; }

    /// <summary>Creates the layer; weights and bias ~ U(−1/√in, 1/√in) as in PyTorch.</summary>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), "sizes must be positive");
        float bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Uniform(rng, -bound, bound, outFeatures, inFeatures));
        if (bias) Bias = RegisterParameter("bias", Tensor.Uniform(rng, -bound, bound, outFeatures));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias);
}
