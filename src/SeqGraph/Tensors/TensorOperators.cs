using SeqGraph.Autograd;

namespace SeqGraph.Tensors;

public sealed partial class Tensor
{
    /// <summary>a + b.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);

    /// <summary>a − b.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);

    /// <summary>a ⊙ b.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);

    /// <summary>a ÷ b.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);

    /// <summary>a + s.</summary>
    public static Tensor operator +(Tensor a, float s) => Ops.AddScalar(a, s);

    /// <summary>s + a.</summary>
    public static Tensor operator +(float s, Tensor a) => Ops.AddScalar(a, s);

    /// <summary>a − s.</summary>
    public static Tensor operator -(Tensor a, float s) => Ops.AddScalar(a, -s);

    /// <summary>s − a.</summary>
    public static Tensor operator -(float s, Tensor a) => Ops.RSub(s, a);

    /// <summary>a · s.</summary>
    public static Tensor operator *(Tensor a, float s) => Ops.MulScalar(a, s);

    /// <summary>s · a.</summary>
    public static Tensor operator *(float s, Tensor a) => Ops.MulScalar(a, s);

    /// <summary>−a.</summary>
    public static Tensor operator -(Tensor a) => Ops.Neg(a);

    /// <summary>this · other (matrix product).</summary>
    public Tensor MatMul(Tensor other) => Ops.MatMul(this, other);

    /// <summary>tanh.</summary>
    public Tensor Tanh() => Ops.Tanh(this);

    /// <summary>σ.</summary>
    public Tensor Sigmoid() => Ops.Sigmoid(this);

    /// <summary>ReLU.</summary>
    public Tensor Relu() => Ops.Relu(this);

    /// <summary>Sum of all elements.</summary>
    public Tensor Sum() => Ops.Sum(this);

    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Ops.Mean(this);

    /// <summary>New shape, shared storage.</summary>
    public Tensor Reshape(params int[] shape) => Ops.Reshape(this, shape);

    /// <summary>Swap of the last two axes (copy).</summary>
    public Tensor T() => Ops.Transpose(this);
}
