using System.Runtime.Intrinsics;
using SeqGraph.Tensors;
using Xunit;

namespace SeqGraph.Tests;

public class VectorMathTests
{
    public enum Width { X16, X8, X4, X1 }

    public static TheoryData<Width> Widths() => new(Enum.GetValues<Width>());

    private enum Fn { Exp, Sigmoid, Tanh }

    private static float[] Apply<V>(Fn fn, float[] xs) where V : struct, IFloatVector<V>
    {
        Assert.Equal(0, xs.Length % 16);
        var ys = new float[xs.Length];
        for (int i = 0; i < xs.Length; i += V.Count)
        {
            var x = V.Load(ref xs[0], (nuint)i);
            var y = fn switch { Fn.Exp => VectorMath.Exp(x), Fn.Sigmoid => VectorMath.Sigmoid(x), _ => VectorMath.Tanh(x) };
            y.Store(ref ys[0], (nuint)i);
        }
        return ys;
    }

    private static float[] Apply(Width w, Fn fn, float[] xs) => w switch
    {
        Width.X16 => Apply<F32x16>(fn, xs),
        Width.X8 => Apply<F32x8>(fn, xs),
        Width.X4 => Apply<F32x4>(fn, xs),
        _ => Apply<F32x1>(fn, xs),
    };

    private static float[] Grid(float lo, float hi, int n)
    {
        var xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = lo + (hi - lo) * i / (n - 1);
        return xs;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ExpHasFloatPrecisionOverTheUnclampedRange(Width width)
    {
        var xs = Grid(-87f, 88f, 160_000);
        xs[0] = 0f;
        var ys = Apply(width, Fn.Exp, xs);
        for (int i = 0; i < xs.Length; i++)
        {
            double want = Math.Exp(xs[i]);
            Assert.True(Math.Abs(ys[i] - want) <= 3e-7 * want, $"exp({xs[i]}) = {ys[i]}, want {want}");
        }
        Assert.Equal(1f, ys[0]);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SigmoidAndTanhMatchDoublePrecisionAndSaturate(Width width)
    {
        var xs = Grid(-120f, 120f, 48_000);
        xs[1] = float.NegativeInfinity;
        xs[2] = float.PositiveInfinity;
        var s = Apply(width, Fn.Sigmoid, xs);
        var t = Apply(width, Fn.Tanh, xs);
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

    [Theory]
    [MemberData(nameof(Widths))]
    public void NaNPassesThrough(Width width)
    {
        var xs = Grid(-3f, 3f, 16);
        xs[5] = float.NaN;
        foreach (var fn in Enum.GetValues<Fn>())
        {
            var ys = Apply(width, fn, xs);
            Assert.True(float.IsNaN(ys[5]), $"{fn}(NaN) = {ys[5]}");
            Assert.Equal(15, ys.Count(float.IsFinite));
        }
    }

    /// <summary>A kernel's remainder runs narrower widths: each must give the one-lane value bit for bit.</summary>
    [Theory]
    [InlineData(Width.X16)]
    [InlineData(Width.X8)]
    [InlineData(Width.X4)]
    public void EveryWidthGivesTheOneLaneResultExactly(Width width)
    {
        var xs = Grid(-100f, 100f, 40_000);
        var rng = new SeqGraph.Random.Rng(3);
        for (int i = 0; i < 4_000; i++) xs[i] = (float)(rng.NextDouble() * 12 - 6);   // dense where the gates live
        foreach (var fn in Enum.GetValues<Fn>())
            Assert.Equal(Apply<F32x1>(fn, xs), Apply(width, fn, xs));
    }

    /// <summary>
    /// .ci/run repeats the kernel tests one vector width narrower than the machine's widest: with
    /// AVX-512 switched off and SEQGRAPH_EXPECT_AVX512=0, or (without AVX-512) AVX2 off and
    /// SEQGRAPH_EXPECT_AVX2=0. If the runtime's switch stopped working (.NET 10 already ignores the
    /// older DOTNET_EnableAVX512F), that pass would quietly test the widest code again.
    /// </summary>
    [Fact]
    public void RuntimeUsesTheVectorWidthTheRunAskedFor()
    {
        var avx512 = Environment.GetEnvironmentVariable("SEQGRAPH_EXPECT_AVX512");
        if (avx512 is not null) Assert.Equal(avx512 != "0", Vector512.IsHardwareAccelerated);
        var avx2 = Environment.GetEnvironmentVariable("SEQGRAPH_EXPECT_AVX2");
        if (avx2 is not null)
        {
            Assert.Equal(avx2 != "0", Vector256.IsHardwareAccelerated);
            Assert.Equal(avx2 != "0", System.Runtime.Intrinsics.X86.Fma.IsSupported);
        }
    }
}
