using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqGraph.Tensors;

/// <summary>
/// The AVX2/FMA micro-kernel for machines without AVX-512: a 6×16 tile of C in 12 ymm
/// accumulators (two 8-float vectors per row). Same contract as <see cref="GemmKernelAvx512"/>.
/// </summary>
internal static unsafe class GemmKernelAvx2
{
    public const int MR = 6, NR = 16;

    /// <summary>See <see cref="GemmKernelAvx512.Kernel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel(int kc, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, float alpha, float beta, bool update)
    {
        Vector256<float> c0a = default, c0b = default;
        Vector256<float> c1a = default, c1b = default;
        Vector256<float> c2a = default, c2b = default;
        Vector256<float> c3a = default, c3b = default;
        Vector256<float> c4a = default, c4b = default;
        Vector256<float> c5a = default, c5b = default;
        Vector256<float> va, b0, b1;
        for (int p = 0; p < kc; p++)
        {
            b0 = Vector256.Load(b);
            b1 = Vector256.Load(b + 8);
            va = Vector256.Create(a[0]); c0a = Fma.MultiplyAdd(va, b0, c0a); c0b = Fma.MultiplyAdd(va, b1, c0b);
            va = Vector256.Create(a[1]); c1a = Fma.MultiplyAdd(va, b0, c1a); c1b = Fma.MultiplyAdd(va, b1, c1b);
            va = Vector256.Create(a[2]); c2a = Fma.MultiplyAdd(va, b0, c2a); c2b = Fma.MultiplyAdd(va, b1, c2b);
            va = Vector256.Create(a[3]); c3a = Fma.MultiplyAdd(va, b0, c3a); c3b = Fma.MultiplyAdd(va, b1, c3b);
            va = Vector256.Create(a[4]); c4a = Fma.MultiplyAdd(va, b0, c4a); c4b = Fma.MultiplyAdd(va, b1, c4b);
            va = Vector256.Create(a[5]); c5a = Fma.MultiplyAdd(va, b0, c5a); c5b = Fma.MultiplyAdd(va, b1, c5b);
            a += lda;
            b += ldb;
        }
        va = Vector256.Create(alpha);
        Vector256<float> vb = Vector256.Create(beta);
            Row(c, c0a, c0b, va, vb, update);
            Row(c + 1 * ldc, c1a, c1b, va, vb, update);
            Row(c + 2 * ldc, c2a, c2b, va, vb, update);
            Row(c + 3 * ldc, c3a, c3b, va, vb, update);
            Row(c + 4 * ldc, c4a, c4b, va, vb, update);
            Row(c + 5 * ldc, c5a, c5b, va, vb, update);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(float* c, Vector256<float> x, Vector256<float> y, Vector256<float> alpha, Vector256<float> beta, bool update)
    {
        if (update)
        {
            Vector256.Store(Fma.MultiplyAdd(alpha, x, beta * Vector256.Load(c)), c);
            Vector256.Store(Fma.MultiplyAdd(alpha, y, beta * Vector256.Load(c + 8)), c + 8);
        }
        else
        {
            Vector256.Store(alpha * x, c);
            Vector256.Store(alpha * y, c + 8);
        }
    }
}
