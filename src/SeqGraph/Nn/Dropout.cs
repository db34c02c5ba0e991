using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Nn;

/// <summary>Inverted dropout, active in training mode only.</summary>
public sealed class Dropout : Module
{
    private readonly Rng _rng;

    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    /// <summary>Creates the layer.</summary>
    public Dropout(float p, Rng rng)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), "dropout probability must be in [0, 1)");
        (P, _rng) = (p, rng);
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => Ops.Dropout(x, P, Training, _rng);
}
