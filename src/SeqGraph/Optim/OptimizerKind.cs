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
