using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The fused GRU time loop in SPEC's (Cho et al.) form, gates packed r|z|n:
/// r, z = σ(pre_rz + h(t−1)·W_hh,rzᵀ); n = tanh(pre_n + (r⊙h(t−1))·W_hh,nᵀ);
/// h(t) = (1−z)⊙h(t−1) + z⊙n. Two GEMMs per step (the reset gate acts before the product).
/// </summary>
internal sealed class GruRecurrence() : Recurrence(gates: 3, hasCell: false, hasAux: true)
{
    public static readonly GruRecurrence Instance = new();

    public override void Forward(FusedCache k, float[] whh)
    {
        int H = k.H;
        // W_hh,rzᵀ and W_hh,nᵀ packed once for the kernels
        using var rz = new PackedWeight(whh.AsSpan(0, 2 * H * H), 2 * H, H, transpose: true);
        using var n = new PackedWeight(whh.AsSpan(2 * H * H), H, H, transpose: true);
        PackedB wrz = rz.Packed, wn = n.Packed;
        FusedCache.ForRows(k, (lo, hi) => ForwardRows(k, wrz, wn, lo, hi));
    }

    /// <summary>The time loop for batch rows lo..hi−1 (see <see cref="FusedCache.ForRows"/>).</summary>
    private static void ForwardRows(FusedCache k, PackedB wrz, PackedB wn, int lo, int hi)
    {
        int T = k.T, B = k.B, H = k.H, W = 3 * H, rows = hi - lo;
        var aux = k.Aux!;
        for (int s = 0; s < T; s++)
        {
            k.LoadInput(s, lo, hi);
            var z = k.Gates.AsSpan((s * B + lo) * W, rows * W);
            var hPrev = k.Hs.AsSpan((s * B + lo) * H, rows * H);
            var rh = aux.AsSpan((s * B + lo) * H, rows * H);
            var hNext = k.Hs.AsSpan(((s + 1) * B + lo) * H, rows * H);
            // [r z] += h(t−1)·W_hh,rzᵀ (first 2H columns of each row, row stride 3H)
            Gemm.SgemmPacked(false, rows, 1f, hPrev, H, wrz, 1f, z, W);
            for (int b = 0; b < rows; b++)
            {
                var rz = z.Slice(b * W, 2 * H);
                TensorPrimitives.Sigmoid(rz, rz);
                TensorPrimitives.Multiply(rz[..H], hPrev.Slice(b * H, H), rh.Slice(b * H, H));
            }
            // n-pre += (r⊙h(t−1))·W_hh,nᵀ
            Gemm.SgemmPacked(false, rows, 1f, rh, H, wn, 1f, z[(2 * H)..], W);
            for (int b = 0; b < rows; b++)
            {
                var row = z.Slice(b * W, W);
                var n = row.Slice(2 * H, H);
                TensorPrimitives.Tanh(n, n);
                var zg = row.Slice(H, H);
                var hp = hPrev.Slice(b * H, H);
                var hn = hNext.Slice(b * H, H);
                for (int j = 0; j < H; j++) hn[j] = hp[j] + zg[j] * (n[j] - hp[j]);   // (1−z)h + z n
            }
        }
    }

    public override void Backward(FusedCache k, float[] whh, float[]? dY, float[] dh, float[] dc, Span<float> dWhh, float[]? dhCapture)
    {
        int T = k.T, B = k.B, H = k.H, W = 3 * H;
        using (var rz = new PackedWeight(whh.AsSpan(0, 2 * H * H), 2 * H, H, transpose: false))
        using (var n = new PackedWeight(whh.AsSpan(2 * H * H), H, H, transpose: false))
        {
            PackedB wrz = rz.Packed, wn = n.Packed;
            FusedCache.ForRows(k, (lo, hi) => BackwardRows(k, wrz, wn, dY, dh, dhCapture, lo, hi));
        }
        // ∂W_hh,rz += Σ ∂pre_rzᵀ·h(t−1);  ∂W_hh,n += Σ ∂pre_nᵀ·(r⊙h(t−1))
        Gemm.Sgemm(true, false, 2 * H, H, T * B, 1f, k.Gates, W, k.Hs, H, 1f, dWhh, H);
        Gemm.Sgemm(true, false, H, H, T * B, 1f, k.Gates.AsSpan(2 * H), W, k.Aux!, H, 1f, dWhh[(2 * H * H)..], H);
    }

    private static void BackwardRows(FusedCache k, PackedB wrz, PackedB wn, float[]? dYs, float[] dhs, float[]? capture, int lo, int hi)
    {
        int T = k.T, B = k.B, H = k.H, W = 3 * H, rows = hi - lo;
        ReadOnlySpan<float> dY = dYs;
        Span<float> dhCapture = capture;
        var dh = dhs.AsSpan(lo * H, rows * H);
        var drh = BufferPool.Rent(rows * H);
        try
        {
            for (int s = T - 1; s >= 0; s--)
            {
                var z = k.Gates.AsSpan((s * B + lo) * W, rows * W);
                var hPrev = k.Hs.AsSpan((s * B + lo) * H, rows * H);
                int stepOff = (s * B + lo) * H;
                for (int b = 0; b < rows; b++)
                {
                    var row = z.Slice(b * W, W);
                    int off = b * H;
                    for (int j = 0; j < H; j++)
                    {
                        float dhv = dh[off + j];
                        if (!dY.IsEmpty) dhv += dY[stepOff + off + j];
                        if (!dhCapture.IsEmpty) dhCapture[stepOff + off + j] = dhv;
                        float zg = row[H + j], n = row[2 * H + j], hp = hPrev[off + j];
                        row[H + j] = dhv * (n - hp) * zg * (1f - zg);   // ∂pre_z
                        row[2 * H + j] = dhv * zg * (1f - n * n);        // ∂pre_n
                        dh[off + j] = dhv * (1f - zg);                   // direct path to h(t−1)
                    }
                }
                // ∂(r⊙h(t−1)) = ∂pre_n·W_hh,n
                Gemm.SgemmPacked(false, rows, 1f, z[(2 * H)..], W, wn, 0f, drh, H);
                for (int b = 0; b < rows; b++)
                {
                    var row = z.Slice(b * W, W);
                    int off = b * H;
                    for (int j = 0; j < H; j++)
                    {
                        float r = row[j], hp = hPrev[off + j], g = drh[off + j];
                        dh[off + j] += g * r;
                        row[j] = g * hp * r * (1f - r);                 // ∂pre_r
                    }
                }
                // ∂h(t−1) += ∂pre_rz·W_hh,rz
                Gemm.SgemmPacked(false, rows, 1f, z, W, wrz, 1f, dh, H);
            }
        }
        finally
        {
            BufferPool.Return(drh);
        }
    }
}
