using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SeqGraph.Tensors;

/// <summary>
/// Level-1 vector kernels for short rows (GAT's per-head features, sparse scatters), 8 lanes at a
/// time with fused multiply-adds, where a library call per row would cost more than the work.
/// </summary>
internal static class Blas1
{
    /// <summary>Σ x·y over equal-length spans (8 lanes at a time; for the short per-head rows of GAT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        float s = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= x.Length; i += 8) acc = Vector256.FusedMultiplyAdd(Vector256.Create(x.Slice(i, 8)), Vector256.Create(y.Slice(i, 8)), acc);
            s = Vector256.Sum(acc);
        }
        for (; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>y += a·x over equal-length spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i + 8 <= x.Length; i += 8)
                Vector256.FusedMultiplyAdd(va, Vector256.Create(x.Slice(i, 8)), Vector256.Create(y.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }
}
