using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Nn;

/// <summary>y = x·Wᵀ + b (PyTorch's nn.Linear, same default initialisation).</summary>
public sealed class Linear : Module
{
    /// <summary>[out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>[out], or null without bias.</summary>
    public Tensor? Bias { get; }

    /// <summary>Creates the layer; weights and bias ~ U(−1/√in, 1/√in) as in PyTorch.</summary>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), "sizes must be positive");
        float bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Uniform(rng, -bound, bound, outFeatures, inFeatures));
        if (bias) Bias = RegisterParameter("bias", Tensor.Uniform(rng, -bound, bound, outFeatures));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias);
}

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

/// <summary>A parameter-free element-wise function as a module (ReLU, tanh, …).</summary>
public sealed class Activation : Module
{
    private readonly Func<Tensor, Tensor> _f;

    /// <summary>Wraps <paramref name="f"/>.</summary>
    public Activation(Func<Tensor, Tensor> f) => _f = f;

    /// <summary>ReLU.</summary>
    public static Activation Relu() => new(Ops.Relu);

    /// <summary>tanh.</summary>
    public static Activation Tanh() => new(Ops.Tanh);

    /// <summary>σ.</summary>
    public static Activation Sigmoid() => new(Ops.Sigmoid);

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => _f(x);
}

/// <summary>Modules applied one after another; children are named "0", "1", … as in PyTorch.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = new();

    /// <summary>Creates the chain.</summary>
    public Sequential(params Module[] layers)
    {
        foreach (var l in layers) Add(l);
    }

    /// <summary>Appends a layer.</summary>
    public Sequential Add(Module layer)
    {
        _layers.Add(RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
        return this;
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        foreach (var l in _layers) x = l.Forward(x);
        return x;
    }
}
