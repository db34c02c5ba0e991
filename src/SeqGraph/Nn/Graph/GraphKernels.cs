using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SeqGraph.Tensors;

namespace SeqGraph.Nn.Graph;

/// <summary>
/// The element-wise kernels of the graph layers (dropout masks, the masked ReLU, the short dot
/// products and axpys of GAT's per-head rows). The sparse products are <see cref="CsrMatrix"/>'s;
/// row loops go through <see cref="ParallelRange.For"/>.
/// </summary>
internal static class GraphKernels
{
    /// <summary>
    /// Fills <paramref name="mask"/> with 0 (probability p) or 1/(1−p), four decisions per 64-bit
    /// draw (16 bits each; p rounded to a multiple of 2⁻¹⁶). Serial: the stream ignores threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DropoutMask(Random.Rng rng, float p, Span<float> mask)
    {
        uint threshold = (uint)Math.Round(p * 65536.0);
        float scale = 1f / (1f - p);
        int i = 0;
        for (; i + 4 <= mask.Length; i += 4)
        {
            ulong r = rng.NextUInt64();
            mask[i] = (uint)(r & 0xFFFF) < threshold ? 0f : scale;
            mask[i + 1] = (uint)((r >> 16) & 0xFFFF) < threshold ? 0f : scale;
            mask[i + 2] = (uint)((r >> 32) & 0xFFFF) < threshold ? 0f : scale;
            mask[i + 3] = (uint)(r >> 48) < threshold ? 0f : scale;
        }
        if (i < mask.Length)
        {
            ulong r = rng.NextUInt64();
            for (; i < mask.Length; i++, r >>= 16) mask[i] = (uint)(r & 0xFFFF) < threshold ? 0f : scale;
        }
    }

    /// <summary>
    /// mask ← mask where x &gt; 0, else 0 (the ReLU's derivative folded in); y = x·mask.
    /// Branch-free, 8 lanes at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluMask(ReadOnlySpan<float> x, Span<float> mask, Span<float> y)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= x.Length; i += 8)
            {
                var xv = Vector256.Create(x.Slice(i, 8));
                var m = Vector256.ConditionalSelect(Vector256.GreaterThan(xv, Vector256<float>.Zero), Vector256.Create(mask.Slice(i, 8)), Vector256<float>.Zero);
                m.CopyTo(mask.Slice(i, 8));
                (xv * m).CopyTo(y.Slice(i, 8));
            }
        for (; i < x.Length; i++)
        {
            float m = x[i] > 0 ? mask[i] : 0f;
            mask[i] = m;
            y[i] = x[i] * m;
        }
    }

    /// <summary>Adds <paramref name="b"/> to every row of y [rows, b.Length].</summary>
    public static void AddRowVector(float[] y, float[] b)
    {
        int m = b.Length;
        for (int i = 0; i < y.Length; i += m)
        {
            var r = y.AsSpan(i, m);
            TensorPrimitives.Add(r, b, r);
        }
    }

    /// <summary>acc += Σ over rows of g [rows, m].</summary>
    public static void ColumnSumsAdd(float[] g, int m, Span<float> acc)
    {
        for (int i = 0; i < g.Length; i += m) TensorPrimitives.Add(acc, g.AsSpan(i, m), acc);
    }
}
