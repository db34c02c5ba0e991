namespace SeqGraph.Tensors;

/// <summary>
/// Single-precision general matrix multiply on row-major storage:
/// C = α·op(A)·op(B) + β·C, where op(A) is m×k and op(B) is k×n. With <c>transA</c>, A is stored
/// k×m (leading dimension lda ≥ m); with <c>transB</c>, B is stored n×k (ldb ≥ k).
/// </summary>
/// <remarks>
/// Packed, cache-blocked and register-tiled (see <see cref="GemmDriver"/>); transposed operands
/// are handled by the packing, never materialised. Large products are split over
/// <see cref="Parallelism.Threads"/> threads by rows or columns of C only (never along k), so the
/// result is bit-identical for any thread count.
/// </remarks>
public static class Gemm
{
    /// <summary>Below this many flops (2·m·n·k) a product runs on the calling thread only.</summary>
    internal const double ParallelFlops = 4e6;

    /// <summary>C = α·op(A)·op(B) + β·C. See the class summary for the layout.</summary>
    /// <exception cref="ArgumentException">A size or leading dimension is invalid, or a span is too short.</exception>
    public static unsafe void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, "m must be non-negative");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be non-negative");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be non-negative");
        CheckOperand("a", a.Length, transA ? k : m, transA ? m : k, lda, nameof(lda));
        CheckOperand("b", b.Length, transB ? n : k, transB ? k : n, ldb, nameof(ldb));
        CheckOperand("c", c.Length, m, n, ldc, nameof(ldc));
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0)
        {
            Scale(m, n, beta, c, ldc);
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            int tasks = TaskCount(m, n, k);
            if (tasks == 1)
            {
                GemmDriver.Run(transA, transB, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, 0, m, 0, n);
                return;
            }
            // split, or the whole product on this thread when that has been faster for this shape
            var call = SplitChoice.Choose(GemmSite, HashCode.Combine(m, n, k, transA, transB));
            if (!call.Split)
            {
                GemmDriver.Run(transA, transB, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, 0, m, 0, n);
                call.Done();
                return;
            }
            var job = t_job ??= new GemmJob();
            job.Set(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, tasks);
            WorkerPool.Run(job, tasks);
            call.Done();
        }
    }

    [ThreadStatic] private static GemmJob? t_job;

    /// <summary>The products' identity for <see cref="SplitChoice"/>.</summary>
    private static readonly object GemmSite = new();

    /// <summary>Floats a packed k×n operand needs (see <see cref="PackB"/>).</summary>
    internal static int PackedLength(int k, int n) => k * ((n + GemmDriver.NR - 1) / GemmDriver.NR * GemmDriver.NR);

    /// <summary>
    /// Packs op(B) (k×n; with <paramref name="transB"/> B is stored n×k) once into
    /// <paramref name="dst"/> (at least <see cref="PackedLength"/> floats, e.g. rented from the
    /// buffer pool), for many products with the same B — a recurrent weight used at every time
    /// step: see <see cref="SgemmPacked"/>.
    /// </summary>
    internal static unsafe PackedB PackB(bool transB, int k, int n, ReadOnlySpan<float> b, int ldb, float[] dst)
    {
        if (k < 1 || n < 1) throw new ArgumentOutOfRangeException(nameof(k), "a packed operand needs k ≥ 1 and n ≥ 1");
        CheckOperand("b", b.Length, transB ? n : k, transB ? k : n, ldb, nameof(ldb));
        if (dst.Length < PackedLength(k, n)) throw new ArgumentException($"the packed operand needs {PackedLength(k, n)} floats, got {dst.Length}", nameof(dst));
        int width;
        fixed (float* pb = b, pd = dst) width = GemmDriver.PackAll(transB, k, n, pb, ldb, pd);
        return new PackedB(dst, k, n, width);
    }

    /// <summary>
    /// C = α·op(A)·B + β·C on the calling thread, with B packed by <see cref="PackB"/>; the same
    /// result as <see cref="Sgemm"/> with the unpacked B.
    /// </summary>
    internal static unsafe void SgemmPacked(bool transA, int m, float alpha, ReadOnlySpan<float> a, int lda,
        PackedB b, float beta, Span<float> c, int ldc)
    {
        int k = b.K, n = b.N;
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, "m must be non-negative");
        CheckOperand("a", a.Length, transA ? k : m, transA ? m : k, lda, nameof(lda));
        CheckOperand("c", c.Length, m, n, ldc, nameof(ldc));
        if (m == 0) return;
        if (alpha == 0)
        {
            Scale(m, n, beta, c, ldc);
            return;
        }
        fixed (float* pa = a, pb = b.Data, pc = c)
            GemmDriver.Run(transA, false, k, alpha, pa, lda, null, 0, beta, pc, ldc, 0, m, 0, n, pb, b.Width);
    }

    /// <summary>How many threads a product of this size uses.</summary>
    internal static int TaskCount(int m, int n, int k)
    {
        int threads = Parallelism.Threads;
        if (threads == 1 || 2.0 * m * n * k < ParallelFlops) return 1;
        int tiles = n >= m ? (n + GemmDriver.NR - 1) / GemmDriver.NR : (m + GemmDriver.MR - 1) / GemmDriver.MR;
        return Math.Max(1, Math.Min(threads, tiles));
    }

    private static void CheckOperand(string name, int length, int rows, int cols, int ld, string ldName)
    {
        if (ld < cols || ld < 0)
            throw new ArgumentException($"{ldName} = {ld} is less than the row length {cols} of {name}", ldName);
        if (rows == 0 || cols == 0) return;
        long need = (long)(rows - 1) * ld + cols;
        if (length < need)
            throw new ArgumentException($"span {name} has {length} elements; a {rows}×{cols} matrix with leading dimension {ld} needs {need}", name);
    }

    private static void Scale(int m, int n, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0) row.Clear();
            else if (beta != 1) TensorPrimitives.Multiply(row, beta, row);
        }
    }
}
