using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqGraph.Tensors;

/// <summary>
/// The AVX-512 micro-kernels. The main one keeps a 14×32 tile of C in 28 zmm accumulators (two
/// 16-float vectors per row) and updates it by one rank-1 FMA step per k from a packed 14-tall A
/// strip (broadcast) and a 32-wide B strip: 28 independent FMA chains cover the FMA latency of
/// two pipes, and 16 loads per 28 FMAs stay within the load ports. The k loop is unrolled twice
/// (measured: ~205 → ~220 GFLOPS in cache). 8- and 4-row variants handle the bottom rows of C.
/// </summary>
internal static unsafe class GemmKernelAvx512
{
    public const int MR = 14, NR = 32;

    /// <summary>
    /// C[MR×NR] (row stride ldc) = α·acc (update = false) or fma(α, acc, β·C) (update = true), where
    /// acc[r, j] = Σₚ a[p·lda + r]·b[p·ldb + j] over p = 0..kc−1 in order. A is a packed strip
    /// (lda = MR) or, when stored transposed, A itself; B is a packed strip
    /// (ldb = NR) or, when unpacked, B itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel(int kc, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, float alpha, float beta, bool update)
    {
        Vector512<float> c0a = default, c0b = default;
        Vector512<float> c1a = default, c1b = default;
        Vector512<float> c2a = default, c2b = default;
        Vector512<float> c3a = default, c3b = default;
        Vector512<float> c4a = default, c4b = default;
        Vector512<float> c5a = default, c5b = default;
        Vector512<float> c6a = default, c6b = default;
        Vector512<float> c7a = default, c7b = default;
        Vector512<float> c8a = default, c8b = default;
        Vector512<float> c9a = default, c9b = default;
        Vector512<float> c10a = default, c10b = default;
        Vector512<float> c11a = default, c11b = default;
        Vector512<float> c12a = default, c12b = default;
        Vector512<float> c13a = default, c13b = default;
        Vector512<float> va, b0, b1;
        // The C tile is read or written after the loop: start fetching it now.
        for (int r = 0; r < MR; r++)
        {
            Sse.Prefetch0(c + r * ldc);
            Sse.Prefetch0(c + r * ldc + 16);
        }
        int p = 0;
        for (; p + 2 <= kc; p += 2)
        {
            b0 = Vector512.Load(b);
            b1 = Vector512.Load(b + 16);
            va = Vector512.Create(a[0]); c0a = Avx512F.FusedMultiplyAdd(va, b0, c0a); c0b = Avx512F.FusedMultiplyAdd(va, b1, c0b);
            va = Vector512.Create(a[1]); c1a = Avx512F.FusedMultiplyAdd(va, b0, c1a); c1b = Avx512F.FusedMultiplyAdd(va, b1, c1b);
            va = Vector512.Create(a[2]); c2a = Avx512F.FusedMultiplyAdd(va, b0, c2a); c2b = Avx512F.FusedMultiplyAdd(va, b1, c2b);
            va = Vector512.Create(a[3]); c3a = Avx512F.FusedMultiplyAdd(va, b0, c3a); c3b = Avx512F.FusedMultiplyAdd(va, b1, c3b);
            va = Vector512.Create(a[4]); c4a = Avx512F.FusedMultiplyAdd(va, b0, c4a); c4b = Avx512F.FusedMultiplyAdd(va, b1, c4b);
            va = Vector512.Create(a[5]); c5a = Avx512F.FusedMultiplyAdd(va, b0, c5a); c5b = Avx512F.FusedMultiplyAdd(va, b1, c5b);
            va = Vector512.Create(a[6]); c6a = Avx512F.FusedMultiplyAdd(va, b0, c6a); c6b = Avx512F.FusedMultiplyAdd(va, b1, c6b);
            va = Vector512.Create(a[7]); c7a = Avx512F.FusedMultiplyAdd(va, b0, c7a); c7b = Avx512F.FusedMultiplyAdd(va, b1, c7b);
            va = Vector512.Create(a[8]); c8a = Avx512F.FusedMultiplyAdd(va, b0, c8a); c8b = Avx512F.FusedMultiplyAdd(va, b1, c8b);
            va = Vector512.Create(a[9]); c9a = Avx512F.FusedMultiplyAdd(va, b0, c9a); c9b = Avx512F.FusedMultiplyAdd(va, b1, c9b);
            va = Vector512.Create(a[10]); c10a = Avx512F.FusedMultiplyAdd(va, b0, c10a); c10b = Avx512F.FusedMultiplyAdd(va, b1, c10b);
            va = Vector512.Create(a[11]); c11a = Avx512F.FusedMultiplyAdd(va, b0, c11a); c11b = Avx512F.FusedMultiplyAdd(va, b1, c11b);
            va = Vector512.Create(a[12]); c12a = Avx512F.FusedMultiplyAdd(va, b0, c12a); c12b = Avx512F.FusedMultiplyAdd(va, b1, c12b);
            va = Vector512.Create(a[13]); c13a = Avx512F.FusedMultiplyAdd(va, b0, c13a); c13b = Avx512F.FusedMultiplyAdd(va, b1, c13b);
            b0 = Vector512.Load(b + ldb);
            b1 = Vector512.Load(b + ldb + 16);
            va = Vector512.Create(a[lda + 0]); c0a = Avx512F.FusedMultiplyAdd(va, b0, c0a); c0b = Avx512F.FusedMultiplyAdd(va, b1, c0b);
            va = Vector512.Create(a[lda + 1]); c1a = Avx512F.FusedMultiplyAdd(va, b0, c1a); c1b = Avx512F.FusedMultiplyAdd(va, b1, c1b);
            va = Vector512.Create(a[lda + 2]); c2a = Avx512F.FusedMultiplyAdd(va, b0, c2a); c2b = Avx512F.FusedMultiplyAdd(va, b1, c2b);
            va = Vector512.Create(a[lda + 3]); c3a = Avx512F.FusedMultiplyAdd(va, b0, c3a); c3b = Avx512F.FusedMultiplyAdd(va, b1, c3b);
            va = Vector512.Create(a[lda + 4]); c4a = Avx512F.FusedMultiplyAdd(va, b0, c4a); c4b = Avx512F.FusedMultiplyAdd(va, b1, c4b);
            va = Vector512.Create(a[lda + 5]); c5a = Avx512F.FusedMultiplyAdd(va, b0, c5a); c5b = Avx512F.FusedMultiplyAdd(va, b1, c5b);
            va = Vector512.Create(a[lda + 6]); c6a = Avx512F.FusedMultiplyAdd(va, b0, c6a); c6b = Avx512F.FusedMultiplyAdd(va, b1, c6b);
            va = Vector512.Create(a[lda + 7]); c7a = Avx512F.FusedMultiplyAdd(va, b0, c7a); c7b = Avx512F.FusedMultiplyAdd(va, b1, c7b);
            va = Vector512.Create(a[lda + 8]); c8a = Avx512F.FusedMultiplyAdd(va, b0, c8a); c8b = Avx512F.FusedMultiplyAdd(va, b1, c8b);
            va = Vector512.Create(a[lda + 9]); c9a = Avx512F.FusedMultiplyAdd(va, b0, c9a); c9b = Avx512F.FusedMultiplyAdd(va, b1, c9b);
            va = Vector512.Create(a[lda + 10]); c10a = Avx512F.FusedMultiplyAdd(va, b0, c10a); c10b = Avx512F.FusedMultiplyAdd(va, b1, c10b);
            va = Vector512.Create(a[lda + 11]); c11a = Avx512F.FusedMultiplyAdd(va, b0, c11a); c11b = Avx512F.FusedMultiplyAdd(va, b1, c11b);
            va = Vector512.Create(a[lda + 12]); c12a = Avx512F.FusedMultiplyAdd(va, b0, c12a); c12b = Avx512F.FusedMultiplyAdd(va, b1, c12b);
            va = Vector512.Create(a[lda + 13]); c13a = Avx512F.FusedMultiplyAdd(va, b0, c13a); c13b = Avx512F.FusedMultiplyAdd(va, b1, c13b);
            a += 2 * lda;
            b += 2 * ldb;
        }
        if (p < kc)
        {
            b0 = Vector512.Load(b);
            b1 = Vector512.Load(b + 16);
            va = Vector512.Create(a[0]); c0a = Avx512F.FusedMultiplyAdd(va, b0, c0a); c0b = Avx512F.FusedMultiplyAdd(va, b1, c0b);
            va = Vector512.Create(a[1]); c1a = Avx512F.FusedMultiplyAdd(va, b0, c1a); c1b = Avx512F.FusedMultiplyAdd(va, b1, c1b);
            va = Vector512.Create(a[2]); c2a = Avx512F.FusedMultiplyAdd(va, b0, c2a); c2b = Avx512F.FusedMultiplyAdd(va, b1, c2b);
            va = Vector512.Create(a[3]); c3a = Avx512F.FusedMultiplyAdd(va, b0, c3a); c3b = Avx512F.FusedMultiplyAdd(va, b1, c3b);
            va = Vector512.Create(a[4]); c4a = Avx512F.FusedMultiplyAdd(va, b0, c4a); c4b = Avx512F.FusedMultiplyAdd(va, b1, c4b);
            va = Vector512.Create(a[5]); c5a = Avx512F.FusedMultiplyAdd(va, b0, c5a); c5b = Avx512F.FusedMultiplyAdd(va, b1, c5b);
            va = Vector512.Create(a[6]); c6a = Avx512F.FusedMultiplyAdd(va, b0, c6a); c6b = Avx512F.FusedMultiplyAdd(va, b1, c6b);
            va = Vector512.Create(a[7]); c7a = Avx512F.FusedMultiplyAdd(va, b0, c7a); c7b = Avx512F.FusedMultiplyAdd(va, b1, c7b);
            va = Vector512.Create(a[8]); c8a = Avx512F.FusedMultiplyAdd(va, b0, c8a); c8b = Avx512F.FusedMultiplyAdd(va, b1, c8b);
            va = Vector512.Create(a[9]); c9a = Avx512F.FusedMultiplyAdd(va, b0, c9a); c9b = Avx512F.FusedMultiplyAdd(va, b1, c9b);
            va = Vector512.Create(a[10]); c10a = Avx512F.FusedMultiplyAdd(va, b0, c10a); c10b = Avx512F.FusedMultiplyAdd(va, b1, c10b);
            va = Vector512.Create(a[11]); c11a = Avx512F.FusedMultiplyAdd(va, b0, c11a); c11b = Avx512F.FusedMultiplyAdd(va, b1, c11b);
            va = Vector512.Create(a[12]); c12a = Avx512F.FusedMultiplyAdd(va, b0, c12a); c12b = Avx512F.FusedMultiplyAdd(va, b1, c12b);
            va = Vector512.Create(a[13]); c13a = Avx512F.FusedMultiplyAdd(va, b0, c13a); c13b = Avx512F.FusedMultiplyAdd(va, b1, c13b);
        }
        va = Vector512.Create(alpha);
        Vector512<float> vb = Vector512.Create(beta);
        Row(c + 0 * ldc, c0a, c0b, va, vb, update);
        Row(c + 1 * ldc, c1a, c1b, va, vb, update);
        Row(c + 2 * ldc, c2a, c2b, va, vb, update);
        Row(c + 3 * ldc, c3a, c3b, va, vb, update);
        Row(c + 4 * ldc, c4a, c4b, va, vb, update);
        Row(c + 5 * ldc, c5a, c5b, va, vb, update);
        Row(c + 6 * ldc, c6a, c6b, va, vb, update);
        Row(c + 7 * ldc, c7a, c7b, va, vb, update);
        Row(c + 8 * ldc, c8a, c8b, va, vb, update);
        Row(c + 9 * ldc, c9a, c9b, va, vb, update);
        Row(c + 10 * ldc, c10a, c10b, va, vb, update);
        Row(c + 11 * ldc, c11a, c11b, va, vb, update);
        Row(c + 12 * ldc, c12a, c12b, va, vb, update);
        Row(c + 13 * ldc, c13a, c13b, va, vb, update);
    }

    /// <summary>
    /// The same computation for rows r &lt; <paramref name="rows"/> ≤ 8 of a tile, reading A at stride
    /// lda (a strip of the packed A panel starting at one of its rows): the same operations per
    /// element as <see cref="Kernel"/>, without computing most of the absent rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void KernelRows8(int kc, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, int rows, float alpha, float beta, bool update)
    {
        Vector512<float> c0a = default, c0b = default;
        Vector512<float> c1a = default, c1b = default;
        Vector512<float> c2a = default, c2b = default;
        Vector512<float> c3a = default, c3b = default;
        Vector512<float> c4a = default, c4b = default;
        Vector512<float> c5a = default, c5b = default;
        Vector512<float> c6a = default, c6b = default;
        Vector512<float> c7a = default, c7b = default;
        Vector512<float> va, b0, b1;
        int p = 0;
        for (; p + 2 <= kc; p += 2)
        {
            b0 = Vector512.Load(b);
            b1 = Vector512.Load(b + 16);
            va = Vector512.Create(a[0]); c0a = Avx512F.FusedMultiplyAdd(va, b0, c0a); c0b = Avx512F.FusedMultiplyAdd(va, b1, c0b);
            va = Vector512.Create(a[1]); c1a = Avx512F.FusedMultiplyAdd(va, b0, c1a); c1b = Avx512F.FusedMultiplyAdd(va, b1, c1b);
            va = Vector512.Create(a[2]); c2a = Avx512F.FusedMultiplyAdd(va, b0, c2a); c2b = Avx512F.FusedMultiplyAdd(va, b1, c2b);
            va = Vector512.Create(a[3]); c3a = Avx512F.FusedMultiplyAdd(va, b0, c3a); c3b = Avx512F.FusedMultiplyAdd(va, b1, c3b);
            va = Vector512.Create(a[4]); c4a = Avx512F.FusedMultiplyAdd(va, b0, c4a); c4b = Avx512F.FusedMultiplyAdd(va, b1, c4b);
            va = Vector512.Create(a[5]); c5a = Avx512F.FusedMultiplyAdd(va, b0, c5a); c5b = Avx512F.FusedMultiplyAdd(va, b1, c5b);
            va = Vector512.Create(a[6]); c6a = Avx512F.FusedMultiplyAdd(va, b0, c6a); c6b = Avx512F.FusedMultiplyAdd(va, b1, c6b);
            va = Vector512.Create(a[7]); c7a = Avx512F.FusedMultiplyAdd(va, b0, c7a); c7b = Avx512F.FusedMultiplyAdd(va, b1, c7b);
            b0 = Vector512.Load(b + ldb);
            b1 = Vector512.Load(b + ldb + 16);
            va = Vector512.Create(a[lda + 0]); c0a = Avx512F.FusedMultiplyAdd(va, b0, c0a); c0b = Avx512F.FusedMultiplyAdd(va, b1, c0b);
            va = Vector512.Create(a[lda + 1]); c1a = Avx512F.FusedMultiplyAdd(va, b0, c1a); c1b = Avx512F.FusedMultiplyAdd(va, b1, c1b);
            va = Vector512.Create(a[lda + 2]); c2a = Avx512F.FusedMultiplyAdd(va, b0, c2a); c2b = Avx512F.FusedMultiplyAdd(va, b1, c2b);
            va = Vector512.Create(a[lda + 3]); c3a = Avx512F.FusedMultiplyAdd(va, b0, c3a); c3b = Avx512F.FusedMultiplyAdd(va, b1, c3b);
            va = Vector512.Create(a[lda + 4]); c4a = Avx512F.FusedMultiplyAdd(va, b0, c4a); c4b = Avx512F.FusedMultiplyAdd(va, b1, c4b);
            va = Vector512.Create(a[lda + 5]); c5a = Avx512F.FusedMultiplyAdd(va, b0, c5a); c5b = Avx512F.FusedMultiplyAdd(va, b1, c5b);
            va = Vector512.Create(a[lda + 6]); c6a = Avx512F.FusedMultiplyAdd(va, b0, c6a); c6b = Avx512F.FusedMultiplyAdd(va, b1, c6b);
            va = Vector512.Create(a[lda + 7]); c7a = Avx512F.FusedMultiplyAdd(va, b0, c7a); c7b = Avx512F.FusedMultiplyAdd(va, b1, c7b);
            a += 2 * lda;
            b += 2 * ldb;
        }
        if (p < kc)
        {
            b0 = Vector512.Load(b);
            b1 = Vector512.Load(b + 16);
            va = Vector512.Create(a[0]); c0a = Avx512F.FusedMultiplyAdd(va, b0, c0a); c0b = Avx512F.FusedMultiplyAdd(va, b1, c0b);
            va = Vector512.Create(a[1]); c1a = Avx512F.FusedMultiplyAdd(va, b0, c1a); c1b = Avx512F.FusedMultiplyAdd(va, b1, c1b);
            va = Vector512.Create(a[2]); c2a = Avx512F.FusedMultiplyAdd(va, b0, c2a); c2b = Avx512F.FusedMultiplyAdd(va, b1, c2b);
            va = Vector512.Create(a[3]); c3a = Avx512F.FusedMultiplyAdd(va, b0, c3a); c3b = Avx512F.FusedMultiplyAdd(va, b1, c3b);
            va = Vector512.Create(a[4]); c4a = Avx512F.FusedMultiplyAdd(va, b0, c4a); c4b = Avx512F.FusedMultiplyAdd(va, b1, c4b);
            va = Vector512.Create(a[5]); c5a = Avx512F.FusedMultiplyAdd(va, b0, c5a); c5b = Avx512F.FusedMultiplyAdd(va, b1, c5b);
            va = Vector512.Create(a[6]); c6a = Avx512F.FusedMultiplyAdd(va, b0, c6a); c6b = Avx512F.FusedMultiplyAdd(va, b1, c6b);
            va = Vector512.Create(a[7]); c7a = Avx512F.FusedMultiplyAdd(va, b0, c7a); c7b = Avx512F.FusedMultiplyAdd(va, b1, c7b);
        }
        va = Vector512.Create(alpha);
        Vector512<float> vb = Vector512.Create(beta);
        Row(c, c0a, c0b, va, vb, update);
        if (rows > 1) Row(c + 1 * ldc, c1a, c1b, va, vb, update);
        if (rows > 2) Row(c + 2 * ldc, c2a, c2b, va, vb, update);
        if (rows > 3) Row(c + 3 * ldc, c3a, c3b, va, vb, update);
        if (rows > 4) Row(c + 4 * ldc, c4a, c4b, va, vb, update);
        if (rows > 5) Row(c + 5 * ldc, c5a, c5b, va, vb, update);
        if (rows > 6) Row(c + 6 * ldc, c6a, c6b, va, vb, update);
        if (rows > 7) Row(c + 7 * ldc, c7a, c7b, va, vb, update);
    }

    /// <summary>
    /// The same computation for rows r &lt; <paramref name="rows"/> ≤ 4 of a tile, reading A at stride
    /// lda (a strip of the packed A panel starting at one of its rows): the same operations per
    /// element as <see cref="Kernel"/>, without computing most of the absent rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void KernelRows4(int kc, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, int rows, float alpha, float beta, bool update)
    {
        Vector512<float> c0a = default, c0b = default;
        Vector512<float> c1a = default, c1b = default;
        Vector512<float> c2a = default, c2b = default;
        Vector512<float> c3a = default, c3b = default;
        Vector512<float> va, b0, b1;
        int p = 0;
        for (; p + 2 <= kc; p += 2)
        {
            b0 = Vector512.Load(b);
            b1 = Vector512.Load(b + 16);
            va = Vector512.Create(a[0]); c0a = Avx512F.FusedMultiplyAdd(va, b0, c0a); c0b = Avx512F.FusedMultiplyAdd(va, b1, c0b);
            va = Vector512.Create(a[1]); c1a = Avx512F.FusedMultiplyAdd(va, b0, c1a); c1b = Avx512F.FusedMultiplyAdd(va, b1, c1b);
            va = Vector512.Create(a[2]); c2a = Avx512F.FusedMultiplyAdd(va, b0, c2a); c2b = Avx512F.FusedMultiplyAdd(va, b1, c2b);
            va = Vector512.Create(a[3]); c3a = Avx512F.FusedMultiplyAdd(va, b0, c3a); c3b = Avx512F.FusedMultiplyAdd(va, b1, c3b);
            b0 = Vector512.Load(b + ldb);
            b1 = Vector512.Load(b + ldb + 16);
            va = Vector512.Create(a[lda + 0]); c0a = Avx512F.FusedMultiplyAdd(va, b0, c0a); c0b = Avx512F.FusedMultiplyAdd(va, b1, c0b);
            va = Vector512.Create(a[lda + 1]); c1a = Avx512F.FusedMultiplyAdd(va, b0, c1a); c1b = Avx512F.FusedMultiplyAdd(va, b1, c1b);
            va = Vector512.Create(a[lda + 2]); c2a = Avx512F.FusedMultiplyAdd(va, b0, c2a); c2b = Avx512F.FusedMultiplyAdd(va, b1, c2b);
            va = Vector512.Create(a[lda + 3]); c3a = Avx512F.FusedMultiplyAdd(va, b0, c3a); c3b = Avx512F.FusedMultiplyAdd(va, b1, c3b);
            a += 2 * lda;
            b += 2 * ldb;
        }
        if (p < kc)
        {
            b0 = Vector512.Load(b);
            b1 = Vector512.Load(b + 16);
            va = Vector512.Create(a[0]); c0a = Avx512F.FusedMultiplyAdd(va, b0, c0a); c0b = Avx512F.FusedMultiplyAdd(va, b1, c0b);
            va = Vector512.Create(a[1]); c1a = Avx512F.FusedMultiplyAdd(va, b0, c1a); c1b = Avx512F.FusedMultiplyAdd(va, b1, c1b);
            va = Vector512.Create(a[2]); c2a = Avx512F.FusedMultiplyAdd(va, b0, c2a); c2b = Avx512F.FusedMultiplyAdd(va, b1, c2b);
            va = Vector512.Create(a[3]); c3a = Avx512F.FusedMultiplyAdd(va, b0, c3a); c3b = Avx512F.FusedMultiplyAdd(va, b1, c3b);
        }
        va = Vector512.Create(alpha);
        Vector512<float> vb = Vector512.Create(beta);
        Row(c, c0a, c0b, va, vb, update);
        if (rows > 1) Row(c + 1 * ldc, c1a, c1b, va, vb, update);
        if (rows > 2) Row(c + 2 * ldc, c2a, c2b, va, vb, update);
        if (rows > 3) Row(c + 3 * ldc, c3a, c3b, va, vb, update);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(float* c, Vector512<float> x, Vector512<float> y, Vector512<float> alpha, Vector512<float> beta, bool update)
    {
        if (update)
        {
            Vector512.Store(Avx512F.FusedMultiplyAdd(alpha, x, beta * Vector512.Load(c)), c);
            Vector512.Store(Avx512F.FusedMultiplyAdd(alpha, y, beta * Vector512.Load(c + 16)), c + 16);
        }
        else
        {
            Vector512.Store(alpha * x, c);
            Vector512.Store(alpha * y, c + 16);
        }
    }
}
