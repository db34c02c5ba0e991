using SeqGraph.Tensors;

namespace SeqGraph.Autograd;

/// <summary>
/// Operators and method-style ops on <see cref="Tensor"/> (C# extension members): each maps to the
/// recorded op in <see cref="Ops"/>, so <c>a * b + c</c> builds the same graph as the calls.
/// Declared here, not on the tensor, so that Tensors does not depend on Autograd.
/// </summary>
public static class TensorOperators
{
    extension(Tensor)
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

    }

    extension(Tensor t)
    {
        /// <summary>this · other (matrix product).</summary>
        public Tensor MatMul(Tensor other) => Ops.MatMul(t, other);

        /// <summary>tanh.</summary>
        public Tensor Tanh() => Ops.Tanh(t);

        /// <summary>σ.</summary>
        public Tensor Sigmoid() => Ops.Sigmoid(t);

        /// <summary>ReLU.</summary>
        public Tensor Relu() => Ops.Relu(t);

        /// <summary>Sum of all elements.</summary>
        public Tensor Sum() => Ops.Sum(t);

        /// <summary>Mean of all elements.</summary>
        public Tensor Mean() => Ops.Mean(t);

        /// <summary>New shape, shared storage.</summary>
        public Tensor Reshape(params int[] shape) => Ops.Reshape(t, shape);

        /// <summary>Swap of the last two axes (copy).</summary>
        public Tensor T() => Ops.Transpose(t);
    }
}
