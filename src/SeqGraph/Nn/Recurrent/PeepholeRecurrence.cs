using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The fused peephole-LSTM time loop of SPEC.md, where the gates look at the cell instead of h,
/// packed i|f|o|g: [i f o] = σ(pre_ifo + c(t−1)·W_chᵀ); g = σ(pre_g) (no recurrent term);
/// c(t) = g⊙i + c(t−1)⊙f; h(t) = tanh(c(t))⊙o. h(t−1) does not feed step t.
/// </summary>
internal sealed class PeepholeRecurrence : IRecurrence
{
    public static readonly PeepholeRecurrence Instance = new();

    public int Gates => 4;
    public bool HasCell => true;
    public bool HasAux => true;

    public void Forward(FusedCache k, float[] wch)
    {
        int T = k.T, B = k.B, H = k.H, W = 4 * H;
        var cs = k.Cs!;
        var aux = k.Aux!;
        for (int s = 0; s < T; s++)
        {
            k.LoadInput(s, 0, B);
            var z = FusedCache.Step(k.Gates, s, B, W);
            Gemm.Sgemm(false, true, B, 3 * H, H, 1f, FusedCache.Step(cs, s, B, H), H, wch, H, 1f, z, W);
            for (int b = 0; b < B; b++)
            {
                var row = z.Slice(b * W, W);
                TensorPrimitives.Sigmoid(row, row);                  // i, f, o, g all sigmoid
                var i = row[..H];
                var f = row.Slice(H, H);
                var o = row.Slice(2 * H, H);
                var g = row.Slice(3 * H, H);
                var cPrev = cs.AsSpan((s * B + b) * H, H);
                var c = cs.AsSpan(((s + 1) * B + b) * H, H);
                TensorPrimitives.Multiply(g, i, c);
                TensorPrimitives.FusedMultiplyAdd(cPrev, f, c, c);
                var tc = aux.AsSpan((s * B + b) * H, H);
                TensorPrimitives.Tanh(c, tc);
                TensorPrimitives.Multiply(tc, o, k.Hs.AsSpan(((s + 1) * B + b) * H, H));
            }
        }
    }

    public void Backward(FusedCache k, float[] wch, float[]? dYs, float[] dhs, float[] dcs, Span<float> dWch, float[]? capture)
    {
        ReadOnlySpan<float> dY = dYs;
        Span<float> dh = dhs, dc = dcs, dhCapture = capture;
        int T = k.T, B = k.B, H = k.H, W = 4 * H;
        var cs = k.Cs!;
        var aux = k.Aux!;
        for (int s = T - 1; s >= 0; s--)
        {
            var z = FusedCache.Step(k.Gates, s, B, W);
            int stepOff = s * B * H;
            for (int b = 0; b < B; b++)
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
            Gemm.Sgemm(false, false, B, H, 3 * H, 1f, z, W, wch, H, 1f, dc, H);
        }
        dh.Clear(); // h0 does not influence anything in this model
        Gemm.Sgemm(true, false, 3 * H, H, T * B, 1f, k.Gates, W, cs, H, 1f, dWch, H);
    }
}
