using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SeqGraph.Tensors;

/// <summary>
/// Portable 128-bit SIMD micro-kernel (NEON on Arm64, SSE on x86 without AVX2/FMA): a 6×8 tile of
/// C in 12 accumulators of 4 floats. Same contract as <see cref="GemmKernelAvx512"/>; the
/// accumulation is an unfused multiply-add (FMA is not available everywhere this runs) and the
/// final update uses the same fused formula as the driver's edge path.
/// </summary>
internal static unsafe class GemmKernelVector128
{
    public const int MR = 6, NR = 8;

    /// <summary>See <see cref="GemmKernelAvx512.Kernel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel(int kc, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, float alpha, float beta, bool update)
    {
        Vector128<float> c0a = default, c0b = default;
        Vector128<float> c1a = default, c1b = default;
        Vector128<float> c2a = default, c2b = default;
        Vector128<float> c3a = default, c3b = default;
        Vector128<float> c4a = default, c4b = default;
        Vector128<float> c5a = default, c5b = default;
        Vector128<float> va, b0, b1;
        for (int p = 0; p < kc; p++)
        {
            b0 = Vector128.Load(b);
            b1 = Vector128.Load(b + 4);
            va = Vector128.Create(a[0]); c0a += va * b0; c0b += va * b1;
            va = Vector128.Create(a[1]); c1a += va * b0; c1b += va * b1;
            va = Vector128.Create(a[2]); c2a += va * b0; c2b += va * b1;
            va = Vector128.Create(a[3]); c3a += va * b0; c3b += va * b1;
            va = Vector128.Create(a[4]); c4a += va * b0; c4b += va * b1;
            va = Vector128.Create(a[5]); c5a += va * b0; c5b += va * b1;
            a += lda;
            b += ldb;
        }
        float* t = stackalloc float[MR * NR];
        c0a.Store(t + 0); c0b.Store(t + 4);
        c1a.Store(t + 8); c1b.Store(t + 12);
        c2a.Store(t + 16); c2b.Store(t + 20);
        c3a.Store(t + 24); c3b.Store(t + 28);
        c4a.Store(t + 32); c4b.Store(t + 36);
        c5a.Store(t + 40); c5b.Store(t + 44);
        for (int r = 0; r < MR; r++)
            for (int j = 0; j < NR; j++)
            {
                ref float cij = ref c[r * ldc + j];
                cij = update ? MathF.FusedMultiplyAdd(alpha, t[r * NR + j], beta * cij) : alpha * t[r * NR + j];
            }
    }
}
