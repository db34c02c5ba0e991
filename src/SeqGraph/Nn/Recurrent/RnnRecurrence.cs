using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>The fused vanilla-RNN time loop: h(t) = tanh(pre(t) + h(t−1)·W_hhᵀ).</summary>
internal sealed class RnnRecurrence : IRecurrence
{
    public static readonly RnnRecurrence Instance = new();

    public int Gates => 1;
    public bool HasCell => false;
    public bool HasAux => false;

    public void Forward(FusedCache k, float[] whh)
    {
        int T = k.T, B = k.B, H = k.H;
        for (int s = 0; s < T; s++)
        {
            k.LoadInput(s, 0, B);
            var z = FusedCache.Step(k.Gates, s, B, H);
            Gemm.Sgemm(false, true, B, H, H, 1f, FusedCache.Step(k.Hs, s, B, H), H, whh, H, 1f, z, H);
            TensorPrimitives.Tanh(z, z);
            z.CopyTo(FusedCache.Step(k.Hs, s + 1, B, H));
        }
    }

    public void Backward(FusedCache k, float[] whh, float[]? dYs, float[] dhs, float[] dcs, Span<float> dWhh, float[]? capture)
    {
        ReadOnlySpan<float> dY = dYs;
        Span<float> dh = dhs, dc = dcs, dhCapture = capture;
        int T = k.T, B = k.B, H = k.H, n = B * H;
        for (int s = T - 1; s >= 0; s--)
        {
            var z = FusedCache.Step(k.Gates, s, B, H);
            int stepOff = s * n;
            for (int e = 0; e < n; e++)
            {
                float dhv = dh[e];
                if (!dY.IsEmpty) dhv += dY[stepOff + e];
                if (!dhCapture.IsEmpty) dhCapture[stepOff + e] = dhv;
                float h = z[e];
                z[e] = dhv * (1f - h * h);
            }
            Gemm.Sgemm(false, false, B, H, H, 1f, z, H, whh, H, 0f, dh, H);
        }
        Gemm.Sgemm(true, false, H, H, T * B, 1f, k.Gates, H, k.Hs, H, 1f, dWhh, H);
    }
}
