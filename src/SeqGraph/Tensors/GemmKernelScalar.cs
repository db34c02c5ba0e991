using System.Runtime.CompilerServices;

namespace SeqGraph.Tensors;

/// <summary>
/// Portable 4×4 micro-kernel for machines without AVX2/FMA. Same contract as
/// <see cref="GemmKernelAvx512"/>; the final update uses the same fused formula as the edge path.
/// </summary>
internal static unsafe class GemmKernelScalar
{
    public const int MR = 4, NR = 4;

    /// <summary>See <see cref="GemmKernelAvx512.Kernel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel(int kc, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, float alpha, float beta, bool update)
    {
        float* acc = stackalloc float[MR * NR];
        for (int i = 0; i < MR * NR; i++) acc[i] = 0;
        for (int p = 0; p < kc; p++, a += lda, b += ldb)
            for (int r = 0; r < MR; r++)
            {
                float ar = a[r];
                float* row = acc + r * NR;
                row[0] += ar * b[0];
                row[1] += ar * b[1];
                row[2] += ar * b[2];
                row[3] += ar * b[3];
            }
        for (int r = 0; r < MR; r++)
            for (int j = 0; j < NR; j++)
            {
                ref float cij = ref c[r * ldc + j];
                cij = update ? MathF.FusedMultiplyAdd(alpha, acc[r * NR + j], beta * cij) : alpha * acc[r * NR + j];
            }
    }
}
