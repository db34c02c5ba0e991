using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Nn;

/// <summary>Applies an <see cref="InitScheme"/> to a weight matrix.</summary>
public static class InitSchemes
{
    /// <summary>Re-initialises <paramref name="w"/> with <paramref name="scheme"/>; Default leaves it as the layer set it.</summary>
    public static void Apply(Tensor w, InitScheme scheme, Rng rng)
    {
        switch (scheme)
        {
            case InitScheme.Default: break;
            case InitScheme.XavierUniform: Init.XavierUniform(w, rng); break;
            case InitScheme.XavierNormal: Init.XavierNormal(w, rng); break;
            case InitScheme.KaimingUniform: Init.KaimingUniform(w, rng, nonlinearity: "relu"); break;
            case InitScheme.KaimingNormal: Init.KaimingNormal(w, rng, nonlinearity: "relu"); break;
            case InitScheme.Normal: Init.Normal(w, rng); break;
            case InitScheme.Zeros: Init.Zeros(w); break;
            default: throw new ArgumentOutOfRangeException(nameof(scheme));
        }
    }
}
