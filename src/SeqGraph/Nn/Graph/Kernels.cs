using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SeqGraph.Tensors;

namespace SeqGraph.Nn.Graph;

/// <summary>
/// Row-parallel sparse kernels for the graph layers. Each output row is produced by exactly one
/// thread with a fixed summation order, so results are identical for any thread count.
/// </summary>
internal static class Kernels
{
    /// <summary>Below this many multiply-adds a kernel stays on the calling thread.</summary>
    private const long ParallelThreshold = 1 << 15;

    /// <summary>Runs body(start, end) over row ranges covering 0..n−1, in parallel when worthwhile.</summary>
    public static void Rows(int n, long work, Action<int, int> body)
    {
        int threads = Parallelism.Threads;
        if (threads == 1 || work < ParallelThreshold || n < 2)
        {
            body(0, n);
            return;
        }
        int chunks = Math.Min(n, threads * 4);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            c => body((int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks)));
    }

    /// <summary>
    /// y = A·x for sparse A and dense x [A.Cols, f]; the first A.Rows·f values of y are overwritten
    /// (arrays may be longer, e.g. rented from a pool).
    /// </summary>
    public static void SpMM(CsrMatrix a, float[] x, int f, float[] y)
    {
        if (x.Length < a.Cols * f || y.Length < a.Rows * f) throw new ArgumentException("spmm: size mismatch");
        Rows(a.Rows, (long)a.Nnz * f, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++) GatherRow(a.ColIndex, a.Values, a.RowPtr[r], a.RowPtr[r + 1], x, f, y.AsSpan(r * f, f));
        });
    }

    /// <summary>
    /// yr = Σ_e val[e]·x[col[e], :] over e0..e1, accumulated in registers 8 columns at a time
    /// (short rows make library calls per entry the dominant cost).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherRow(int[] col, float[] val, int e0, int e1, float[] x, int f, Span<float> yr)
    {
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float xs = ref x[0];
            for (; c + 8 <= f; c += 8)
            {
                var acc = Vector256<float>.Zero;
                for (int e = e0; e < e1; e++)
                    acc = Vector256.FusedMultiplyAdd(Vector256.Create(val[e]), Vector256.LoadUnsafe(ref xs, (nuint)(col[e] * f + c)), acc);
                acc.CopyTo(yr.Slice(c, 8));
            }
        }
        for (; c < f; c++)
        {
            float acc = 0;
            for (int e = e0; e < e1; e++) acc += val[e] * x[col[e] * f + c];
            yr[c] = acc;
        }
    }

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

    /// <summary>y = X·W for sparse X [N, K] and dense W [K, m]; y [N, m] is overwritten.</summary>
    public static void SparseTimesDense(CsrMatrix x, float[] w, int m, float[] y) => SpMM(x, w, m, y);

    /// <summary>dW += Xᵀ·G for sparse X [N, K], dense G [N, m], dW [K, m]. Serial scatter: deterministic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SparseTransposeTimesDenseAdd(CsrMatrix x, float[] g, int m, Span<float> dw)
    {
        if (g.Length < x.Rows * m || dw.Length != x.Cols * m) throw new ArgumentException("sparse transpose product: size mismatch");
        var rowPtr = x.RowPtr;
        var col = x.ColIndex;
        var val = x.Values;
        for (int r = 0; r < x.Rows; r++)
        {
            var gr = g.AsSpan(r * m, m);
            for (int e = rowPtr[r]; e < rowPtr[r + 1]; e++)
            {
                float v = val[e];
                if (v == 0f) continue;     // entries zeroed by dropout
                Axpy(v, gr, dw.Slice(col[e] * m, m));
            }
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
