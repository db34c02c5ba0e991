
namespace SeqGraph.Tensors;

/// <summary>
/// Numerically stable softmax kernels on one row. They subtract the row maximum first
/// (<c>TensorPrimitives.SoftMax</c> does not, and overflows for logits like 1000). A row that is
/// all −∞, or holds a NaN or +∞, has no softmax: the result is NaN (as in PyTorch), never an
/// exception, so a diverged model shows as a NaN loss that the trainers and evaluators check.
/// </summary>
public static class Softmax
{
    /// <summary>dst = softmax(src); returns log Σ exp(src), the log-partition, in double precision.</summary>
    public static double Row(ReadOnlySpan<float> src, Span<float> dst)
    {
        float max = TensorPrimitives.Max(src);
        if (float.IsNegativeInfinity(max)) { dst.Fill(float.NaN); return double.NaN; }   // undefined, as in PyTorch: NaN, which callers check
        TensorPrimitives.Subtract(src, max, dst);
        TensorPrimitives.Exp(dst, dst);
        float sum = TensorPrimitives.Sum(dst);
        TensorPrimitives.Multiply(dst, 1f / sum, dst);
        return max + Math.Log(sum);
    }

    /// <summary>dst = log softmax(src); returns the log-partition.</summary>
    /// <remarks>Computed as (x − max) − log Σ exp(x − max): subtracting the large maximum first keeps
    /// full precision for logits far from zero.</remarks>
    public static float LogRow(ReadOnlySpan<float> src, Span<float> dst)
    {
        float max = TensorPrimitives.Max(src);
        if (float.IsNegativeInfinity(max)) { dst.Fill(float.NaN); return float.NaN; }
        TensorPrimitives.Subtract(src, max, dst);
        double sum = 0;
        for (int i = 0; i < dst.Length; i++) sum += MathF.Exp(dst[i]);
        float logSum = (float)Math.Log(sum);
        TensorPrimitives.Subtract(dst, logSum, dst);
        return max + logSum;
    }

    /// <summary>log Σ exp(src), computed stably.</summary>
    public static float LogSumExp(ReadOnlySpan<float> src)
    {
        float max = TensorPrimitives.Max(src);
        if (float.IsNegativeInfinity(max)) return float.NaN;
        double sum = 0;
        for (int i = 0; i < src.Length; i++) sum += MathF.Exp(src[i] - max);
        return max + (float)Math.Log(sum);
    }
}
