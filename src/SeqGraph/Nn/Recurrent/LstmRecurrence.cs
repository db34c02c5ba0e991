using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The fused LSTM time loop (gates packed i|f|g|o as in PyTorch). Per step: one GEMM adds
/// h(t−1)·W_hhᵀ to the precomputed input projection, then one pass applies the gate
/// non-linearities and the cell update (<see cref="LstmCell"/>). Backward: one GEMM per step for
/// ∂h(t−1); the recurrent weight gradient is one GEMM over all steps at the end.
/// </summary>
internal sealed class LstmRecurrence() : Recurrence(gates: 4, hasCell: true, hasAux: true)
{
    public static readonly LstmRecurrence Instance = new();

    public override void Forward(FusedCache k, float[] whh)
    {
        // W_hhᵀ packed once for the kernels: no step packs or transposes it again
        using var packed = new PackedWeight(whh, 4 * k.H, k.H, transpose: true);
        var whhT = packed.Packed;
        FusedCache.ForRows(k, (lo, hi) => ForwardRows(k, whhT, lo, hi));
    }

    /// <summary>
    /// The whole time loop for batch rows lo..hi−1: rows never interact, so a part runs every step
    /// on its own and the parts need no barrier between steps.
    /// </summary>
    private static void ForwardRows(FusedCache k, PackedB whhT, int lo, int hi)
    {
        int T = k.T, B = k.B, H = k.H, W = 4 * H, rows = hi - lo;
        var cs = k.Cs!;
        var aux = k.Aux!;
        bool tokens = k.Table is not null;
        for (int s = 0; s < T; s++)
        {
            var z = k.Gates.AsSpan((s * B + lo) * W, rows * W);
            // z = h(t−1)·W_hhᵀ + the input projection (nothing recurrent at step 0 from a zero
            // state). A token's projection is a row of the small table, still in L1: the gate pass
            // adds it as it loads z instead of the row being copied into z first for the GEMM to
            // read back (measured ≈ 1 % of the training step at 1 and 2 threads).
            bool recurrent = s > 0 || !k.ZeroInitialState;
            bool fold = tokens && recurrent;
            if (!fold) k.LoadInput(s, lo, hi);
            if (recurrent)
                Gemm.SgemmPacked(false, rows, 1f, k.Hs.AsSpan((s * B + lo) * H, rows * H), H, whhT, fold ? 0f : 1f, z, W);
            for (int b = 0; b < rows; b++)
            {
                int off = (s * B + lo + b) * H;
                LstmCell.Forward(z.Slice(b * W, W), fold ? k.InputRow(s, lo + b) : default, H, cs.AsSpan(off, H), cs.AsSpan(off + B * H, H), aux.AsSpan(off, H), k.Hs.AsSpan(off + B * H, H));
            }
        }
    }

    public override void Backward(FusedCache k, float[] whh, float[]? dY, float[] dh, float[] dc, Span<float> dWhh, float[]? dhCapture)
    {
        int T = k.T, B = k.B, H = k.H, W = 4 * H;
        using (var packed = new PackedWeight(whh, W, H, transpose: false))
        {
            var w = packed.Packed;
            FusedCache.ForRows(k, (lo, hi) => BackwardRows(k, w, dY, dh, dc, dhCapture, lo, hi));
        }
        // ∂W_hh += Σ_t ∂pre(t)ᵀ·h(t−1) (step 0 adds nothing when h(−1) = 0)
        int first = k.ZeroInitialState ? 1 : 0;
        if (T > first)
            Gemm.Sgemm(true, false, W, H, (T - first) * B, 1f, k.Gates.AsSpan(first * B * W), W, k.Hs.AsSpan(first * B * H), H, 1f, dWhh, H);
    }

    /// <summary>Back-propagation through time for batch rows lo..hi−1 (independent of other rows).</summary>
    private static void BackwardRows(FusedCache k, PackedB whh, float[]? dY, float[] dh, float[] dc, float[]? capture, int lo, int hi)
    {
        int T = k.T, B = k.B, H = k.H, W = 4 * H, rows = hi - lo;
        var cs = k.Cs!;
        var aux = k.Aux!;
        for (int s = T - 1; s >= 0; s--)
        {
            var z = k.Gates.AsSpan((s * B + lo) * W, rows * W);
            for (int b = lo; b < hi; b++)
            {
                int off = s * B * H + b * H;
                LstmCell.Backward(z.Slice((b - lo) * W, W), H, aux.AsSpan(off, H), cs.AsSpan(off, H), dh.AsSpan(b * H, H),
                    dY is null ? default : dY.AsSpan(off, H), dc.AsSpan(b * H, H), capture is null ? default : capture.AsSpan(off, H));
            }
            // ∂h(t−1) = ∂pre·W_hh (not needed for a zero initial state)
            if (s > 0 || !k.ZeroInitialState)
                Gemm.SgemmPacked(false, rows, 1f, z, W, whh, 0f, dh.AsSpan(lo * H, rows * H), H);
        }
    }
}
