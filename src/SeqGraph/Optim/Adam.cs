using System.Runtime.Intrinsics;
using SeqGraph.Tensors;

namespace SeqGraph.Optim;

/// <summary>
/// Adam following the non-fused implementation of <c>torch.optim.Adam</c> (torch 1.13), with L2
/// weight decay added to the gradient:
/// g ← g + wd·θ; m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
/// θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps), where t is the parameter's own update
/// count and the bias-correction scalars are computed in double. With amsgrad, the running maximum
/// of v replaces v in the denominator.
/// State buffers: <c>exp_avg</c>, <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c> (amsgrad).
/// </summary>
public class Adam : Optimizer
{
    private const int ExpAvg = 0, ExpAvgSq = 1, MaxExpAvgSq = 2;
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer. Hyperparameters other than lr are doubles like PyTorch's Python floats.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">Step size lr.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="eps">Term added to the denominator after the square root.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="amsGrad">Use the AMSGrad variant.</param>
    public Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, double beta1 = 0.9, double beta2 = 0.999,
                double eps = 1e-8, double weightDecay = 0, bool amsGrad = false)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, amsGrad, decoupledWeightDecay: false)
    {
    }

    /// <summary>
    /// For subclasses: <paramref name="decoupledWeightDecay"/> selects AdamW's θ ← θ·(1 − lr·wd)
    /// applied before the moment update instead of the L2 term in the gradient.
    /// </summary>
    protected Adam(IEnumerable<Tensor> parameters, float learningRate, double beta1, double beta2, double eps,
                   double weightDecay, bool amsGrad, bool decoupledWeightDecay)
        : base(parameters, learningRate, "exp_avg", "exp_avg_sq", "max_exp_avg_sq")
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), $"invalid beta1 {beta1}");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), $"invalid beta2 {beta2}");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = NonNegative(eps);
        WeightDecay = NonNegative(weightDecay);
        AmsGrad = amsGrad;
        _decoupled = decoupledWeightDecay;
    }

    /// <summary>Decay β1 of the first-moment average.</summary>
    public double Beta1 { get; }

    /// <summary>Decay β2 of the second-moment average.</summary>
    public double Beta2 { get; }

    /// <summary>Denominator epsilon.</summary>
    public double Eps { get; }

    /// <summary>Weight decay: an L2 term in the gradient for <see cref="Adam"/>, decoupled for <see cref="AdamW"/>.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the AMSGrad variant is used.</summary>
    public bool AmsGrad { get; }

    /// <inheritdoc />
    protected override bool UsesBuffer(int kind) => kind is ExpAvg or ExpAvgSq || (kind == MaxExpAvgSq && AmsGrad);

    /// <inheritdoc />
    protected override void Update(int index, Span<float> param, ReadOnlySpan<float> grad, long step)
    {
        double lr = LearningRate;
        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, step);
        float negStepSize = (float)-(lr / biasCorrection1);
        float bc2Sqrt = (float)Math.Sqrt(biasCorrection2);
        float beta1 = (float)Beta1, beta2 = (float)Beta2;
        float oneMinusBeta1 = (float)(1 - Beta1), oneMinusBeta2 = (float)(1 - Beta2);
        float eps = (float)Eps;
        float l2 = _decoupled ? 0f : (float)WeightDecay;
        float decay = _decoupled ? (float)(1 - lr * WeightDecay) : 1f;

        Span<float> mBuf = Buffer(ExpAvg, index);
        Span<float> vBuf = Buffer(ExpAvgSq, index);
        Span<float> vMaxBuf = AmsGrad ? Buffer(MaxExpAvgSq, index) : default;
        if (Vector512.IsHardwareAccelerated && !_decoupled && l2 == 0 && !AmsGrad)
        {
            PlainStep(param, grad, mBuf, vBuf, beta1, oneMinusBeta1, beta2, oneMinusBeta2, bc2Sqrt, eps, negStepSize);
            return;
        }
        Span<float> g = stackalloc float[ChunkSize];
        Span<float> t = stackalloc float[ChunkSize];
        Span<float> denom = stackalloc float[ChunkSize];
        for (int off = 0; off < param.Length; off += ChunkSize)
        {
            int n = Math.Min(ChunkSize, param.Length - off);
            var p = param.Slice(off, n);
            var gc = g[..n];
            var tc = t[..n];
            var dc = denom[..n];
            if (_decoupled && WeightDecay != 0) TensorPrimitives.Multiply(p, decay, p);
            GradientWithL2(p, l2, grad.Slice(off, n), gc);

            var m = mBuf.Slice(off, n);
            TensorPrimitives.Multiply(m, beta1, m);
            TensorPrimitives.MultiplyAdd(gc, oneMinusBeta1, m, m);
            var v = vBuf.Slice(off, n);
            TensorPrimitives.Multiply(v, beta2, v);
            TensorPrimitives.Multiply(gc, oneMinusBeta2, tc);
            TensorPrimitives.MultiplyAdd(tc, gc, v, v);
            if (AmsGrad)
            {
                var vMax = vMaxBuf.Slice(off, n);
                TensorPrimitives.Max(vMax, v, vMax);
                TensorPrimitives.Sqrt(vMax, dc);
            }
            else TensorPrimitives.Sqrt(v, dc);
            TensorPrimitives.Divide(dc, bc2Sqrt, dc);
            TensorPrimitives.Add(dc, eps, dc);

            TensorPrimitives.Multiply(m, negStepSize, tc);
            TensorPrimitives.Divide(tc, dc, tc);
            TensorPrimitives.Add(p, tc, p);
        }
    }

    /// <summary>
    /// The plain update (no weight decay, no amsgrad) in one pass over the buffers instead of a dozen:
    /// exactly the operations of the general path, in the same order, each rounded separately.
    /// </summary>
    private static void PlainStep(Span<float> param, ReadOnlySpan<float> grad, Span<float> mBuf, Span<float> vBuf,
        float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float bc2Sqrt, float eps, float negStepSize)
    {
        int n = param.Length, i = 0;
        var b1 = Vector512.Create(beta1);
        var c1 = Vector512.Create(oneMinusBeta1);
        var b2 = Vector512.Create(beta2);
        var c2 = Vector512.Create(oneMinusBeta2);
        var bc = Vector512.Create(bc2Sqrt);
        var ep = Vector512.Create(eps);
        var st = Vector512.Create(negStepSize);
        for (; i <= n - 16; i += 16)
        {
            var g = Vector512.Create(grad[i..]);
            var m = g * c1 + Vector512.Create<float>(mBuf[i..]) * b1;
            var v = (g * c2) * g + Vector512.Create<float>(vBuf[i..]) * b2;
            var d = Vector512.Sqrt(v) / bc + ep;
            m.CopyTo(mBuf[i..]);
            v.CopyTo(vBuf[i..]);
            (Vector512.Create<float>(param[i..]) + (m * st) / d).CopyTo(param[i..]);
        }
        for (; i < n; i++)
        {
            float g = grad[i];
            float m = g * oneMinusBeta1 + mBuf[i] * beta1;
            float v = (g * oneMinusBeta2) * g + vBuf[i] * beta2;
            float d = MathF.Sqrt(v) / bc2Sqrt + eps;
            (mBuf[i], vBuf[i]) = (m, v);
            param[i] += (m * negStepSize) / d;
        }
    }
}
