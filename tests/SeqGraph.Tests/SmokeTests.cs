using SeqGraph.Autograd;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

public class SmokeTests
{
    [Fact]
    public void MatMulOfKnownMatrices()
    {
        var a = Tensor.FromRows(new[] { new[] { 1f, 2f }, new[] { 3f, 4f } });
        var b = Tensor.FromRows(new[] { new[] { 5f, 6f }, new[] { 7f, 8f } });
        var c = Ops.MatMul(a, b);
        Assert.Equal(new[] { 19f, 22f, 43f, 50f }, c.Data);
    }
}
