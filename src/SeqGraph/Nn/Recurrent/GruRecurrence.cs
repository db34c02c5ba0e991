using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The fused GRU time loop in SPEC's (Cho et al.) form, gates packed r|z|n:
/// r, z = σ(pre_rz + h(t−1)·W_hh,rzᵀ); n = tanh(pre_n + (r⊙h(t−1))·W_hh,nᵀ);
/// h(t) = (1−z)⊙h(t−1) + z⊙n. Two GEMMs per step (the reset gate acts before the product).
/// </summary>
internal sealed class GruRecurrence : IRecurrence
{
    public static readonly GruRecurrence Instance = new();

    public int Gates => 3;
    public bool HasCell => false;
    public bool HasAux => true;

    public void Forward(FusedCache k, float[] whh)
    {
        int T = k.T, B = k.B, H = k.H, W = 3 * H;
        var aux = k.Aux!;
        var wn = whh.AsSpan(2 * H * H, H * H);
        for (int s = 0; s < T; s++)
        {
            k.LoadInput(s, 0, B);
            var z = FusedCache.Step(k.Gates, s, B, W);
            var hPrev = FusedCache.Step(k.Hs, s, B, H);
            var rh = FusedCache.Step(aux, s, B, H);
            var hNext = FusedCache.Step(k.Hs, s + 1, B, H);
            // [r z] += h(t−1)·W_hh,rzᵀ (first 2H columns of each row, row stride 3H)
            Gemm.Sgemm(false, true, B, 2 * H, H, 1f, hPrev, H, whh, H, 1f, z, W);
            for (int b = 0; b < B; b++)
            {
                var rz = z.Slice(b * W, 2 * H);
                TensorPrimitives.Sigmoid(rz, rz);
                TensorPrimitives.Multiply(rz[..H], hPrev.Slice(b * H, H), rh.Slice(b * H, H));
            }
            // n-pre += (r⊙h(t−1))·W_hh,nᵀ
            Gemm.Sgemm(false, true, B, H, H, 1f, rh, H, wn, H, 1f, z[(2 * H)..], W);
            for (int b = 0; b < B; b++)
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

    public void Backward(FusedCache k, float[] whh, float[]? dYs, float[] dhs, float[] dcs, Span<float> dWhh, float[]? capture)
    {
        ReadOnlySpan<float> dY = dYs;
        Span<float> dh = dhs, dc = dcs, dhCapture = capture;
        int T = k.T, B = k.B, H = k.H, W = 3 * H;
        var aux = k.Aux!;
        var wn = whh.AsSpan(2 * H * H, H * H);
        var drh = BufferPool.Rent(B * H);
        try
        {
            for (int s = T - 1; s >= 0; s--)
            {
                var z = FusedCache.Step(k.Gates, s, B, W);
                var hPrev = FusedCache.Step(k.Hs, s, B, H);
                int stepOff = s * B * H;
                for (int b = 0; b < B; b++)
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
                Gemm.Sgemm(false, false, B, H, H, 1f, z[(2 * H)..], W, wn, H, 0f, drh, H);
                for (int b = 0; b < B; b++)
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
                Gemm.Sgemm(false, false, B, H, 2 * H, 1f, z, W, whh, H, 1f, dh, H);
            }
            // ∂W_hh,rz += Σ ∂pre_rzᵀ·h(t−1);  ∂W_hh,n += Σ ∂pre_nᵀ·(r⊙h(t−1))
            Gemm.Sgemm(true, false, 2 * H, H, T * B, 1f, k.Gates, W, k.Hs, H, 1f, dWhh, H);
            Gemm.Sgemm(true, false, H, H, T * B, 1f, k.Gates.AsSpan(2 * H), W, aux, H, 1f, dWhh[(2 * H * H)..], H);
        }
        finally
        {
            BufferPool.Return(drh);
        }
    }
}
