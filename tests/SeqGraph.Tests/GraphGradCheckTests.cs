using SeqGraph.Autograd;
using SeqGraph.Nn.Graph;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Data;

namespace SeqGraph.Tests;

/// <summary>GcnConv and GatConv backward passes against central finite differences.</summary>
public class GraphGradCheckTests
{
    /// <summary>6 nodes: a self-loop given in the edge list (2–2), a duplicate, and an isolated node (5).</summary>
    private static SparseGraph Small(bool directed = false) =>
        SparseGraph.FromEdges(6, new[] { (0, 1), (1, 2), (2, 2), (0, 3), (3, 4), (1, 0), (4, 1) }, directed);

    private static Tensor Weighted(Tensor y, int seed = 99) =>
        Ops.Sum(Ops.Mul(y, Tensor.Uniform(new Rng((ulong)seed), -1f, 1f, y.Shape)));

    private static CsrMatrix SparseFeatures(Rng rng, int n, int f)
    {
        var triples = new List<(int, int, float)>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < f; j++)
                if (rng.NextFloat() < 0.4f) triples.Add((i, j, rng.NextFloat() + 0.5f));
        return CsrMatrix.FromTriples(n, f, triples);
    }

    private static void AssertPasses(GradCheckResult r, string what)
    {
        Assert.True(r.Passed, $"{what}: {r.Worst} (max abs {r.MaxAbsError:G3}, max rel {r.MaxRelError:G3})");
        Assert.True(r.Checked > 10);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GcnConvDenseInput(bool directed)
    {
        var rng = new Rng(1);
        var g = Small(directed);
        var conv = new GcnConv(4, 3, rng);
        rng.FillUniform(conv.Bias!.Data, -0.5f, 0.5f);
        var x = Tensor.Uniform(rng, -1, 1, 6, 4);
        var inputs = conv.Parameters().Append(x).ToArray();
        AssertPasses(GradCheck.Check(() => Weighted(Ops.Tanh(conv.Forward(g, x))), inputs), "gcn dense");
    }

    [Fact]
    public void GcnConvSparseInputGivesTheSameOutputAndWeightGradient()
    {
        var rng = new Rng(2);
        var g = Small();
        var conv = new GcnConv(5, 3, rng);
        var xs = SparseFeatures(rng, 6, 5);
        AssertPasses(GradCheck.Check(() => Weighted(conv.Forward(g, xs)), conv.Parameters().ToArray()), "gcn sparse");
        var gradSparse = conv.Weight.Grad!.Data.ToArray();
        conv.ZeroGrad();
        Weighted(conv.Forward(g, xs.ToDense())).Backward();
        Assert.Equal(gradSparse, conv.Weight.Grad!.Data, (a, b) => MathF.Abs(a - b) < 1e-5f);
    }

    public static TheoryData<int, bool, float> GatCases => new()
    {
        { 1, true, 0f },
        { 3, true, 0f },
        { 3, false, 0f },
        { 2, true, 0.3f },
        { 2, false, 0.3f },
    };

    [Theory]
    [MemberData(nameof(GatCases))]
    public void GatConvDenseInput(int heads, bool concat, float attentionDropout)
    {
        var rng = new Rng(3);
        var g = Small();
        var conv = new GatConv(4, 3, rng, heads, concat, attentionDropout);
        rng.FillUniform(conv.Bias!.Data, -0.5f, 0.5f);
        var x = Tensor.Uniform(rng, -1, 1, 6, 4);
        var inputs = conv.Parameters().Append(x).ToArray();
        // A fresh generator per evaluation gives the same attention-dropout mask every time; a small ε
        // keeps the LeakyReLU kink of a score near zero from being crossed.
        Tensor Loss()
        {
            var wh = Ops.MatMul(x, conv.Weight);
            var y = GraphOps.GatAttention(g, wh, conv.AttSrc, conv.AttDst, concat, 0.2f, attentionDropout, training: true, new Rng(7));
            return Weighted(Ops.Tanh(Ops.Add(y, conv.Bias!)));
        }
        var result = GradCheck.Check(Loss, inputs, eps: 2e-3f, atol: 2e-3, rtol: 2e-2);
        AssertPasses(result, $"gat heads={heads} concat={concat} p={attentionDropout}");
        if (attentionDropout == 0)
        {
            // The module's own forward is the same computation.
            Assert.Equal(Loss().Item(), Weighted(Ops.Tanh(conv.Forward(g, x))).Item(), 5);
        }
    }

    [Fact]
    public void GatConvSparseInputOnADirectedGraph()
    {
        var rng = new Rng(4);
        var g = Small(directed: true);
        var conv = new GatConv(5, 2, rng, heads: 2, concat: true);
        var xs = SparseFeatures(rng, 6, 5);
        AssertPasses(GradCheck.Check(() => Weighted(Ops.Elu(conv.Forward(g, xs))), conv.Parameters().ToArray(), eps: 5e-3f, atol: 2e-3, rtol: 2e-2), "gat sparse");
    }

    [Fact]
    public void ReluDropoutGradientAndDropRate()
    {
        var x = Tensor.Uniform(new Rng(8), -1, 1, 7, 9);
        for (int i = 0; i < x.Size; i++) x.Data[i] = MathF.CopySign(0.2f + MathF.Abs(x.Data[i]), x.Data[i]);
        AssertPasses(GradCheck.Check(() => Weighted(GraphOps.ReluDropout(x, 0.4f, true, new Rng(3))), new[] { x }), "relu-dropout");
        var big = Tensor.Ones(100_000);
        var y = GraphOps.ReluDropout(big, 0.6f, true, new Rng(1));
        double dropped = y.Data.Count(v => v == 0) / (double)y.Size;
        Assert.InRange(dropped, 0.59, 0.61);
        Assert.All(y.Data, v => Assert.True(v == 0 || MathF.Abs(v - 2.5f) < 1e-6f));
        Assert.Equal(Ops.Relu(x).Data, GraphOps.ReluDropout(x, 0.4f, training: false, new Rng(3)).Data);
    }

    [Fact]
    public void GatAttentionRowsSumToOneSoAConstantSignalPassesThrough()
    {
        var g = Small();
        var wh = Tensor.Full(2.5f, 6, 4);                       // 2 heads × 2, all equal
        var att = Tensor.Uniform(new Rng(5), -1, 1, 2, 2);
        var y = GraphOps.GatAttention(g, wh, att, att, concat: true);
        Assert.All(y.Data, v => Assert.Equal(2.5f, v, 5));
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        var rng = new Rng(6);
        var g = SparseGraph.FromEdges(300, Enumerable.Range(0, 1200).Select(i => (rng.NextInt(300), rng.NextInt(300))));
        var x = Tensor.Uniform(rng, -1, 1, 300, 64);
        var att = Tensor.Uniform(rng, -1, 1, 8, 8);
        float[] Run(int threads)
        {
            using (Parallelism.Use(threads)) using (SplitChoice.AlwaysSplit())
            {
                var xt = x.Clone();
                xt.RequiresGrad = true;
                var y = GraphOps.GatAttention(g, xt, att, att, concat: true);
                var w = Tensor.Uniform(new Rng(1), -1, 1, 64, 16);
                Weighted(GraphOps.GcnConv(g, y, w, null)).Backward();
                return xt.Grad!.Data;
            }
        }
        Assert.Equal(Run(1), Run(2));
    }
}
