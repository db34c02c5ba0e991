using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqGraph.Tensors;

/// <summary>
/// Packing of A and B panels into the strip layout the micro-kernels read: a strip of width w
/// (MR rows of A, or NR columns of B) over len steps of k is stored step-major, W floats per step
/// (positions w..W−1 zero-filled), so the kernel reads it with unit stride.
/// </summary>
internal static unsafe class GemmPack
{
    /// <summary>Element (p, r) of the strip is <c>src[p·ld + r]</c> (contiguous along the strip width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Contiguous(float* src, nint ld, int len, int w, int W, float* dst)
    {
        // Full strips: vector copies; a width that is not a multiple of the vector is covered by a
        // last chunk overlapping the previous one (W = 14 → chunks at 0 and 6).
        if (Vector512.IsHardwareAccelerated && w == W && W >= 16)
        {
            CopyRows<GemmVector512, Vector512<float>>(src, ld, len, W, dst);
            return;
        }
        if (Vector256.IsHardwareAccelerated && w == W && W >= 8)
        {
            CopyRows<GemmVector256, Vector256<float>>(src, ld, len, W, dst);
            return;
        }
        for (int p = 0; p < len; p++, src += ld, dst += W)
        {
            int r = 0;
            for (; r < w; r++) dst[r] = src[r];
            for (; r < W; r++) dst[r] = 0;
        }
    }

    /// <summary>dst[p·W + r] = src[p·ld + r] for r &lt; W (W ≥ the vector width, which is a power of two) in whole vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRows<TOps, TV>(float* src, nint ld, int len, int W, float* dst)
        where TOps : struct, IGemmVector<TV> where TV : struct
    {
        int n = TOps.Count;
        for (int p = 0; p < len; p++, src += ld, dst += W)
        {
            for (int r = 0; r + n <= W; r += n)
                TOps.Store(TOps.Load(src + r), dst + r);
            if ((W & (n - 1)) != 0) TOps.Store(TOps.Load(src + W - n), dst + W - n);
        }
    }

    /// <summary>Element (p, r) of the strip is <c>src[r·ld + p]</c> (contiguous along k): a transpose.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Strided(float* src, nint ld, int len, int w, int W, float* dst)
    {
        int p = 0;
        if (Avx.IsSupported && w == W && W >= 8)
        {
            // 8×8 blocks transposed in registers: 8 rows r..r+7, 8 steps p..p+7; a width that is not
            // a multiple of 8 ends with a block overlapping the previous one (same values rewritten).
            for (; p + 8 <= len; p += 8)
            {
                for (int r = 0; r + 8 <= W; r += 8)
                    Transpose8x8(src + r * ld + p, ld, dst + p * W + r, W);
                if ((W & 7) != 0) Transpose8x8(src + (W - 8) * ld + p, ld, dst + p * W + W - 8, W);
            }
        }
        for (int r = 0; r < w; r++)
        {
            float* s = src + r * ld;
            for (int q = p; q < len; q++) dst[q * W + r] = s[q];
        }
        for (int r = w; r < W; r++)
            for (int q = 0; q < len; q++) dst[q * W + r] = 0;
    }

    /// <summary>dst[j·dld + i] = src[i·sld + j] for an 8×8 block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint sld, float* dst, nint dld)
    {
        var r0 = Vector256.Load(src);
        var r1 = Vector256.Load(src + sld);
        var r2 = Vector256.Load(src + 2 * sld);
        var r3 = Vector256.Load(src + 3 * sld);
        var r4 = Vector256.Load(src + 4 * sld);
        var r5 = Vector256.Load(src + 5 * sld);
        var r6 = Vector256.Load(src + 6 * sld);
        var r7 = Vector256.Load(src + 7 * sld);
        // Stage 1: interleave pairs of rows (within 128-bit lanes).
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        // Stage 2: gather four rows' element per lane.
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        // Stage 3: combine 128-bit halves of rows 0–3 and 4–7.
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x20), dst);
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x20), dst + dld);
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x20), dst + 2 * dld);
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x20), dst + 3 * dld);
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x31), dst + 4 * dld);
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x31), dst + 5 * dld);
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x31), dst + 6 * dld);
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x31), dst + 7 * dld);
    }
}
