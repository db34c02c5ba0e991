using SeqGraph.Tensors;

namespace SeqGraph.Optim;

/// <summary>
/// AdamW following <c>torch.optim.AdamW</c> (torch 1.13, non-fused): first θ ← θ·(1 − lr·wd)
/// (decoupled weight decay, the factor formed in double), then the <see cref="Adam"/> update
/// without any L2 term in the gradient. Default weight decay 0.01 as in PyTorch.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer. Hyperparameters other than lr are doubles like PyTorch's Python floats.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">Step size lr.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="eps">Term added to the denominator after the square root.</param>
    /// <param name="weightDecay">Decoupled weight decay coefficient.</param>
    /// <param name="amsGrad">Use the AMSGrad variant.</param>
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, double beta1 = 0.9, double beta2 = 0.999,
                 double eps = 1e-8, double weightDecay = 1e-2, bool amsGrad = false)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay, amsGrad, decoupledWeightDecay: true)
    {
    }
}
