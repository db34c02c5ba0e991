using SeqGraph.Autograd;
using SeqGraph.Tensors;

namespace SeqGraph.Nn;

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
