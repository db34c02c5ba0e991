using SeqGraph.Tensors;

namespace SeqGraph.Optim;

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
