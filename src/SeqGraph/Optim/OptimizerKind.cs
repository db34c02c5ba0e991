using SeqGraph.Tensors;

namespace SeqGraph.Optim;

/// <summary>The optimizers a training config can name.</summary>
public enum OptimizerKind
{
    /// <summary><see cref="Optim.RmsProp"/> (alpha 0.99, as PyTorch).</summary>
    Rmsprop,
    /// <summary><see cref="Optim.Adam"/> (betas 0.9, 0.999).</summary>
    Adam,
    /// <summary><see cref="Optim.Sgd"/>.</summary>
    Sgd,
}

/// <summary>Builds the optimizer an <see cref="OptimizerKind"/> names.</summary>
public static class OptimizerFactory
{
    /// <summary>The optimizer over <paramref name="parameters"/>; momentum applies to RMSprop and SGD.</summary>
    public static Optimizer Create(OptimizerKind kind, IEnumerable<Tensor> parameters, float learningRate, float momentum = 0) => kind switch
    {
        OptimizerKind.Adam => new Adam(parameters, learningRate),
        OptimizerKind.Rmsprop => new RmsProp(parameters, learningRate, momentum: momentum),
        OptimizerKind.Sgd => new Sgd(parameters, learningRate, momentum: momentum),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown optimizer"),
    };
}
