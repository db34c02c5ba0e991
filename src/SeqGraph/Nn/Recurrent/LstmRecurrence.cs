using System.Numerics;
using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The fused LSTM time loop (gates packed i|f|g|o as in PyTorch). Per step: one GEMM adds
/// h(t−1)·W_hhᵀ to the precomputed input projection, then one pass applies the gate
/// non-linearities and the cell update. Backward: one GEMM per step for ∂h(t−1); the recurrent
/// weight gradient is one GEMM over all steps at the end.
/// </summary>
internal sealed class LstmRecurrence : IRecurrence
{
    public static readonly LstmRecurrence Instance = new();

    public int Gates => 4;
    public bool HasCell => true;
    public bool HasAux => true;

    public void Forward(FusedCache k, float[] whh)
    {
        int T = k.T, B = k.B, H = k.H, W = 4 * H;
        var cs = k.Cs!;
        var aux = k.Aux!;
        for (int s = 0; s < T; s++)
        {
            var z = FusedCache.Step(k.Gates, s, B, W);
            // z += h(t−1)·W_hhᵀ
            Gemm.Sgemm(false, true, B, W, H, 1f, FusedCache.Step(k.Hs, s, B, H), H, whh, H, 1f, z, W);
            for (int b = 0; b < B; b++)
            {
                var row = z.Slice(b * W, W);
                var ifg = row[..(2 * H)];
                TensorPrimitives.Sigmoid(ifg, ifg);                  // i, f
                var g = row.Slice(2 * H, H);
                TensorPrimitives.Tanh(g, g);                         // g
                var o = row.Slice(3 * H, H);
                TensorPrimitives.Sigmoid(o, o);                      // o
                var i = row[..H];
                var f = row.Slice(H, H);
                var cPrev = cs.AsSpan((s * B + b) * H, H);
                var c = cs.AsSpan(((s + 1) * B + b) * H, H);
                TensorPrimitives.Multiply(g, i, c);                  // c = g⊙i
                TensorPrimitives.FusedMultiplyAdd(cPrev, f, c, c);   //   + c(t−1)⊙f
                var tc = aux.AsSpan((s * B + b) * H, H);
                TensorPrimitives.Tanh(c, tc);
                TensorPrimitives.Multiply(tc, o, k.Hs.AsSpan(((s + 1) * B + b) * H, H)); // h = tanh(c)⊙o
            }
        }
    }

    public void Backward(FusedCache k, float[] whh, ReadOnlySpan<float> dY, Span<float> dh, Span<float> dc, Span<float> dWhh, Span<float> dhCapture)
    {
        int T = k.T, B = k.B, H = k.H, W = 4 * H;
        var cs = k.Cs!;
        var aux = k.Aux!;
        for (int s = T - 1; s >= 0; s--)
        {
            var z = FusedCache.Step(k.Gates, s, B, W);
            int stepOff = s * B * H;
            for (int b = 0; b < B; b++)
            {
                int off = stepOff + b * H;
                CellBackward(z.Slice(b * W, W), H, aux.AsSpan(off, H), cs.AsSpan(off, H), dh.Slice(b * H, H),
                    dY.IsEmpty ? dY : dY.Slice(off, H), dc.Slice(b * H, H), dhCapture.IsEmpty ? dhCapture : dhCapture.Slice(off, H));
            }
            // ∂h(t−1) = ∂pre·W_hh
            Gemm.Sgemm(false, false, B, H, W, 1f, z, W, whh, H, 0f, dh, H);
        }
        // ∂W_hh += Σ_t ∂pre(t)ᵀ·h(t−1)
        Gemm.Sgemm(true, false, W, H, T * B, 1f, k.Gates, W, k.Hs, H, 1f, dWhh, H);
    }

    /// <summary>
    /// One row of the LSTM backward step, vectorised: from ∂h (incoming recurrent + output
    /// gradient) and ∂c, writes ∂pre for i|f|g|o over the gate activations in <paramref name="row"/>
    /// and leaves ∂c(t−1) in <paramref name="dc"/>.
    /// </summary>
    private static void CellBackward(Span<float> row, int H, ReadOnlySpan<float> tcs, ReadOnlySpan<float> cPrevs,
        Span<float> dh, ReadOnlySpan<float> dY, Span<float> dc, Span<float> capture)
    {
        var ri = row[..H];
        var rf = row.Slice(H, H);
        var rg = row.Slice(2 * H, H);
        var ro = row.Slice(3 * H, H);
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var one = Vector<float>.One;
            for (; j <= H - w; j += w)
            {
                var dhv = new Vector<float>(dh[j..]);
                if (!dY.IsEmpty) dhv += new Vector<float>(dY[j..]);
                if (!capture.IsEmpty) dhv.CopyTo(capture[j..]);
                var i = new Vector<float>(ri[j..]);
                var f = new Vector<float>(rf[j..]);
                var g = new Vector<float>(rg[j..]);
                var o = new Vector<float>(ro[j..]);
                var tc = new Vector<float>(tcs[j..]);
                var cp = new Vector<float>(cPrevs[j..]);
                var dcv = new Vector<float>(dc[j..]) + dhv * o * (one - tc * tc);
                (dcv * g * i * (one - i)).CopyTo(ri[j..]);
                (dcv * cp * f * (one - f)).CopyTo(rf[j..]);
                (dcv * i * (one - g * g)).CopyTo(rg[j..]);
                (dhv * tc * o * (one - o)).CopyTo(ro[j..]);
                (dcv * f).CopyTo(dc[j..]);
            }
        }
        for (; j < H; j++)
        {
            float dhv = dh[j];
            if (!dY.IsEmpty) dhv += dY[j];
            if (!capture.IsEmpty) capture[j] = dhv;
            float i = ri[j], f = rf[j], g = rg[j], o = ro[j], tc = tcs[j];
            float dcv = dc[j] + dhv * o * (1f - tc * tc);
            ri[j] = dcv * g * i * (1f - i);            // ∂pre_i
            rf[j] = dcv * cPrevs[j] * f * (1f - f);    // ∂pre_f
            rg[j] = dcv * i * (1f - g * g);            // ∂pre_g
            ro[j] = dhv * tc * o * (1f - o);           // ∂pre_o
            dc[j] = dcv * f;                           // ∂c(t−1)
        }
    }
}
