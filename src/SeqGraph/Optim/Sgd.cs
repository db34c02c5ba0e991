using SeqGraph.Tensors;

namespace SeqGraph.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, L2 weight decay and Nesterov
/// momentum, following <c>torch.optim.SGD</c> exactly:
/// g ← g + wd·θ; with momentum, b ← g on a parameter's first update, else b ← μ·b + (1 − dampening)·g,
/// then g ← g + μ·b (Nesterov) or g ← b; finally θ ← θ − lr·g.
/// State buffer: <c>momentum_buffer</c> (only when momentum ≠ 0).
/// </summary>
public sealed class Sgd : Optimizer
{
    private const int MomentumBuffer = 0;

    /// <summary>Creates the optimizer. Hyperparameters other than lr are doubles like PyTorch's Python floats and are
    /// rounded to float32 where PyTorch rounds them (1 − dampening is formed in double first). Nesterov requires momentum &gt; 0 and zero dampening, as in PyTorch.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">Step size lr (no default, as in PyTorch).</param>
    /// <param name="momentum">Momentum factor μ.</param>
    /// <param name="dampening">Dampening of the gradient added to the momentum buffer.</param>
    /// <param name="weightDecay">L2 penalty wd added to the gradient.</param>
    /// <param name="nesterov">Use Nesterov momentum.</param>
    public Sgd(IEnumerable<Tensor> parameters, float learningRate, double momentum = 0, double dampening = 0,
               double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate, "momentum_buffer")
    {
        Momentum = NonNegative(momentum);
        if (!double.IsFinite(dampening)) throw new ArgumentOutOfRangeException(nameof(dampening), $"invalid dampening {dampening}");
        Dampening = dampening;
        WeightDecay = NonNegative(weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Dampening for momentum.</summary>
    public double Dampening { get; }

    /// <summary>L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override bool UsesBuffer(int kind) => kind == MomentumBuffer && Momentum != 0;

    /// <inheritdoc />
    protected override void Update(int index, Span<float> param, ReadOnlySpan<float> grad, long step)
    {
        float negLr = -LearningRate;
        float wd = (float)WeightDecay, mu = (float)Momentum;
        float keep = (float)(1.0 - Dampening);
        bool useMomentum = Momentum != 0;
        bool firstMomentum = useMomentum && !HasBuffer(MomentumBuffer, index);
        Span<float> buf = useMomentum ? Buffer(MomentumBuffer, index) : default;
        Span<float> g = stackalloc float[ChunkSize];
        Span<float> d = stackalloc float[ChunkSize];
        for (int off = 0; off < param.Length; off += ChunkSize)
        {
            int n = Math.Min(ChunkSize, param.Length - off);
            var p = param.Slice(off, n);
            var gc = g[..n];
            GradientWithL2(p, wd, grad.Slice(off, n), gc);

            ReadOnlySpan<float> direction = gc;
            if (useMomentum)
            {
                var b = buf.Slice(off, n);
                if (firstMomentum) gc.CopyTo(b);
                else
                {
                    TensorPrimitives.Multiply(b, mu, b);
                    TensorPrimitives.MultiplyAdd(gc, keep, b, b);
                }
                if (Nesterov)
                {
                    var dc = d[..n];
                    TensorPrimitives.MultiplyAdd(b, mu, gc, dc);
                    direction = dc;
                }
                else direction = b;
            }
            TensorPrimitives.MultiplyAdd(direction, negLr, p, p);
        }
    }
}
