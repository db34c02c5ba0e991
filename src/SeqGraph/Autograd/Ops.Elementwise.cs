using SeqGraph.Tensors;

namespace SeqGraph.Autograd;

/// <summary>
/// Differentiable tensor operations. Each op computes its result with vectorised kernels and
/// records one closure that pushes the result's gradient to its inputs.
/// </summary>
public static partial class Ops
{
    // ----- broadcasting of a trailing block (bias) or a scalar -----

    /// <summary>
    /// Checks that <paramref name="a"/> and <paramref name="b"/> are equal in shape, or that one is a
    /// trailing block of the other (its shape a suffix of the other's, like a bias), or a one-element
    /// tensor. Returns the output shape.
    /// </summary>
    internal static int[] BroadcastShape(Tensor a, Tensor b, string op)
    {
        if (a.SameShape(b)) return a.Shape;
        if (b.Size == 1 && b.Rank <= a.Rank) return a.Shape;
        if (a.Size == 1 && a.Rank <= b.Rank) return b.Shape;
        if (IsSuffix(b.Shape, a.Shape)) return a.Shape;
        if (IsSuffix(a.Shape, b.Shape)) return b.Shape;
        throw new ArgumentException($"{op}: shapes {a.ShapeString} and {b.ShapeString} do not broadcast (only equal shapes, a trailing block or a scalar)");
    }

    private static bool IsSuffix(int[] small, int[] big)
    {
        if (small.Length > big.Length) return false;
        int off = big.Length - small.Length;
        for (int i = 0; i < small.Length; i++) if (small[i] != big[off + i]) return false;
        return true;
    }

    /// <summary>Sums a gradient of the broadcast size back down to the shape of <paramref name="input"/>.</summary>
    internal static void ReduceInto(Tensor input, ReadOnlySpan<float> g)
    {
        if (!input.Tracked) return;
        int n = input.Size;
        if (g.Length == n)
        {
            input.AccumulateGrad(g);
            return;
        }
        var dst = input.GradBuffer();
        if (n == 1)
        {
            dst[0] += TensorPrimitives.Sum(g);
            return;
        }
        for (int off = 0; off < g.Length; off += n)
            TensorPrimitives.Add(dst, g.Slice(off, n), dst);
    }

    private delegate void BinaryKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z);

    private static void ApplyBinary(Tensor a, Tensor b, Span<float> z, BinaryKernel kernel)
    {
        if (a.Size == b.Size) { kernel(a.Data, b.Data, z); return; }
        if (a.Size > b.Size)
        {
            int n = b.Size;
            for (int off = 0; off < z.Length; off += n) kernel(a.Data.AsSpan(off, n), b.Data, z.Slice(off, n));
        }
        else
        {
            int n = a.Size;
            for (int off = 0; off < z.Length; off += n) kernel(a.Data, b.Data.AsSpan(off, n), z.Slice(off, n));
        }
    }

    /// <summary>
    /// The gradient of a broadcast operand whose partial derivative is kernel(g, other): writes
    /// that into <paramref name="scratch"/> (g's size) and sums it down to <paramref name="input"/>'s shape.
    /// </summary>
    private static void ReduceBinaryInto(Tensor input, Tensor g, Tensor other, Span<float> scratch, BinaryKernel kernel)
    {
        ApplyBinary(g, other, scratch, kernel);
        ReduceInto(input, scratch);
    }

    /// <summary>y = kernel(a, b) with a broadcast operand; <paramref name="backward"/> gets y and the output gradient.</summary>
    private static Tensor Binary(Tensor a, Tensor b, string op, BinaryKernel kernel, Action<Tensor, Tensor> backward)
    {
        var y = Tensor.Empty(BroadcastShape(a, b, op));
        ApplyBinary(a, b, y.Data, kernel);
        return Tape.Record(y, g => backward(y, g), a, b);
    }

    /// <summary>a + b (with a broadcast bias or scalar).</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(a, b, "add", TensorPrimitives.Add, (_, g) =>
    {
        ReduceInto(a, g.Data);
        ReduceInto(b, g.Data);
    });

    /// <summary>a − b (with a broadcast bias or scalar).</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Binary(a, b, "sub", TensorPrimitives.Subtract, (_, g) =>
    {
        ReduceInto(a, g.Data);
        if (b.Tracked)
        {
            var ng = BufferPool.Rent(g.Size);
            TensorPrimitives.Negate(g.Data, ng);
            ReduceInto(b, ng);
            BufferPool.Return(ng);
        }
    });

    /// <summary>a ⊙ b element-wise (with a broadcast bias or scalar).</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(a, b, "mul", TensorPrimitives.Multiply, (_, g) =>
    {
        if (a.Size == g.Size && b.Size == g.Size)
        {
            if (a.Tracked) a.PushGrad(d => TensorPrimitives.Multiply(g.Data, b.Data, d));
            if (b.Tracked) b.PushGrad(d => TensorPrimitives.Multiply(g.Data, a.Data, d));
            return;
        }
        var tmp = BufferPool.Rent(g.Size);
        if (a.Tracked) ReduceBinaryInto(a, g, b, tmp, TensorPrimitives.Multiply);
        if (b.Tracked) ReduceBinaryInto(b, g, a, tmp, TensorPrimitives.Multiply);
        BufferPool.Return(tmp);
    });

    /// <summary>a ÷ b element-wise (with a broadcast bias or scalar).</summary>
    public static Tensor Div(Tensor a, Tensor b) => Binary(a, b, "div", TensorPrimitives.Divide, (y, g) =>
    {
        var tmp = BufferPool.Rent(g.Size);
        if (a.Tracked) ReduceBinaryInto(a, g, b, tmp, TensorPrimitives.Divide);
        if (b.Tracked)
        {
            // ∂(a/b)/∂b = −(a/b)/b = −y/b
            ApplyBinary(y, b, tmp, TensorPrimitives.Divide);
            TensorPrimitives.Multiply(tmp, g.Data, tmp);
            TensorPrimitives.Negate(tmp, tmp);
            ReduceInto(b, tmp);
        }
        BufferPool.Return(tmp);
    });

    /// <summary>x + s.</summary>
    public static Tensor AddScalar(Tensor x, float s)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Add(x.Data, s, y.Data);
        return Tape.Record(y, g => ReduceInto(x, g.Data), x);
    }

    /// <summary>x · s.</summary>
    public static Tensor MulScalar(Tensor x, float s)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Multiply(x.Data, s, y.Data);
        return Tape.Record(y, g => x.PushGrad(d => TensorPrimitives.Multiply(g.Data, s, d)), x);
    }

    /// <summary>−x.</summary>
    public static Tensor Neg(Tensor x) => MulScalar(x, -1f);

    /// <summary>s − x.</summary>
    public static Tensor RSub(float s, Tensor x) => AddScalar(Neg(x), s);

    // ----- unary non-linearities: y = f(x), gradient g · f'(x) written in terms of x or y -----

    private delegate void Derivative(Tensor x, Tensor y, Tensor g, Span<float> dx);

    private static Tensor Unary(Tensor x, Action<ReadOnlySpan<float>, Span<float>> f, Derivative derivative)
    {
        var y = Tensor.Empty(x.Shape);
        f(x.Data, y.Data);
        return Tape.Record(y, g => x.PushGrad(dx => derivative(x, y, g, dx)), x);
    }

    /// <summary>tanh(x).</summary>
    public static Tensor Tanh(Tensor x) => Unary(x, TensorPrimitives.Tanh, (_, y, g, dx) =>
    {
        // g · (1 − y²)
        TensorPrimitives.Multiply(y.Data, y.Data, dx);
        TensorPrimitives.Subtract(1f, dx, dx);
        TensorPrimitives.Multiply(dx, g.Data, dx);
    });

    /// <summary>σ(x) = 1 / (1 + e^−x).</summary>
    public static Tensor Sigmoid(Tensor x) => Unary(x, TensorPrimitives.Sigmoid, (_, y, g, dx) =>
    {
        // g · y · (1 − y)
        TensorPrimitives.Subtract(1f, y.Data, dx);
        TensorPrimitives.Multiply(dx, y.Data, dx);
        TensorPrimitives.Multiply(dx, g.Data, dx);
    });

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => Unary(x, (s, d) => TensorPrimitives.Max(s, 0f, d), (xt, _, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = xt.Data[i] > 0 ? g.Data[i] : 0f;
    });

    /// <summary>x for x &gt; 0, slope·x otherwise.</summary>
    public static Tensor LeakyRelu(Tensor x, float slope = 0.01f) => Unary(x, (s, d) =>
    {
        for (int i = 0; i < s.Length; i++) d[i] = s[i] > 0 ? s[i] : slope * s[i];
    }, (xt, _, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = xt.Data[i] > 0 ? g.Data[i] : slope * g.Data[i];
    });

    /// <summary>x for x &gt; 0, α(eˣ − 1) otherwise.</summary>
    public static Tensor Elu(Tensor x, float alpha = 1f) => Unary(x, (s, d) =>
    {
        for (int i = 0; i < s.Length; i++) d[i] = s[i] > 0 ? s[i] : alpha * (MathF.Exp(s[i]) - 1f);
    }, (xt, y, g, dx) =>
    {
        // for x ≤ 0: d/dx α(eˣ−1) = y + α
        for (int i = 0; i < dx.Length; i++) dx[i] = xt.Data[i] > 0 ? g.Data[i] : g.Data[i] * (y.Data[i] + alpha);
    });

    /// <summary>eˣ.</summary>
    public static Tensor Exp(Tensor x) => Unary(x, TensorPrimitives.Exp, (_, y, g, dx) => TensorPrimitives.Multiply(y.Data, g.Data, dx));

    /// <summary>ln x.</summary>
    public static Tensor Log(Tensor x) => Unary(x, TensorPrimitives.Log, (xt, _, g, dx) => TensorPrimitives.Divide(g.Data, xt.Data, dx));

    /// <summary>√x.</summary>
    public static Tensor Sqrt(Tensor x) => Unary(x, TensorPrimitives.Sqrt, (_, y, g, dx) =>
    {
        // g / (2√x)
        TensorPrimitives.Multiply(y.Data, 2f, dx);
        TensorPrimitives.Divide(g.Data, dx, dx);
    });

    /// <summary>x².</summary>
    public static Tensor Square(Tensor x) => Unary(x, (s, d) => TensorPrimitives.Multiply(s, s, d), (xt, _, g, dx) =>
    {
        TensorPrimitives.Multiply(xt.Data, 2f, dx);
        TensorPrimitives.Multiply(dx, g.Data, dx);
    });
}
