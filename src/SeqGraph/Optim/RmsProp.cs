using SeqGraph.Tensors;

namespace SeqGraph.Optim;

/// <summary>
/// RMSprop following <c>torch.optim.RMSprop</c> exactly (defaults as in PyTorch):
/// g ← g + wd·θ; v ← α·v + (1 − α)·g²; centered: ĝ ← α·ĝ + (1 − α)·g and the denominator is
/// √(v − ĝ²) + eps, otherwise √v + eps (eps added after the square root); with momentum,
/// b ← μ·b + g/denominator and θ ← θ − lr·b, otherwise θ ← θ − lr·g/denominator.
/// All buffers start at zero. State buffers: <c>square_avg</c>, <c>momentum_buffer</c> (momentum &gt; 0),
/// <c>grad_avg</c> (centered).
/// </summary>
public sealed class RmsProp : Optimizer
{
    private const int SquareAvg = 0, MomentumBuffer = 1, GradAvg = 2;

    /// <summary>Creates the optimizer. Hyperparameters other than lr are doubles like PyTorch's Python floats and are
    /// rounded to float32 where PyTorch rounds them (1 − α is formed in double first).</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">Step size lr.</param>
    /// <param name="alpha">Smoothing constant α of the squared-gradient average.</param>
    /// <param name="eps">Term added to the denominator after the square root.</param>
    /// <param name="weightDecay">L2 penalty wd added to the gradient.</param>
    /// <param name="momentum">Momentum factor μ.</param>
    /// <param name="centered">Normalise by an estimate of the gradient's variance instead of its second moment.</param>
    public RmsProp(IEnumerable<Tensor> parameters, float learningRate = 1e-2f, double alpha = 0.99, double eps = 1e-8,
                   double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, learningRate, "square_avg", "momentum_buffer", "grad_avg")
    {
        Alpha = NonNegative(alpha);
        Eps = NonNegative(eps);
        WeightDecay = NonNegative(weightDecay);
        Momentum = NonNegative(momentum);
        Centered = centered;
    }

    /// <summary>Smoothing constant α.</summary>
    public double Alpha { get; }

    /// <summary>Denominator epsilon.</summary>
    public double Eps { get; }

    /// <summary>L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the centered variant is used.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    protected override bool UsesBuffer(int kind) => kind switch
    {
        SquareAvg => true,
        MomentumBuffer => Momentum > 0,
        GradAvg => Centered,
        _ => false,
    };

    /// <inheritdoc />
    protected override void Update(int index, Span<float> param, ReadOnlySpan<float> grad, long step)
    {
        float lr = LearningRate, negLr = -lr;
        float wd = (float)WeightDecay, alpha = (float)Alpha, eps = (float)Eps, mu = (float)Momentum;
        float oneMinusAlpha = (float)(1.0 - Alpha);
        Span<float> sq = Buffer(SquareAvg, index);
        bool useMomentum = Momentum > 0;
        Span<float> buf = useMomentum ? Buffer(MomentumBuffer, index) : default;
        Span<float> gAvg = Centered ? Buffer(GradAvg, index) : default;
        Span<float> g = stackalloc float[ChunkSize];
        Span<float> t = stackalloc float[ChunkSize];
        Span<float> avg = stackalloc float[ChunkSize];
        for (int off = 0; off < param.Length; off += ChunkSize)
        {
            int n = Math.Min(ChunkSize, param.Length - off);
            var p = param.Slice(off, n);
            var gc = g[..n];
            var tc = t[..n];
            var ac = avg[..n];
            GradientWithL2(p, wd, grad.Slice(off, n), gc);

            var v = sq.Slice(off, n);
            TensorPrimitives.Multiply(v, alpha, v);
            TensorPrimitives.Multiply(gc, oneMinusAlpha, tc);
            TensorPrimitives.MultiplyAdd(tc, gc, v, v);
            if (Centered)
            {
                var ga = gAvg.Slice(off, n);
                TensorPrimitives.Multiply(ga, alpha, ga);
                TensorPrimitives.MultiplyAdd(gc, oneMinusAlpha, ga, ga);
                TensorPrimitives.Multiply(ga, ga, tc);
                TensorPrimitives.Subtract(v, tc, ac);
                TensorPrimitives.Sqrt(ac, ac);
            }
            else TensorPrimitives.Sqrt(v, ac);
            TensorPrimitives.Add(ac, eps, ac);

            if (useMomentum)
            {
                var b = buf.Slice(off, n);
                TensorPrimitives.Divide(gc, ac, tc);
                TensorPrimitives.Multiply(b, mu, b);
                TensorPrimitives.Add(b, tc, b);
                TensorPrimitives.MultiplyAdd(b, negLr, p, p);
            }
            else
            {
                TensorPrimitives.Multiply(gc, negLr, tc);
                TensorPrimitives.Divide(tc, ac, tc);
                TensorPrimitives.Add(p, tc, p);
            }
        }
    }
}
