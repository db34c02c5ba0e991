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
        if (Vector128.IsHardwareAccelerated && w == W && W == 6)
        {
            // The A strips of the 6-row kernels (A stored transposed): four floats and two.
            for (int p = 0; p < len; p++, src += ld, dst += W)
            {
                Vector128.Store(Vector128.Load(src), dst);
                *(long*)(dst + 4) = *(long*)(src + 4);
            }
            return;
        }
        for (int p = 0; p < len; p++, src += ld, dst += W)
        {
            int r = 0;
            for (; r < w; r++) dst[r] = src[r];
            for (; r < W; r++) dst[r] = 0;
        }
    }

    /// <summary>
    /// Packs the columns 0..width−1 of a contiguous-along-the-strip panel (element (p, j) at
    /// <c>src[p·ld + j]</c>) as consecutive strips of W, strip s at <c>dst + s·len·W</c> — the same
    /// floats as <see cref="Contiguous"/> strip by strip. Strip by strip, each of len rows (ld apart,
    /// often 4 KiB or a multiple) is touched for W floats only, and the rows of one strip share a few
    /// L1 sets, so the next strip misses the lines again; here each row is read across several
    /// strips (about 512 bytes) before the next, whole cache lines at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ContiguousPanel(float* src, nint ld, int len, int width, int W, float* dst)
    {
        int full = width / W, group = Math.Max(1, 128 / W);
        nint strip = (nint)len * W;
        if (W == 6 && Vector128.IsHardwareAccelerated || W >= 16 && Vector512.IsHardwareAccelerated || W >= 8 && Vector256.IsHardwareAccelerated)
        {
            for (int s0 = 0; s0 < full; s0 += group)
            {
                int s1 = Math.Min(full, s0 + group);
                float* row = src + s0 * W, d0 = dst + s0 * strip;
                for (int p = 0; p < len; p++, row += ld, d0 += W)
                {
                    float* from = row, to = d0;
                    for (int t = s0; t < s1; t++, from += W, to += strip)
                        CopyStep(from, to, W);
                }
            }
        }
        else
            for (int t = 0; t < full; t++) Contiguous(src + t * W, ld, len, W, W, dst + t * strip);
        if (full * W < width) Contiguous(src + full * W, ld, len, width - full * W, W, dst + full * strip);
    }

    /// <summary>dst[0..W) = src[0..W) for a full strip step, in vectors (see <see cref="ContiguousPanel"/> for which W).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyStep(float* src, float* dst, int W)
    {
        if (W == 6)
        {
            Vector128.Store(Vector128.Load(src), dst);
            *(long*)(dst + 4) = *(long*)(src + 4);
        }
        else if (W >= 16 && Vector512.IsHardwareAccelerated)
        {
            for (int r = 0; r + 16 <= W; r += 16) Vector512.Store(Vector512.Load(src + r), dst + r);
            if ((W & 15) != 0) Vector512.Store(Vector512.Load(src + W - 16), dst + W - 16);
        }
        else
        {
            for (int r = 0; r + 8 <= W; r += 8) Vector256.Store(Vector256.Load(src + r), dst + r);
            if ((W & 7) != 0) Vector256.Store(Vector256.Load(src + W - 8), dst + W - 8);
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
        else if (Avx.IsSupported && w == W && W == 6)
        {
            // The A strips of the 6-row AVX2 kernel: 6 rows × 8 steps transposed in registers as an
            // 8×8 block with two zero rows. Each step's 8 floats are stored whole at dst + q·6, so
            // its last two (zeros) land on the next step's first two, which that step then rewrites;
            // the block's last step stores only its 6, so nothing past the strip is written.
            for (; p + 8 <= len; p += 8)
            {
                float* s = src + p;
                Vector256<float> r0 = Vector256.Load(s), r1 = Vector256.Load(s + ld), r2 = Vector256.Load(s + 2 * ld),
                    r3 = Vector256.Load(s + 3 * ld), r4 = Vector256.Load(s + 4 * ld), r5 = Vector256.Load(s + 5 * ld),
                    r6 = Vector256<float>.Zero, r7 = Vector256<float>.Zero;
                Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                float* d = dst + p * 6;
                Vector256.Store(r0, d);
                Vector256.Store(r1, d + 6);
                Vector256.Store(r2, d + 12);
                Vector256.Store(r3, d + 18);
                Vector256.Store(r4, d + 24);
                Vector256.Store(r5, d + 30);
                Vector256.Store(r6, d + 36);
                Vector128.Store(r7.GetLower(), d + 42);
                *(long*)(d + 46) = r7.GetUpper().AsInt64().ToScalar();
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
        Vector256<float> r0 = Vector256.Load(src), r1 = Vector256.Load(src + sld), r2 = Vector256.Load(src + 2 * sld),
            r3 = Vector256.Load(src + 3 * sld), r4 = Vector256.Load(src + 4 * sld), r5 = Vector256.Load(src + 5 * sld),
            r6 = Vector256.Load(src + 6 * sld), r7 = Vector256.Load(src + 7 * sld);
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        Vector256.Store(r0, dst);
        Vector256.Store(r1, dst + dld);
        Vector256.Store(r2, dst + 2 * dld);
        Vector256.Store(r3, dst + 3 * dld);
        Vector256.Store(r4, dst + 4 * dld);
        Vector256.Store(r5, dst + 5 * dld);
        Vector256.Store(r6, dst + 6 * dld);
        Vector256.Store(r7, dst + 7 * dld);
    }

    /// <summary>Transposes the 8×8 block whose rows are r0..r7 in registers (row i becomes column i).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
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
        r0 = Avx.Permute2x128(u0, u4, 0x20);
        r1 = Avx.Permute2x128(u1, u5, 0x20);
        r2 = Avx.Permute2x128(u2, u6, 0x20);
        r3 = Avx.Permute2x128(u3, u7, 0x20);
        r4 = Avx.Permute2x128(u0, u4, 0x31);
        r5 = Avx.Permute2x128(u1, u5, 0x31);
        r6 = Avx.Permute2x128(u2, u6, 0x31);
        r7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
