using SeqGraph.Autograd;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

public class TapeTests
{
    [Fact]
    public void LeafGradientsAccumulateAcrossBackwardCalls()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f }, 2);
        x.RequiresGrad = true;
        (x * x).Sum().Backward();
        (x * 3f).Sum().Backward();
        Assert.Equal(new[] { 2f + 3f, 4f + 3f }, x.Grad!.Data);
    }

    [Fact]
    public void SharedSubexpressionReceivesBothContributions()
    {
        var x = Tensor.FromArray(new[] { 3f }, 1);
        x.RequiresGrad = true;
        var y = x * x;          // y = x², used twice
        var z = (y * y) + y;    // z = x⁴ + x², dz/dx = 4x³ + 2x = 114
        z.Sum().Backward();
        Assert.Equal(114f, x.Grad!.Data[0]);
    }

    [Fact]
    public void NoGradRecordsNothing()
    {
        var x = Tensor.FromArray(new[] { 1f }, 1);
        x.RequiresGrad = true;
        Tensor y;
        using (Tape.NoGrad()) y = x * 2f;
        Assert.False(y.Tracked);
        Assert.True(Tape.Enabled);
        Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
    }

    [Fact]
    public void IntermediateGradientsAreDroppedUnlessRetained()
    {
        var x = Tensor.FromArray(new[] { 1f, -2f }, 2);
        x.RequiresGrad = true;
        var h = (x * 2f).RetainGrad();
        var k = h * 5f;
        (k * k).Sum().Backward();
        Assert.Equal(new[] { 100f, -200f }, h.Grad!.Data);   // d(25h²)/dh = 50h
        Assert.Null(k.Grad);
        Assert.Equal(new[] { 200f, -400f }, x.Grad!.Data);
    }

    [Fact]
    public void UntrackedInputsGetNoGradient()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f }, 2);
        var w = Tensor.FromArray(new[] { 3f, 4f }, 2);
        w.RequiresGrad = true;
        (x * w).Sum().Backward();
        Assert.Null(x.Grad);
        Assert.Equal(new[] { 1f, 2f }, w.Grad!.Data);
    }

    [Fact]
    public void BackwardNeedsAScalarOrAGradient()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f }, 2);
        x.RequiresGrad = true;
        var y = x * 2f;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        y.Backward(Tensor.FromArray(new[] { 1f, 10f }, 2));
        Assert.Equal(new[] { 2f, 20f }, x.Grad!.Data);
    }
}
