using SeqGraph.Optim;
using SeqGraph.Tensors;

namespace SeqGraph.Tests.Optim;

public class OptimizerClipGradTests
{
    private static Tensor WithGrad(params float[] grad)
    {
        var p = Tensor.Zeros(grad.Length);
        p.Grad = Tensor.FromArray(grad, grad.Length);
        return p;
    }

    [Fact]
    public void ReturnsPreClipNormAndScalesToMaxNorm()
    {
        // The 3-4-12 gradient is split over two parameters: total norm sqrt(9 + 16 + 144) = 13.
        var a = WithGrad(3f, -4f);
        var b = WithGrad(12f);
        float norm = ClipGrad.ClipGradNorm(new[] { a, b }, maxNorm: 6.5f);
        Assert.Equal(13f, norm);
        float coef = (float)(6.5 / (13 + 1e-6));
        Assert.Equal(new[] { 3f * coef, -4f * coef }, a.Grad!.Data);
        Assert.Equal(new[] { 12f * coef }, b.Grad!.Data);
        double after = Math.Sqrt(a.Grad.Data.Concat(b.Grad.Data).Sum(x => (double)x * x));
        Assert.Equal(6.5, after, 5);
    }

    [Fact]
    public void LeavesGradientsBelowMaxNormUnchanged()
    {
        var a = WithGrad(3f, -4f, 12f);
        Assert.Equal(13f, ClipGrad.ClipGradNorm(new[] { a }, maxNorm: 13.5f));
        Assert.Equal(new[] { 3f, -4f, 12f }, a.Grad!.Data);
    }

    [Fact]
    public void SkipsParametersWithoutGradient()
    {
        var a = WithGrad(3f, 4f);
        var none = Tensor.Ones(3);
        Assert.Equal(5f, ClipGrad.ClipGradNorm(new[] { none, a }, maxNorm: 1f));
        Assert.Null(none.Grad);
        Assert.Equal(0.6f, a.Grad!.Data[0], 5);
        Assert.Equal(0.8f, a.Grad.Data[1], 5);
        Assert.Equal(0f, ClipGrad.ClipGradNorm(new[] { none }, maxNorm: 1f));
    }

    [Fact]
    public void SupportsOneAndInfinityNorms()
    {
        var a = WithGrad(3f, -4f, 12f);
        Assert.Equal(19f, ClipGrad.ClipGradNorm(new[] { a }, maxNorm: 9.5f, normType: 1f));
        Assert.Equal(-2f, a.Grad!.Data[1], 5);
        var b = WithGrad(3f, -4f, 12f);
        Assert.Equal(12f, ClipGrad.ClipGradNorm(new[] { b }, maxNorm: 6f, normType: float.PositiveInfinity));
        Assert.Equal(6f, b.Grad!.Data[2], 5);
        var c = WithGrad(1f, 2f);
        Assert.Equal((float)Math.Pow(9, 1 / 3.0), ClipGrad.ClipGradNorm(new[] { c }, maxNorm: 100f, normType: 3f), 5);
    }

    [Fact]
    public void NonFiniteNormThrowsOnlyWhenAsked()
    {
        var a = WithGrad(1f, float.NaN);
        Assert.Throws<InvalidOperationException>(() => ClipGrad.ClipGradNorm(new[] { a }, 1f, errorIfNonfinite: true));
        Assert.Equal(1f, a.Grad!.Data[0]);
        Assert.True(float.IsNaN(ClipGrad.ClipGradNorm(new[] { a }, 1f)));
        Assert.True(float.IsNaN(a.Grad.Data[0])); // PyTorch propagates the NaN scale
    }

    [Fact]
    public void ClipGradValueClampsElementwiseAndSkipsNullGradients()
    {
        var a = WithGrad(-3f, 0.25f, 2f, -0.5f);
        var none = Tensor.Zeros(2);
        ClipGrad.ClipGradValue(new[] { a, none }, 0.5f);
        Assert.Equal(new[] { -0.5f, 0.25f, 0.5f, -0.5f }, a.Grad!.Data);
        Assert.Null(none.Grad);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClipGrad.ClipGradValue(new[] { a }, -1f));
    }
}
