using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The fused peephole-LSTM time loop of SPEC.md, where the gates look at the cell instead of h,
/// packed i|f|o|g: [i f o] = σ(pre_ifo + c(t−1)·W_chᵀ); g = σ(pre_g) (no recurrent term);
/// c(t) = g⊙i + c(t−1)⊙f; h(t) = tanh(c(t))⊙o. h(t−1) does not feed step t.
/// </summary>
internal sealed class PeepholeRecurrence() : Recurrence(gates: 4, hasCell: true, hasAux: true)
{
    public static readonly PeepholeRecurrence Instance = new();

    public override void Forward(FusedCache k, float[] wch)
    {
        using var packed = new PackedWeight(wch, 3 * k.H, k.H, transpose: true);   // W_chᵀ, packed once
        var wchT = packed.Packed;
        FusedCache.ForRows(k, (lo, hi) => ForwardRows(k, wchT, lo, hi));
    }

    /// <summary>The time loop for batch rows lo..hi−1 (see <see cref="FusedCache.ForRows"/>).</summary>
    private static void ForwardRows(FusedCache k, PackedB wchT, int lo, int hi)
    {
        int T = k.T, B = k.B, H = k.H, W = 4 * H, rows = hi - lo;
        var cs = k.Cs!;
        var aux = k.Aux!;
        for (int s = 0; s < T; s++)
        {
            k.LoadInput(s, lo, hi);
            var z = k.Gates.AsSpan((s * B + lo) * W, rows * W);
            Gemm.SgemmPacked(false, rows, 1f, cs.AsSpan((s * B + lo) * H, rows * H), H, wchT, 1f, z, W);
            for (int b = 0; b < rows; b++)
            {
                var row = z.Slice(b * W, W);
                TensorPrimitives.Sigmoid(row, row);                  // i, f, o, g all sigmoid
                var i = row[..H];
                var f = row.Slice(H, H);
                var o = row.Slice(2 * H, H);
                var g = row.Slice(3 * H, H);
                int at = (s * B + lo + b) * H;
                var cPrev = cs.AsSpan(at, H);
                var c = cs.AsSpan(at + B * H, H);
                TensorPrimitives.Multiply(g, i, c);
                TensorPrimitives.FusedMultiplyAdd(cPrev, f, c, c);
                var tc = aux.AsSpan(at, H);
                TensorPrimitives.Tanh(c, tc);
                TensorPrimitives.Multiply(tc, o, k.Hs.AsSpan(at + B * H, H));
            }
        }
    }

    public override void Backward(FusedCache k, float[] wch, float[]? dY, float[] dh, float[] dc, Span<float> dWch, float[]? dhCapture)
    {
        int T = k.T, B = k.B, H = k.H, W = 4 * H;
        using (var packed = new PackedWeight(wch, 3 * H, H, transpose: false))
        {
            var w = packed.Packed;
            FusedCache.ForRows(k, (lo, hi) => BackwardRows(k, w, dY, dh, dc, dhCapture, lo, hi));
        }
        Array.Clear(dh); // h0 does not influence anything in this model
        Gemm.Sgemm(true, false, 3 * H, H, T * B, 1f, k.Gates, W, k.Cs!, H, 1f, dWch, H);
    }

    private static void BackwardRows(FusedCache k, PackedB wch, float[]? dYs, float[] dhs, float[] dcs, float[]? capture, int lo, int hi)
    {
        int T = k.T, B = k.B, H = k.H, W = 4 * H, rows = hi - lo;
        ReadOnlySpan<float> dY = dYs;
        Span<float> dhCapture = capture;
        var dh = dhs.AsSpan(lo * H, rows * H);
        var dc = dcs.AsSpan(lo * H, rows * H);
        var cs = k.Cs!;
        var aux = k.Aux!;
        for (int s = T - 1; s >= 0; s--)
        {
            var z = k.Gates.AsSpan((s * B + lo) * W, rows * W);
            int stepOff = (s * B + lo) * H;
            for (int b = 0; b < rows; b++)
            {
                var row = z.Slice(b * W, W);
                int off = b * H;
                for (int j = 0; j < H; j++)
                {
                    // h(t) only reaches the loss through the outputs (and the final state at s = T−1).
                    float dhv = s == T - 1 ? dh[off + j] : 0f;
                    if (!dY.IsEmpty) dhv += dY[stepOff + off + j];
                    if (!dhCapture.IsEmpty) dhCapture[stepOff + off + j] = dhv;
                    float i = row[j], f = row[H + j], o = row[2 * H + j], g = row[3 * H + j];
                    float tc = aux[stepOff + off + j];
                    float cPrev = cs[stepOff + off + j];
                    float dcv = dc[off + j] + dhv * o * (1f - tc * tc);
                    row[j] = dcv * g * i * (1f - i);
                    row[H + j] = dcv * cPrev * f * (1f - f);
                    row[2 * H + j] = dhv * tc * o * (1f - o);
                    row[3 * H + j] = dcv * i * g * (1f - g);
                    dc[off + j] = dcv * f;
                }
            }
            // ∂c(t−1) += ∂pre_ifo·W_ch
            Gemm.SgemmPacked(false, rows, 1f, z, W, wch, 1f, dc, H);
        }
    }
}
