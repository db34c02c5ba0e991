using SeqGraph.Tensors;

namespace SeqGraph.Autograd;

public static partial class Ops
{
    /// <summary>Sum of all elements (a one-element tensor).</summary>
    public static Tensor Sum(Tensor x)
    {
        var y = Tensor.Scalar(TensorPrimitives.Sum(x.Data));
        return Tape.Record(y, g =>
        {
            var dx = x.GradBuffer();
            TensorPrimitives.Add(dx, g.Data[0], dx);
        }, x);
    }

    /// <summary>Mean of all elements.</summary>
    public static Tensor Mean(Tensor x) => MulScalar(Sum(x), 1f / Math.Max(1, x.Size));

    /// <summary>Sum over one axis.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDim = false)
    {
        axis = ShapeUtil.NormAxis(axis, x.Rank);
        var (outer, n, inner) = ShapeUtil.Around(x.Shape, axis);
        var y = Tensor.Zeros(ShapeUtil.Reduce(x.Shape, axis, keepDim));
        for (int o = 0; o < outer; o++)
        {
            var dst = y.Data.AsSpan(o * inner, inner);
            for (int k = 0; k < n; k++) TensorPrimitives.Add(dst, x.Data.AsSpan((o * n + k) * inner, inner), dst);
        }
        return Tape.Record(y, g =>
        {
            var dx = x.GradBuffer();
            for (int o = 0; o < outer; o++)
            {
                var src = g.Data.AsSpan(o * inner, inner);
                for (int k = 0; k < n; k++)
                {
                    var d = dx.Slice((o * n + k) * inner, inner);
                    TensorPrimitives.Add(d, src, d);
                }
            }
        }, x);
    }

    /// <summary>Mean over one axis.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDim = false)
    {
        int n = x.Dim(axis);
        return MulScalar(Sum(x, axis, keepDim), 1f / Math.Max(1, n));
    }

    /// <summary>Maximum over one axis; the gradient goes to the first maximal element.</summary>
    public static Tensor Max(Tensor x, int axis, bool keepDim = false)
    {
        axis = ShapeUtil.NormAxis(axis, x.Rank);
        var (outer, n, inner) = ShapeUtil.Around(x.Shape, axis);
        if (n == 0) throw new ArgumentException("max over an empty axis");
        var idx = ArgmaxCore(x, outer, n, inner);
        var y = Tensor.Zeros(ShapeUtil.Reduce(x.Shape, axis, keepDim));
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                y.Data[o * inner + i] = x.Data[(o * n + idx[o * inner + i]) * inner + i];
        return Tape.Record(y, g =>
        {
            var dx = x.GradBuffer();
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    dx[(o * n + idx[o * inner + i]) * inner + i] += g.Data[o * inner + i];
        }, x);
    }

    /// <summary>Index of the maximum over one axis (first one on ties); not differentiable.</summary>
    public static int[] Argmax(Tensor x, int axis = -1)
    {
        axis = ShapeUtil.NormAxis(axis, x.Rank);
        var (outer, n, inner) = ShapeUtil.Around(x.Shape, axis);
        if (n == 0) throw new ArgumentException("argmax over an empty axis");
        return ArgmaxCore(x, outer, n, inner);
    }

    private static int[] ArgmaxCore(Tensor x, int outer, int n, int inner)
    {
        var idx = new int[outer * inner];
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) idx[o] = TensorPrimitives.IndexOfMax(x.Data.AsSpan(o * n, n));
            return idx;
        }
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                float bv = x.Data[o * n * inner + i];
                for (int k = 1; k < n; k++)
                {
                    float v = x.Data[(o * n + k) * inner + i];
                    if (v > bv || (float.IsNaN(v) && !float.IsNaN(bv))) { bv = v; best = k; }
                }
                idx[o * inner + i] = best;
            }
        return idx;
    }
}
