using SeqGraph.Autograd;
using SeqGraph.Nn;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

/// <summary>Every differentiable op's backward against central finite differences.</summary>
public class GradCheckTests
{
    private static Tensor R(Rng rng, params int[] shape) => Tensor.Uniform(rng, -1f, 1f, shape);

    // Values kept away from 0 so kinks (ReLU, max) and poles (log, sqrt, div) are not crossed by ±ε.
    private static Tensor AwayFromZero(Rng rng, params int[] shape)
    {
        var t = R(rng, shape);
        for (int i = 0; i < t.Size; i++) t.Data[i] = MathF.CopySign(0.2f + MathF.Abs(t.Data[i]), t.Data[i]);
        return t;
    }

    private static Tensor Positive(Rng rng, params int[] shape) => Tensor.Uniform(rng, 0.5f, 2f, shape);

    /// <summary>Σ w ⊙ y with fixed random weights, so every output element matters differently.</summary>
    private static Tensor Weighted(Tensor y, int seed = 99)
    {
        var w = Tensor.Uniform(new Rng((ulong)seed), -1f, 1f, y.Shape);
        return Ops.Sum(Ops.Mul(y, w));
    }

    public static TheoryData<string> Cases => new(CaseTable.Keys);

    private static readonly Dictionary<string, Func<Rng, (Func<Tensor>, Tensor[])>> CaseTable = new()
    {
        ["add"] = r => { var a = R(r, 3, 4); var b = R(r, 3, 4); return (() => Weighted(a + b), new[] { a, b }); },
        ["add-bias"] = r => { var a = R(r, 2, 3, 4); var b = R(r, 4); return (() => Weighted(a + b), new[] { a, b }); },
        ["add-bias-left"] = r => { var a = R(r, 3, 4); var b = R(r, 2, 3, 4); return (() => Weighted(a + b), new[] { a, b }); },
        ["add-scalar-tensor"] = r => { var a = R(r, 3, 4); var b = R(r, 1); return (() => Weighted(a + b), new[] { a, b }); },
        ["sub-bias"] = r => { var a = R(r, 5, 3); var b = R(r, 3); return (() => Weighted(a - b), new[] { a, b }); },
        ["mul-bias"] = r => { var a = R(r, 5, 3); var b = R(r, 3); return (() => Weighted(a * b), new[] { a, b }); },
        ["mul-same"] = r => { var a = R(r, 4, 3); var b = R(r, 4, 3); return (() => Weighted(a * b), new[] { a, b }); },
        ["div"] = r => { var a = R(r, 4, 3); var b = AwayFromZero(r, 4, 3); return (() => Weighted(a / b), new[] { a, b }); },
        ["div-bias"] = r => { var a = R(r, 4, 3); var b = AwayFromZero(r, 3); return (() => Weighted(a / b), new[] { a, b }); },
        ["scalar-ops"] = r => { var a = R(r, 6); return (() => Weighted(2.5f - (a * 3f + 1f) - (-a)), new[] { a }); },
        ["tanh"] = r => { var a = R(r, 3, 5); return (() => Weighted(Ops.Tanh(a)), new[] { a }); },
        ["sigmoid"] = r => { var a = R(r, 3, 5); return (() => Weighted(Ops.Sigmoid(a)), new[] { a }); },
        ["relu"] = r => { var a = AwayFromZero(r, 3, 5); return (() => Weighted(Ops.Relu(a)), new[] { a }); },
        ["leaky-relu"] = r => { var a = AwayFromZero(r, 3, 5); return (() => Weighted(Ops.LeakyRelu(a, 0.2f)), new[] { a }); },
        ["elu"] = r => { var a = AwayFromZero(r, 3, 5); return (() => Weighted(Ops.Elu(a)), new[] { a }); },
        ["exp"] = r => { var a = R(r, 3, 5); return (() => Weighted(Ops.Exp(a)), new[] { a }); },
        ["log"] = r => { var a = Positive(r, 3, 5); return (() => Weighted(Ops.Log(a)), new[] { a }); },
        ["sqrt"] = r => { var a = Positive(r, 3, 5); return (() => Weighted(Ops.Sqrt(a)), new[] { a }); },
        ["square"] = r => { var a = R(r, 3, 5); return (() => Weighted(Ops.Square(a)), new[] { a }); },
        ["sum-all"] = r => { var a = R(r, 3, 5); return (() => Ops.Square(Ops.Sum(a)), new[] { a }); },
        ["mean-all"] = r => { var a = R(r, 3, 5); return (() => Ops.Square(Ops.Mean(a)), new[] { a }); },
        ["sum-axis0"] = r => { var a = R(r, 2, 3, 4); return (() => Weighted(Ops.Sum(a, 0)), new[] { a }); },
        ["sum-axis1-keep"] = r => { var a = R(r, 2, 3, 4); return (() => Weighted(Ops.Sum(a, 1, keepDim: true)), new[] { a }); },
        ["mean-axis-last"] = r => { var a = R(r, 2, 3, 4); return (() => Weighted(Ops.Mean(a, -1)), new[] { a }); },
        ["max-axis"] = r => { var a = R(r, 3, 6); return (() => Weighted(Ops.Max(a, 1)), new[] { a }); },
        ["max-axis0"] = r => { var a = R(r, 4, 3, 2); return (() => Weighted(Ops.Max(a, 0)), new[] { a }); },
        ["softmax"] = r => { var a = R(r, 3, 5); return (() => Weighted(Ops.Softmax(a)), new[] { a }); },
        ["log-softmax"] = r => { var a = R(r, 2, 3, 5); return (() => Weighted(Ops.LogSoftmax(a)), new[] { a }); },
        ["cross-entropy"] = r => { var a = R(r, 4, 5); return (() => Ops.CrossEntropy(a, new[] { 1, 0, 4, 2 }), new[] { a }); },
        ["cross-entropy-ignore"] = r => { var a = R(r, 4, 5); return (() => Ops.CrossEntropy(a, new[] { 1, -100, 4, -100 }), new[] { a }); },
        ["dropout"] = r => { var a = R(r, 4, 5); return (() => Weighted(Ops.Dropout(a, 0.3f, true, new Rng(5))), new[] { a }); },
        ["reshape"] = r => { var a = R(r, 2, 6); return (() => Weighted(Ops.Tanh(Ops.Reshape(a, 3, -1))), new[] { a }); },
        ["transpose-2d"] = r => { var a = R(r, 3, 4); return (() => Weighted(Ops.Transpose(a)), new[] { a }); },
        ["transpose-3d-0-2"] = r => { var a = R(r, 2, 3, 4); return (() => Weighted(Ops.Transpose(a, 0, 2)), new[] { a }); },
        ["slice"] = r => { var a = R(r, 3, 7, 2); return (() => Weighted(Ops.Slice(a, 1, 2, 4)), new[] { a }); },
        ["select"] = r => { var a = R(r, 3, 7, 2); return (() => Weighted(Ops.Select(a, 1, 5)), new[] { a }); },
        ["concat"] = r => { var a = R(r, 2, 3); var b = R(r, 2, 5); return (() => Weighted(Ops.Concat(new[] { a, b }, 1)), new[] { a, b }); },
        ["concat-axis0"] = r => { var a = R(r, 2, 3); var b = R(r, 4, 3); return (() => Weighted(Ops.Concat(new[] { a, b, a }, 0)), new[] { a, b }); },
        ["stack"] = r => { var a = R(r, 2, 3); var b = R(r, 2, 3); return (() => Weighted(Ops.Stack(new[] { a, b }, 1)), new[] { a, b }); },
        ["split"] = r => { var a = R(r, 4, 6); return (() => { var p = Ops.Split(a, 1, 1, 2, 3); return Weighted(p[0] * p[0]) + Weighted(Ops.Tanh(p[2]), 7); }, new[] { a }); },
        ["chunk"] = r => { var a = R(r, 4, 6); return (() => { var p = Ops.Chunk(a, 3, -1); return Weighted(p[0] * p[2]); }, new[] { a }); },
        ["gather"] = r => { var a = R(r, 5, 3); return (() => Weighted(Ops.Gather(a, new[] { 4, 0, 4, 2, 2, 2 }, 2, 3)), new[] { a }); },
        ["matmul-nn"] = r => { var a = R(r, 3, 4); var b = R(r, 4, 5); return (() => Weighted(Ops.MatMul(a, b)), new[] { a, b }); },
        ["matmul-nt"] = r => { var a = R(r, 3, 4); var b = R(r, 5, 4); return (() => Weighted(Ops.MatMul(a, b, false, true)), new[] { a, b }); },
        ["matmul-tn"] = r => { var a = R(r, 4, 3); var b = R(r, 4, 5); return (() => Weighted(Ops.MatMul(a, b, true, false)), new[] { a, b }); },
        ["matmul-tt"] = r => { var a = R(r, 4, 3); var b = R(r, 5, 4); return (() => Weighted(Ops.MatMul(a, b, true, true)), new[] { a, b }); },
        ["matmul-3d"] = r => { var a = R(r, 2, 3, 4); var b = R(r, 4, 5); return (() => Weighted(Ops.MatMul(a, b)), new[] { a, b }); },
        ["linear-3d"] = r => { var x = R(r, 2, 3, 4); var w = R(r, 5, 4); var b = R(r, 5); return (() => Weighted(Ops.Linear(x, w, b)), new[] { x, w, b }); },
        ["linear-no-bias"] = r => { var x = R(r, 3, 4); var w = R(r, 5, 4); return (() => Weighted(Ops.Linear(x, w, null)), new[] { x, w }); },
        ["spmm"] = r =>
        {
            var a = CsrMatrix.FromTriples(3, 4, new[] { (0, 1, 0.5f), (0, 3, -1f), (1, 0, 2f), (2, 2, 1.5f), (2, 3, 0.25f) });
            var h = R(r, 4, 2);
            return (() => Weighted(Ops.SpMM(a, h)), new[] { h });
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void OpGradientMatchesFiniteDifferences(string name)
    {
        var (loss, inputs) = CaseTable[name](new Rng(42));
        var result = GradCheck.Check(loss, inputs, eps: 1e-2f, atol: 2e-3, rtol: 1e-2);
        Assert.True(result.Passed, $"{name}: {result.Worst} (max abs {result.MaxAbsError:G3}, max rel {result.MaxRelError:G3})");
        Assert.True(result.Checked > 0);
    }

    [Fact]
    public void MlpEndToEndGradientsMatchFiniteDifferences()
    {
        var rng = new Rng(3);
        var mlp = new Sequential(new Linear(6, 8, rng), Activation.Tanh(), new Linear(8, 4, rng));
        var x = R(rng, 5, 6);
        var targets = new[] { 0, 3, 1, 1, 2 };
        var parameters = mlp.Parameters().ToArray();
        var result = GradCheck.Check(() => Ops.CrossEntropy(mlp.Forward(x), targets), parameters.Append(x).ToArray(), eps: 1e-2f);
        Assert.True(result.Passed, result.Worst);
        Assert.Equal(6 * 8 + 8 + 8 * 4 + 4, mlp.ParameterCount);
        Assert.All(parameters, p => Assert.NotNull(p.Grad));
    }

    [Fact]
    public void GradCheckDetectsAWrongGradient()
    {
        // An op whose backward is deliberately off by a factor 2 must fail the check.
        var x = R(new Rng(1), 4);
        Tensor Broken(Tensor a)
        {
            var y = Tensor.Zeros(a.Shape);
            for (int i = 0; i < a.Size; i++) y.Data[i] = a.Data[i] * a.Data[i];
            return Tape.Record(y, g =>
            {
                var d = new float[a.Size];
                for (int i = 0; i < a.Size; i++) d[i] = 4 * a.Data[i] * g.Data[i];
                a.AccumulateGrad(d);
            }, a);
        }
        var result = GradCheck.Check(() => Weighted(Broken(x)), new[] { x });
        Assert.False(result.Passed);
    }
}
