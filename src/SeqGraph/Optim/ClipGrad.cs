using SeqGraph.Tensors;

namespace SeqGraph.Optim;

/// <summary>
/// Gradient clipping as in <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>.
/// Parameters whose <see cref="Tensor.Grad"/> is null are skipped. Gradients are changed in place.
/// </summary>
public static class ClipGrad
{
    private const int ChunkSize = 1024;

    /// <summary>
    /// Computes the <paramref name="normType"/>-norm of all gradients taken together (as if
    /// concatenated; accumulated in double) and, when <c>maxNorm / (norm + 1e-6)</c> is below 1,
    /// multiplies every gradient by that factor. As in PyTorch, a NaN norm propagates into the
    /// gradients unless <paramref name="errorIfNonfinite"/> is set.
    /// </summary>
    /// <param name="parameters">Parameters whose gradients are clipped.</param>
    /// <param name="maxNorm">Largest allowed total norm (≥ 0).</param>
    /// <param name="normType">The p of the p-norm (&gt; 0), or <see cref="float.PositiveInfinity"/> for the largest magnitude.</param>
    /// <param name="errorIfNonfinite">Throw instead of clipping when the total norm is NaN or infinite.</param>
    /// <returns>The total norm before clipping (0 when no parameter has a gradient).</returns>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, float maxNorm, float normType = 2f, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"invalid max norm {maxNorm}");
        if (!(normType > 0)) throw new ArgumentOutOfRangeException(nameof(normType), $"norm type must be positive or infinity, got {normType}");
        var grads = new List<float[]>();
        foreach (var p in parameters)
            if (p.Grad is { } g) grads.Add(g.Data);
        if (grads.Count == 0) return 0f;

        double total = TotalNorm(grads, normType);
        if (errorIfNonfinite && !double.IsFinite(total))
            throw new InvalidOperationException($"the total norm of order {normType} of the gradients is non-finite ({total}), so it cannot be clipped");
        double coef = maxNorm / (total + 1e-6);
        if (!(coef >= 1)) // also true for NaN, which PyTorch propagates into the gradients
        {
            float c = (float)coef;
            foreach (var g in grads) TensorPrimitives.Multiply(g, c, g);
        }
        return (float)total;
    }

    /// <summary>Clamps every gradient element into [−<paramref name="clipValue"/>, <paramref name="clipValue"/>].</summary>
    /// <param name="parameters">Parameters whose gradients are clipped.</param>
    /// <param name="clipValue">Largest allowed magnitude (≥ 0).</param>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, float clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0)) throw new ArgumentOutOfRangeException(nameof(clipValue), $"invalid clip value {clipValue}");
        foreach (var p in parameters)
            if (p.Grad is { } g) TensorPrimitives.Clamp<float>(g.Data, -clipValue, clipValue, g.Data);
    }

    private static double TotalNorm(List<float[]> grads, float normType)
    {
        if (float.IsPositiveInfinity(normType))
        {
            float max = 0f;
            foreach (var g in grads)
                if (g.Length > 0)
                {
                    float m = MathF.Abs(TensorPrimitives.MaxMagnitude(g));
                    if (float.IsNaN(m)) return double.NaN;
                    max = Math.Max(max, m);
                }
            return max;
        }
        Span<double> d = stackalloc double[ChunkSize];
        double p = normType, sum = 0;
        foreach (var g in grads)
            for (int off = 0; off < g.Length; off += ChunkSize)
            {
                int n = Math.Min(ChunkSize, g.Length - off);
                var dc = d[..n];
                TensorPrimitives.ConvertChecked<float, double>(g.AsSpan(off, n), dc);
                if (p == 2) sum += TensorPrimitives.SumOfSquares<double>(dc);
                else if (p == 1) sum += TensorPrimitives.SumOfMagnitudes<double>(dc);
                else
                {
                    TensorPrimitives.Abs<double>(dc, dc);
                    TensorPrimitives.Pow<double>(dc, p, dc);
                    sum += TensorPrimitives.Sum<double>(dc);
                }
            }
        return p == 2 ? Math.Sqrt(sum) : p == 1 ? sum : Math.Pow(sum, 1 / p);
    }
}
