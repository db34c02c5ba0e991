using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SeqGraph.Tensors;

/// <summary>
/// The GEMM micro-kernel, written once for every vector width (<c>TOps</c>, operations on a
/// register <c>TV</c> of W floats) and row count (<c>TR</c>). It keeps an R×2W tile of C in 2R
/// accumulators (R = TR.Rows, two vectors per row) and updates it by one rank-1 step per k from a
/// packed R-tall A strip (broadcast) and a 2W-wide B strip; the k loop is unrolled twice
/// (measured on AVX-512: ~205 → ~220 GFLOPS in cache). Each instantiation has a constant row
/// count, so the code of the absent rows is dropped and every accumulator stays in a register.
/// 14×32 on AVX-512: 28 zmm accumulators, 28 independent FMA chains cover the FMA latency of two
/// pipes, and 16 loads per 28 FMAs stay within the load ports; 8- and 4-row instantiations
/// handle the bottom rows of C. 6×16 on AVX2, 6×8 on 128-bit SIMD, 4×2 without SIMD.
/// </summary>
internal static unsafe class GemmKernel
{
    /// <summary>The largest row count a tile holds.</summary>
    public const int MaxRows = 14;

    /// <summary>A tile's row count as a constant the JIT folds per instantiation.</summary>
    public interface IRows { static abstract int Rows { get; } }
    public readonly struct Rows14 : IRows { public static int Rows => 14; }
    public readonly struct Rows8 : IRows { public static int Rows => 8; }
    public readonly struct Rows6 : IRows { public static int Rows => 6; }
    public readonly struct Rows4 : IRows { public static int Rows => 4; }

    /// <summary>
    /// Rows r &lt; <paramref name="rows"/> ≤ TR.Rows of C[TR.Rows×NR] (row stride ldc, NR = 2W) =
    /// α·acc (update = false) or fma(α, acc, β·C) (update = true), where
    /// acc[r, j] = Σₚ a[p·lda + r]·b[p·ldb + j] over p = 0..kc−1 in order. A is a packed strip
    /// (lda = MR) or, when stored transposed, A itself; B is a packed strip (ldb = NR) or, when
    /// unpacked, B itself. Every element gets the same operations whatever TR is, so a smaller
    /// row count serves the bottom edge of C with the same results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel<TOps, TV, TR>(int kc, float* a, nint lda, float* b, nint ldb, float* c, nint ldc,
        int rows, float alpha, float beta, bool update)
        where TOps : struct, IGemmVector<TV> where TV : struct where TR : struct, IRows
    {
        Debug.Assert(TR.Rows <= MaxRows && TR.Rows % 2 == 0 && rows <= TR.Rows);
        // The C tile is read or written after the loop: start fetching its cache lines now.
        if (Sse.IsSupported)
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < 2 * TOps.Count; j += 16)
                    Sse.Prefetch0(c + r * ldc + j);
        // One local per two rows, handed by reference to inlined helpers: the JIT keeps each in
        // registers (a struct holding all rows would stay in memory).
        RowPair<TV> g0 = default, g1 = default, g2 = default, g3 = default, g4 = default, g5 = default, g6 = default;
        int p = 0;
        for (; p + 2 <= kc; p += 2)
        {
            Step<TOps, TV, TR>(a, b, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6);
            Step<TOps, TV, TR>(a + lda, b + ldb, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6);
            a += 2 * lda;
            b += 2 * ldb;
        }
        if (p < kc) Step<TOps, TV, TR>(a, b, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6);
        TV va = TOps.Broadcast(alpha), vb = TOps.Broadcast(beta);
        g0.Store<TOps>(c, ldc, rows, va, vb, update);
        if (TR.Rows > 2 && rows > 2) g1.Store<TOps>(c + 2 * ldc, ldc, rows - 2, va, vb, update);
        if (TR.Rows > 4 && rows > 4) g2.Store<TOps>(c + 4 * ldc, ldc, rows - 4, va, vb, update);
        if (TR.Rows > 6 && rows > 6) g3.Store<TOps>(c + 6 * ldc, ldc, rows - 6, va, vb, update);
        if (TR.Rows > 8 && rows > 8) g4.Store<TOps>(c + 8 * ldc, ldc, rows - 8, va, vb, update);
        if (TR.Rows > 10 && rows > 10) g5.Store<TOps>(c + 10 * ldc, ldc, rows - 10, va, vb, update);
        if (TR.Rows > 12 && rows > 12) g6.Store<TOps>(c + 12 * ldc, ldc, rows - 12, va, vb, update);
    }

    /// <summary>
    /// One rank-1 update: a[r] is row r's value at this k, b the strip's 2W values. Rows r ≥ TR.Rows
    /// (an even count) are never touched: the conditions are constants, so those rows cost nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TOps, TV, TR>(float* a, float* b, ref RowPair<TV> g0, ref RowPair<TV> g1,
        ref RowPair<TV> g2, ref RowPair<TV> g3, ref RowPair<TV> g4, ref RowPair<TV> g5, ref RowPair<TV> g6)
        where TOps : struct, IGemmVector<TV> where TV : struct where TR : struct, IRows
    {
        TV b0 = TOps.Load(b), b1 = TOps.Load(b + TOps.Count);
        g0.Add<TOps>(a, 0, b0, b1);
        if (TR.Rows > 2) g1.Add<TOps>(a, 2, b0, b1);
        if (TR.Rows > 4) g2.Add<TOps>(a, 4, b0, b1);
        if (TR.Rows > 6) g3.Add<TOps>(a, 6, b0, b1);
        if (TR.Rows > 8) g4.Add<TOps>(a, 8, b0, b1);
        if (TR.Rows > 10) g5.Add<TOps>(a, 10, b0, b1);
        if (TR.Rows > 12) g6.Add<TOps>(a, 12, b0, b1);
    }

    /// <summary>The accumulators of two rows of a tile: two vectors a row.</summary>
    private struct RowPair<TV> where TV : struct
    {
        private TV _x0, _y0, _x1, _y1;

        /// <summary>
        /// The rows += a[r]·(b0, b1) and a[r + 1]·(b0, b1). (A constant <paramref name="r"/> folds
        /// into the broadcasts' addresses; a pointer a + r would cost an add per call.)
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add<TOps>(float* a, int r, TV b0, TV b1) where TOps : struct, IGemmVector<TV>
        {
            TV va = TOps.Broadcast(a[r]);
            _x0 = TOps.Accumulate(va, b0, _x0);
            _y0 = TOps.Accumulate(va, b1, _y0);
            va = TOps.Broadcast(a[r + 1]);
            _x1 = TOps.Accumulate(va, b0, _x1);
            _y1 = TOps.Accumulate(va, b1, _y1);
        }

        /// <summary>Writes the first row, and the second if <paramref name="rows"/> &gt; 1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Store<TOps>(float* c, nint ldc, int rows, TV alpha, TV beta, bool update) where TOps : struct, IGemmVector<TV>
        {
            Update<TOps>(c, _x0, _y0, alpha, beta, update);
            if (rows > 1) Update<TOps>(c + ldc, _x1, _y1, alpha, beta, update);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Update<TOps>(float* c, TV x, TV y, TV alpha, TV beta, bool update) where TOps : struct, IGemmVector<TV>
        {
            float* c1 = c + TOps.Count;
            if (update)
            {
                TOps.Store(TOps.FusedMultiplyAdd(alpha, x, TOps.Multiply(beta, TOps.Load(c))), c);
                TOps.Store(TOps.FusedMultiplyAdd(alpha, y, TOps.Multiply(beta, TOps.Load(c1))), c1);
            }
            else
            {
                TOps.Store(TOps.Multiply(alpha, x), c);
                TOps.Store(TOps.Multiply(alpha, y), c1);
            }
        }
    }
}
