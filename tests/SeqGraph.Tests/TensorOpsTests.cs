using SeqGraph.Autograd;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

public class TensorOpsTests
{
    private static void Close(float expected, float actual, float tol = 1e-5f) =>
        Assert.True(MathF.Abs(expected - actual) <= tol * Math.Max(1f, MathF.Abs(expected)), $"expected {expected}, got {actual}");

    [Fact]
    public void SoftmaxAndLogSoftmaxAreStableForHugeLogits()
    {
        var x = Tensor.FromArray(new[] { 1e4f, 1e4f + 1f, -1e4f, 1000f, 1001f, -1e4f }, 2, 3);
        var s = Ops.Softmax(x);
        var ls = Ops.LogSoftmax(x);
        Assert.All(s.Data, v => Assert.True(float.IsFinite(v)));
        Assert.All(ls.Data, v => Assert.True(float.IsFinite(v)));
        // softmax([0, 1, −∞]) = [1/(1+e), e/(1+e), 0]
        Close(1f / (1f + MathF.E), s.Data[0]);
        Close(MathF.E / (1f + MathF.E), s.Data[1]);
        Assert.Equal(0f, s.Data[2]);
        Close(-MathF.Log(1f + MathF.E), ls.Data[3]);
        Close(1f - MathF.Log(1f + MathF.E) , ls.Data[4]);
        Close(-1e4f - 1001f, ls.Data[5], 1e-4f);
    }

    [Fact]
    public void CrossEntropyKnownValuesAndStability()
    {
        // logits [0, 0] → −log ½ = ln 2; logits [1e4, −1e4] with target 1 → 2e4; target 0 → 0.
        var x = Tensor.FromArray(new[] { 0f, 0f, 1e4f, -1e4f, 1e4f, -1e4f }, 3, 2);
        Close((MathF.Log(2f) + 2e4f + 0f) / 3f, Ops.CrossEntropy(x, new[] { 1, 1, 0 }).Item(), 1e-5f);
        x.RequiresGrad = true;
        var l = Ops.CrossEntropy(x, new[] { 1, 1, 0 });
        l.Backward();
        Assert.All(x.Grad!.Data, v => Assert.True(float.IsFinite(v)));
        // row 0: (softmax − onehot)/3 = [0.5, −0.5]/3
        Close(0.5f / 3, x.Grad.Data[0]);
        Close(-0.5f / 3, x.Grad.Data[1]);
        Close(1f / 3, x.Grad.Data[2]);
    }

    [Fact]
    public void CrossEntropyIgnoreIndexAveragesOverCountedRows()
    {
        var x = Tensor.FromArray(new[] { 0f, 0f, 5f, 1f }, 2, 2);
        Close(MathF.Log(2f), Ops.CrossEntropy(x, new[] { 0, -100 }).Item());
        Assert.Equal(0f, Ops.CrossEntropy(x, new[] { -100, -100 }).Item());
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.CrossEntropy(x, new[] { 2, 0 }));
    }

    [Fact]
    public void BroadcastingRules()
    {
        var a = Tensor.FromArray(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 2, 3);
        var bias = Tensor.FromArray(new[] { 10f, 20f, 30f }, 3);
        Assert.Equal(new[] { 11f, 22f, 33f, 14f, 25f, 36f }, (a + bias).Data);
        Assert.Equal(new[] { 2f, 4f, 6f, 8f, 10f, 12f }, (a * Tensor.Scalar(2f)).Data);
        Assert.Throws<ArgumentException>(() => a + Tensor.Zeros(2));
    }

    [Fact]
    public void ReductionsAndArgmax()
    {
        var a = Tensor.FromArray(new[] { 1f, 5f, 3f, 4f, 2f, 6f }, 2, 3);
        Assert.Equal(new[] { 5f, 7f, 9f }, Ops.Sum(a, 0).Data);
        Assert.Equal(new[] { 9f, 12f }, Ops.Sum(a, 1).Data);
        Assert.Equal(new[] { 2, 1 }, Ops.Sum(a, 1, keepDim: true).Shape);
        Assert.Equal(new[] { 3f, 4f }, Ops.Mean(a, -1).Data);
        Assert.Equal(new[] { 5f, 6f }, Ops.Max(a, 1).Data);
        Assert.Equal(new[] { 1, 2 }, Ops.Argmax(a));
        Assert.Equal(new[] { 1, 0, 1 }, Ops.Argmax(a, 0));
        Assert.Equal(3.5f, a.Mean().Item());
    }

    [Fact]
    public void ShapeOps()
    {
        var a = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        var t = Ops.Transpose(a, 0, 2);
        Assert.Equal(new[] { 4, 3, 2 }, t.Shape);
        Assert.Equal(a[1, 2, 3], t[3, 2, 1]);
        Assert.Equal(a[0, 1, 2], t[2, 1, 0]);
        var s = Ops.Slice(a, 2, 1, 2);
        Assert.Equal(new[] { 1f, 2f, 5f, 6f }, s.Data.Take(4));
        var sel = Ops.Select(a, 1, 2);
        Assert.Equal(new[] { 2, 4 }, sel.Shape);
        Assert.Equal(new[] { 8f, 9f, 10f, 11f, 20f, 21f, 22f, 23f }, sel.Data);
        var c = Ops.Concat(new[] { Ops.Slice(a, 0, 1, 1), Ops.Slice(a, 0, 0, 1) }, 0);
        Assert.Equal(a.Data.Skip(12).Concat(a.Data.Take(12)), c.Data);
        var parts = Ops.Chunk(a, 2, -1);
        Assert.Equal(new[] { 0f, 1f, 4f, 5f }, parts[0].Data.Take(4));
        var st = Ops.Stack(new[] { sel, sel }, 0);
        Assert.Equal(new[] { 2, 2, 4 }, st.Shape);
        Assert.Equal(new[] { 6, 4 }, a.Reshape(-1, 4).Shape);
        Assert.Throws<ArgumentException>(() => a.Reshape(5, -1));
        var g = Ops.Gather(Tensor.FromArray(new[] { 0f, 1f, 10f, 11f, 20f, 21f }, 3, 2), new[] { 2, 0 });
        Assert.Equal(new[] { 20f, 21f, 0f, 1f }, g.Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Gather(Tensor.Zeros(3, 2), new[] { 3 }));
    }

    [Fact]
    public void SparseTimesDenseAndTranspose()
    {
        var a = CsrMatrix.FromTriples(2, 3, new[] { (0, 2, 2f), (1, 0, 1f), (0, 2, 1f), (1, 1, -1f) });
        Assert.Equal(3, a.Nnz); // the duplicate (0, 2) entries were summed
        Assert.Equal(new[] { 0f, 0f, 3f, 1f, -1f, 0f }, a.ToDense().Data);
        var h = Tensor.FromArray(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 3, 2);
        Assert.Equal(new[] { 15f, 18f, -2f, -2f }, Ops.SpMM(a, h).Data);
        Assert.Equal(Ops.Transpose(a.ToDense()).Data, a.Transpose().ToDense().Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => CsrMatrix.FromTriples(2, 2, new[] { (2, 0, 1f) }));
    }

    [Fact]
    public void DropoutZeroesAboutPAndScalesTheRest()
    {
        var x = Tensor.Ones(100_000);
        var y = Ops.Dropout(x, 0.25f, true, new Rng(1));
        int zeros = y.Data.Count(v => v == 0f);
        Assert.InRange(zeros, 24_300, 25_700);
        Assert.All(y.Data.Where(v => v != 0f), v => Assert.Equal(1f / 0.75f, v));
        Assert.Same(x, Ops.Dropout(x, 0.25f, false, new Rng(1)));
    }
}
