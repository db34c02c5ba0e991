using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SeqGraph.Tensors;

/// <summary>
/// The Goto/BLIS blocked loop nest for one rectangle of C: columns in blocks of NC, k in blocks
/// of kc (B block packed once, reused by all row blocks), rows in blocks of MC (A block packed,
/// stays in L2), then NR-wide × MR-tall micro-tiles. The k blocking depends only on k, and every
/// C element gets the same sequence of operations whichever rectangle or tile holds it, so
/// results do not depend on how C is partitioned among threads.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>Largest k block; the actual kc splits k evenly into ⌈k/KC⌉ blocks.</summary>
    public const int KC = 256;
    /// <summary>Column block (B block kc×NC lives in L3).</summary>
    public const int NC = 2048;

    public static readonly int MR, NR, MC;
    private static readonly delegate*<int, float*, float*, float*, nint, float, float, bool, void> Kernel;

    [ThreadStatic] private static float[]? t_buffer;

    static GemmDriver()
    {
        if (Avx512F.IsSupported)
        {
            (MR, NR) = (GemmKernelAvx512.MR, GemmKernelAvx512.NR);
            Kernel = &GemmKernelAvx512.Kernel;
        }
        else if (Fma.IsSupported && Avx2.IsSupported)
        {
            (MR, NR) = (GemmKernelAvx2.MR, GemmKernelAvx2.NR);
            Kernel = &GemmKernelAvx2.Kernel;
        }
        else
        {
            (MR, NR) = (GemmKernelScalar.MR, GemmKernelScalar.NR);
            Kernel = &GemmKernelScalar.Kernel;
        }
        MC = MR * 16;
    }

    /// <summary>The k block size used for a given k (a function of k only).</summary>
    public static int BlockK(int k)
    {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>
    /// C[i0..i1, j0..j1] = α·op(A)·op(B) + β·C for that rectangle; pointers address element (0, 0)
    /// of the whole matrices. Requires k ≥ 1.
    /// </summary>
    public static void Run(bool transA, bool transB, int k, float alpha, float* a, nint lda, float* b, nint ldb,
        float beta, float* c, nint ldc, int i0, int i1, int j0, int j1)
    {
        int mr = MR, nr = NR, kcMax = BlockK(k);
        int ncMax = Math.Min(NC, (j1 - j0 + nr - 1) / nr * nr);
        int mcMax = Math.Min(MC, (i1 - i0 + mr - 1) / mr * mr);
        float* aPack = Buffer(mcMax * kcMax + ncMax * kcMax);
        float* bPack = aPack + mcMax * kcMax;
        float* scratch = stackalloc float[mr * nr];
        var kernel = Kernel;

        for (int jc = j0; jc < j1; jc += NC)
        {
            int nb = Math.Min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool update = pc > 0 || beta != 0;
                float betaEff = pc > 0 ? 1f : beta;
                for (int jr = 0; jr < nb; jr += nr)
                {
                    int w = Math.Min(nr, nb - jr);
                    float* dst = bPack + jr * kc;
                    if (transB) GemmPack.Strided(b + (jc + jr) * ldb + pc, ldb, kc, w, nr, dst);
                    else GemmPack.Contiguous(b + pc * ldb + jc + jr, ldb, kc, w, nr, dst);
                }
                for (int ic = i0; ic < i1; ic += MC)
                {
                    int mb = Math.Min(MC, i1 - ic);
                    for (int ir = 0; ir < mb; ir += mr)
                    {
                        int h = Math.Min(mr, mb - ir);
                        float* dst = aPack + ir * kc;
                        if (transA) GemmPack.Contiguous(a + pc * lda + ic + ir, lda, kc, h, mr, dst);
                        else GemmPack.Strided(a + (ic + ir) * lda + pc, lda, kc, h, mr, dst);
                    }
                    for (int jr = 0; jr < nb; jr += nr)
                    {
                        int w = Math.Min(nr, nb - jr);
                        float* bp = bPack + jr * kc;
                        for (int ir = 0; ir < mb; ir += mr)
                        {
                            int h = Math.Min(mr, mb - ir);
                            float* ap = aPack + ir * kc;
                            float* cp = c + (ic + ir) * ldc + jc + jr;
                            if (h == mr && w == nr)
                                kernel(kc, ap, bp, cp, ldc, alpha, betaEff, update);
                            else
                            {
                                kernel(kc, ap, bp, scratch, nr, 1f, 0f, false);
                                StoreEdge(scratch, nr, cp, ldc, h, w, alpha, betaEff, update);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Writes the valid h×w part of a scratch tile with exactly the kernel's formula.</summary>
    private static void StoreEdge(float* s, int sld, float* c, nint ldc, int h, int w, float alpha, float beta, bool update)
    {
        for (int r = 0; r < h; r++, s += sld, c += ldc)
            for (int j = 0; j < w; j++)
                c[j] = update ? MathF.FusedMultiplyAdd(alpha, s[j], beta * c[j]) : alpha * s[j];
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
