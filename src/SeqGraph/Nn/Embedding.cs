using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Nn;

/// <summary>A lookup table of vectors (PyTorch's nn.Embedding, weights ~ N(0, 1)).</summary>
public sealed class Embedding : Module
{
    /// <summary>[count, dim].</summary>
    public Tensor Weight { get; }

    /// <summary>Creates the table.</summary>
    public Embedding(int count, int dim, Rng rng)
    {
        if (count <= 0 || dim <= 0) throw new ArgumentOutOfRangeException(nameof(count), "sizes must be positive");
        Weight = RegisterParameter("weight", Tensor.Normal(rng, 0f, 1f, count, dim));
    }

    /// <summary>Looks up rows: result shape is <paramref name="shape"/> + [dim].</summary>
    public Tensor Forward(ReadOnlySpan<int> indices, params int[] shape) => Ops.Gather(Weight, indices, shape);
}
