using System.Runtime.Intrinsics;
using SeqGraph.Tensors;
using Xunit;
using SeqGraph.Autograd;

namespace SeqGraph.Tests;

public class VectorMathTests
{
    private static float[] Apply(Func<Vector512<float>, Vector512<float>> f, float[] xs)
    {
        var ys = new float[xs.Length];
        for (int i = 0; i < xs.Length; i += 16)
            f(Vector512.Create<float>(xs.AsSpan(i, 16))).CopyTo(ys.AsSpan(i, 16));
        return ys;
    }

    private static float[] Grid(float lo, float hi, int n)
    {
        var xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = lo + (hi - lo) * i / (n - 1);
        return xs;
    }

    [Fact]
    public void ExpHasFloatPrecisionOverTheUnclampedRange()
    {
        var xs = Grid(-87f, 88f, 160_000);
        xs[0] = 0f;
        var ys = Apply(VectorMath.Exp, xs);
        for (int i = 0; i < xs.Length; i++)
        {
            double want = Math.Exp(xs[i]);
            Assert.True(Math.Abs(ys[i] - want) <= 3e-7 * want, $"exp({xs[i]}) = {ys[i]}, want {want}");
        }
        Assert.Equal(1f, ys[0]);
    }

    [Fact]
    public void SigmoidAndTanhMatchDoublePrecisionAndSaturate()
    {
        var xs = Grid(-120f, 120f, 48_000);
        xs[1] = float.NegativeInfinity;
        xs[2] = float.PositiveInfinity;
        var s = Apply(VectorMath.Sigmoid, xs);
        var t = Apply(VectorMath.Tanh, xs);
        for (int i = 0; i < xs.Length; i++)
        {
            double x = xs[i];
            double sw = 1 / (1 + Math.Exp(-x)), tw = Math.Tanh(x);
            Assert.True(Math.Abs(s[i] - sw) <= 1e-7 + 4e-7 * sw, $"σ({x}) = {s[i]}, want {sw}");
            Assert.True(Math.Abs(t[i] - tw) <= 3e-7, $"tanh({x}) = {t[i]}, want {tw}");
        }
        Assert.InRange(s[1], 0f, 1e-37f);
        Assert.Equal(1f, s[2]);
        Assert.Equal(-1f, t[1]);
        Assert.Equal(1f, t[2]);
    }
}
