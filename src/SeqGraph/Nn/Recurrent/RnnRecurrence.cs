using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>The fused vanilla-RNN time loop: h(t) = tanh(pre(t) + h(t−1)·W_hhᵀ).</summary>
internal sealed class RnnRecurrence() : Recurrence(gates: 1, hasCell: false, hasAux: false)
{
    public static readonly RnnRecurrence Instance = new();

    public override void Forward(FusedCache k, float[] whh)
    {
        using var packed = new PackedWeight(whh, k.H, k.H, transpose: true);   // W_hhᵀ, packed once
        var whhT = packed.Packed;
        FusedCache.ForRows(k, (lo, hi) => ForwardRows(k, whhT, lo, hi));
    }

    /// <summary>The time loop for batch rows lo..hi−1 (see <see cref="FusedCache.ForRows"/>).</summary>
    private static void ForwardRows(FusedCache k, PackedB whhT, int lo, int hi)
    {
        int T = k.T, B = k.B, H = k.H, rows = hi - lo;
        for (int s = 0; s < T; s++)
        {
            k.LoadInput(s, lo, hi);
            var z = k.Gates.AsSpan((s * B + lo) * H, rows * H);
            // z += h(t−1)·W_hhᵀ (nothing to add at step 0 from a zero state)
            if (s > 0 || !k.ZeroInitialState)
                Gemm.SgemmPacked(false, rows, 1f, k.Hs.AsSpan((s * B + lo) * H, rows * H), H, whhT, 1f, z, H);
            TensorPrimitives.Tanh(z, z);
            z.CopyTo(k.Hs.AsSpan(((s + 1) * B + lo) * H, rows * H));
        }
    }

    public override void Backward(FusedCache k, float[] whh, float[]? dY, float[] dh, float[] dc, Span<float> dWhh, float[]? dhCapture)
    {
        int T = k.T, B = k.B, H = k.H;
        using (var packed = new PackedWeight(whh, H, H, transpose: false))
        {
            var w = packed.Packed;
            FusedCache.ForRows(k, (lo, hi) => BackwardRows(k, w, dY, dh, dhCapture, lo, hi));
        }
        // ∂W_hh += Σ_t ∂pre(t)ᵀ·h(t−1) (step 0 adds nothing when h(−1) = 0)
        int first = k.ZeroInitialState ? 1 : 0;
        if (T > first)
            Gemm.Sgemm(true, false, H, H, (T - first) * B, 1f, k.Gates.AsSpan(first * B * H), H, k.Hs.AsSpan(first * B * H), H, 1f, dWhh, H);
    }

    private static void BackwardRows(FusedCache k, PackedB whh, float[]? dY, float[] dh, float[]? capture, int lo, int hi)
    {
        int T = k.T, B = k.B, H = k.H, rows = hi - lo;
        for (int s = T - 1; s >= 0; s--)
        {
            var z = k.Gates.AsSpan((s * B + lo) * H, rows * H);
            int stepOff = (s * B + lo) * H;
            for (int e = 0; e < rows * H; e++)
            {
                float dhv = dh[lo * H + e];
                if (dY is not null) dhv += dY[stepOff + e];
                if (capture is not null) capture[stepOff + e] = dhv;
                float h = z[e];
                z[e] = dhv * (1f - h * h);
            }
            // ∂h(t−1) = ∂pre·W_hh (not needed for a zero initial state)
            if (s > 0 || !k.ZeroInitialState)
                Gemm.SgemmPacked(false, rows, 1f, z, H, whh, 0f, dh.AsSpan(lo * H, rows * H), H);
        }
    }
}
