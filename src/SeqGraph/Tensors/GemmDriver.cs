using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqGraph.Tensors;

/// <summary>
/// The Goto/BLIS blocked loop nest for one rectangle of C: columns in blocks of NC, k in blocks
/// of kc (B block packed once, reused by all row blocks), rows in blocks of MC (A block packed,
/// stays in L2; a transposed A is read in place), then NR-wide × MR-tall micro-tiles. The k blocking depends only on k, and every
/// C element gets the same sequence of operations whichever rectangle or tile holds it, so
/// results do not depend on how C is partitioned among threads.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>Largest k block; the actual kc splits k evenly into ⌈k/KC⌉ blocks.</summary>
    public const int KC = 256;
    /// <summary>Column block (a kc×NC B block, 4 MiB, lives in L3).</summary>
    public const int NC = 4096;

    public static readonly int MR, NR, MC;
    /// <summary>The micro-kernel for full MR-row tiles, and optional ones for up to 8 and up to 4 rows of a tile (the bottom edge of C), or null.</summary>
    private static readonly delegate*<int, float*, nint, float*, nint, float*, nint, int, float, float, bool, void> Kernel, Rows8Kernel, Rows4Kernel;

    /// <summary>
    /// Whether full strips of a transposed A and of an untransposed B are read in place instead of
    /// packed. That saves the copy but reads rows a power-of-two stride apart, which crowd a few
    /// cache sets: measured faster with a 16-way L2 (Zen 5, AVX-512: the TN product 512×128×2304,
    /// the LSTM's ∂W_hh, 164–197 → 198–220 GFLOPS), slower with an 8-way one (Zen 3, AVX2, packing
    /// both at 1 thread, medians of 7: 1024³ TN 53 → 62, 1920×512×2048 TN 59 → 74, 128×256×1024 NN
    /// 58 → 66 GFLOPS; docs/BENCHMARKS.md). So only where the L2 is known to be at least 16-way.
    /// </summary>
    internal static readonly bool InPlaceReads = L2Ways() >= 16;

    [ThreadStatic] private static int t_inPlace; // 0: the machine's choice; 1: in place; 2: packed

    /// <summary>Products on this thread read in place (or pack) whatever the machine, until disposed (tests: both paths on every machine).</summary>
    internal static InPlaceScope ForceInPlaceReads(bool inPlace)
    {
        var scope = new InPlaceScope(t_inPlace);
        t_inPlace = inPlace ? 1 : 2;
        return scope;
    }

    /// <summary>This thread's forced choice (0: none), for a parallel product to hand to its workers' <see cref="Run"/>.</summary>
    internal static int InPlaceSetting => t_inPlace;

    /// <summary>Restores the previous choice when disposed.</summary>
    internal readonly struct InPlaceScope(int previous) : IDisposable
    {
        public void Dispose() => t_inPlace = previous;
    }

    [ThreadStatic] private static float[]? t_buffer;

    static GemmDriver()
    {
        if (Avx512F.IsSupported)
        {
            (MR, NR) = (GemmKernel.Rows14.Rows, 2 * GemmVector512.Count);
            Kernel = &GemmKernel.Kernel<GemmVector512, Vector512<float>, GemmKernel.Rows14>;
            Rows8Kernel = &GemmKernel.Kernel<GemmVector512, Vector512<float>, GemmKernel.Rows8>;
            Rows4Kernel = &GemmKernel.Kernel<GemmVector512, Vector512<float>, GemmKernel.Rows4>;
        }
        else if (Fma.IsSupported && Avx2.IsSupported)
        {
            (MR, NR) = (GemmKernel.Rows6.Rows, 2 * GemmVector256.Count);
            Kernel = &GemmKernel.Kernel<GemmVector256, Vector256<float>, GemmKernel.Rows6>;
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            (MR, NR) = (GemmKernel.Rows6.Rows, 2 * GemmVector128.Count);
            Kernel = &GemmKernel.Kernel<GemmVector128, Vector128<float>, GemmKernel.Rows6>;
        }
        else
        {
            (MR, NR) = (GemmKernel.Rows4.Rows, 2 * GemmVector1.Count);
            Kernel = &GemmKernel.Kernel<GemmVector1, float, GemmKernel.Rows4>;
        }
        MC = MR * 24;
    }

    /// <summary>The k block size used for a given k (a function of k only).</summary>
    public static int BlockK(int k)
    {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>
    /// C[i0..i1, j0..j1] = α·op(A)·op(B) + β·C for that rectangle; pointers address element (0, 0)
    /// of the whole matrices. Requires k ≥ 1. With <paramref name="bPacked"/>, B is not read: its
    /// strips come from a panel made by <see cref="PackAll"/> (<paramref name="bPackedWidth"/> =
    /// the padded column count of that panel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool transA, bool transB, int k, float alpha, float* a, nint lda, float* b, nint ldb,
        float beta, float* c, nint ldc, int i0, int i1, int j0, int j1, float* bPacked = null, nint bPackedWidth = 0, int inPlace = 0)
    {
        int mr = MR, nr = NR, kcMax = BlockK(k);
        int ncMax = Math.Min(NC, (j1 - j0 + nr - 1) / nr * nr);
        int mcMax = Math.Min(MC, (i1 - i0 + mr - 1) / mr * mr);
        float* aPack = Buffer(mcMax * kcMax + ncMax * kcMax);
        float* bPack = aPack + mcMax * kcMax;
        float* scratch = stackalloc float[mr * nr];
        var kernel = Kernel;
        int setting = inPlace != 0 ? inPlace : t_inPlace;
        bool inPlaceReads = setting == 0 ? InPlaceReads : setting == 1;

        for (int jc = j0; jc < j1; jc += NC)
        {
            int nb = Math.Min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool update = pc > 0 || beta != 0;
                float betaEff = pc > 0 ? 1f : beta;
                // A single row block uses each B strip once: full strips of an untransposed B are
                // then read in place (row stride ldb) instead of being copied first, unless rows
                // 8 KiB apart or a multiple of that would map a strip onto too few L2 sets while
                // several row tiles reuse it.
                // A stored transposed holds the MR values of a strip side by side in each of its k
                // rows: full strips are read in place (stride lda) instead of being copied first
                // (measured on Zen 5: TN 512×128×2304, the LSTM's ∂W_hh, 164–197 → 198–220 GFLOPS;
                // better or equal on every TN shape tried there, power-of-two lda included; slower
                // with an 8-way L2, hence InPlaceReads).
                bool directA = transA && inPlaceReads;
                bool direct = inPlaceReads && !transB && i1 - i0 <= MC && ((ldb & 2047) != 0 || i1 - i0 <= mr);
                if (bPacked == null && !transB && !direct)
                    GemmPack.ContiguousPanel(b + pc * ldb + jc, ldb, kc, nb, nr, bPack);
                else
                {
                    for (int jr = 0; jr < nb && bPacked == null; jr += nr)
                    {
                        int w = Math.Min(nr, nb - jr);
                        if (direct && w == nr) continue;
                        float* dst = bPack + jr * kc;
                        if (transB) GemmPack.Strided(b + (jc + jr) * ldb + pc, ldb, kc, w, nr, dst);
                        else GemmPack.Contiguous(b + pc * ldb + jc + jr, ldb, kc, w, nr, dst);
                    }
                }
                for (int ic = i0; ic < i1; ic += MC)
                {
                    int mb = Math.Min(MC, i1 - ic);
                    if (transA && !directA)
                        GemmPack.ContiguousPanel(a + pc * lda + ic, lda, kc, mb, mr, aPack);
                    else
                    {
                        for (int ir = 0; ir < mb; ir += mr)
                        {
                            int h = Math.Min(mr, mb - ir);
                            if (directA && h == mr) continue;
                            float* dst = aPack + ir * kc;
                            if (transA) GemmPack.Contiguous(a + pc * lda + ic + ir, lda, kc, h, mr, dst);
                            else GemmPack.Strided(a + (ic + ir) * lda + pc, lda, kc, h, mr, dst);
                        }
                    }
                    for (int jr = 0; jr < nb; jr += nr)
                    {
                        int w = Math.Min(nr, nb - jr);
                        bool bInPlace = direct && w == nr && bPacked == null;
                        float* bp = bPacked != null ? bPacked + pc * bPackedWidth + (jc + jr) * kc
                            : bInPlace ? b + pc * ldb + jc + jr : bPack + jr * kc;
                        nint bld = bInPlace ? ldb : nr;
                        for (int ir = 0; ir < mb; ir += mr)
                        {
                            int h = Math.Min(mr, mb - ir);
                            bool aInPlace = directA && h == mr;
                            float* ap = aInPlace ? a + pc * lda + ic + ir : aPack + ir * kc;
                            nint ald = aInPlace ? lda : mr;
                            float* cp = c + (ic + ir) * ldc + jc + jr;
                            if (h == mr && w == nr)
                                kernel(kc, ap, ald, bp, bld, cp, ldc, mr, alpha, betaEff, update);
                            else if (w == nr && Rows8Kernel != null)
                            {
                                // Bottom rows: 8 then 4 at a time (14 = 8 + 4 + 2, 8 = 8, 2 = 2).
                                for (int g = 0; g < h; g += 8)
                                {
                                    int rows = Math.Min(8, h - g);
                                    if (rows > 4) Rows8Kernel(kc, ap + g, mr, bp, bld, cp + g * ldc, ldc, rows, alpha, betaEff, update);
                                    else Rows4Kernel(kc, ap + g, mr, bp, bld, cp + g * ldc, ldc, rows, alpha, betaEff, update);
                                }
                            }
                            else
                            {
                                kernel(kc, ap, ald, bp, bld, scratch, nr, mr, 1f, 0f, false);
                                StoreEdge(scratch, nr, cp, ldc, h, w, alpha, betaEff, update);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs all of op(B) (k×n) the way <see cref="Run"/> packs each block: k blocks of
    /// <see cref="BlockK"/> in order, each holding every NR-wide column strip. Returns the padded
    /// column count (n rounded up to NR); <paramref name="dst"/> needs k × that many floats.
    /// </summary>
    public static int PackAll(bool transB, int k, int n, float* b, nint ldb, float* dst)
    {
        int nr = NR, kcMax = BlockK(k), nPad = (n + nr - 1) / nr * nr;
        for (int pc = 0; pc < k; pc += kcMax)
        {
            int kc = Math.Min(kcMax, k - pc);
            float* block = dst + (nint)pc * nPad;
            if (!transB)
            {
                GemmPack.ContiguousPanel(b + pc * ldb, ldb, kc, n, nr, block);
                continue;
            }
            for (int jr = 0; jr < n; jr += nr)
            {
                int w = Math.Min(nr, n - jr);
                if (transB) GemmPack.Strided(b + jr * ldb + pc, ldb, kc, w, nr, block + jr * kc);
                else GemmPack.Contiguous(b + pc * ldb + jr, ldb, kc, w, nr, block + jr * kc);
            }
        }
        return nPad;
    }

    /// <summary>Writes the valid h×w part of a scratch tile with exactly the kernel's formula.</summary>
    private static void StoreEdge(float* s, int sld, float* c, nint ldc, int h, int w, float alpha, float beta, bool update)
    {
        for (int r = 0; r < h; r++, s += sld, c += ldc)
            for (int j = 0; j < w; j++)
                c[j] = update ? MathF.FusedMultiplyAdd(alpha, s[j], beta * c[j]) : alpha * s[j];
    }

    /// <summary>The L2 cache's associativity as Linux reports it for CPU 0, or 0 when unknown.</summary>
    private static int L2Ways()
    {
        try
        {
            for (int i = 0; i < 8; i++)
            {
                string dir = $"/sys/devices/system/cpu/cpu0/cache/index{i}/";
                if (!File.Exists(dir + "level")) break;
                if (File.ReadAllText(dir + "level").Trim() == "2"
                    && int.TryParse(File.ReadAllText(dir + "ways_of_associativity").Trim(), out int ways)) return ways;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }

    /// <summary>This thread's 64-byte-aligned packing buffer of at least n floats (pinned, reused).</summary>
    private static float* Buffer(int n)
    {
        var buf = t_buffer;
        if (buf == null || buf.Length < n + 16)
            t_buffer = buf = GC.AllocateUninitializedArray<float>(n + 16, pinned: true);
        float* p = (float*)Unsafe.AsPointer(ref buf[0]);
        return (float*)(((nint)p + 63) & ~(nint)63);
    }
}
