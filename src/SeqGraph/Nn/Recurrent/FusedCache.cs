using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The activation cache of one fused recurrent layer (one direction) for one forward pass — the
/// single buffer plan of the layer, rented from <see cref="BufferPool"/> and returned after the
/// backward pass. Everything is stored in <b>processing order</b>: step s is time s for a forward
/// direction and time T−1−s for a reverse one.
/// </summary>
internal sealed class FusedCache : IDisposable
{
    /// <summary>Steps, batch, hidden size, gate blocks per row (pre-activations are G·H wide).</summary>
    public readonly int T, B, H, G;

    /// <summary>[T, B, G·H]: pre-activations in, gate activations out of the forward pass; overwritten
    /// in place by ∂L/∂pre-activation in the backward pass.</summary>
    public float[] Gates;

    /// <summary>[T+1, B, H]: slot s is the hidden state before step s (slot 0 = h0).</summary>
    public float[] Hs;

    /// <summary>[T+1, B, H]: cell states like <see cref="Hs"/> (cell models only).</summary>
    public float[]? Cs;

    /// <summary>[T, B, H]: one extra per-step quantity (LSTM: tanh c; GRU: r ⊙ h(t−1)).</summary>
    public float[]? Aux;

    /// <summary>True when the initial state is all zeros and needs no gradient: step 0's
    /// recurrent product, its ∂h(−1) and its weight-gradient rows are then skipped (they are zero).</summary>
    public bool ZeroInitialState;

    /// <summary>
    /// One-hot input, projected step by step inside the time loop so each step's pre-activations
    /// are written just before they are used, while in cache: the tokens [T, B] in time order and
    /// the table [D, G·H] whose row k is column k of W_ih plus the bias (the whole input
    /// projection of token k). Null for dense input, whose projection for all steps is one GEMM
    /// before the loop.
    /// </summary>
    public int[]? Tokens;
    public float[]? Table;
    public bool Reverse;

    public FusedCache(int t, int b, int h, int g, bool hasCell, bool hasAux)
    {
        (T, B, H, G) = (t, b, h, g);
        Gates = BufferPool.Rent(t * b * g * h);
        Hs = BufferPool.Rent((t + 1) * b * h);
        if (hasCell) Cs = BufferPool.Rent((t + 1) * b * h);
        if (hasAux) Aux = BufferPool.Rent(t * b * h);
    }

    /// <summary>
    /// Writes the input pre-activations of step s for batch rows lo..hi−1 (token input only; dense
    /// input was projected before the loop). Every recurrence calls this at the start of a step.
    /// </summary>
    public void LoadInput(int s, int lo, int hi)
    {
        if (Table is null) return;
        int w = G * H;
        for (int b = lo; b < hi; b++) InputRow(s, b).CopyTo(Gates.AsSpan((s * B + b) * w, w));
    }

    /// <summary>The input projection x·W_ihᵀ + b of step s, batch row b (token input only).</summary>
    public ReadOnlySpan<float> InputRow(int s, int b)
    {
        int t = Reverse ? T - 1 - s : s, w = G * H;
        return Table.AsSpan(Tokens![t * B + b] * w, w);
    }

    /// <summary>
    /// Runs a time loop over parts of the batch: batch rows never interact inside a recurrent layer,
    /// so each part runs all its steps alone and the parts need no barrier between steps. Parts are
    /// whole multiples of 8 rows; results do not depend on the split (each GEMM element and each
    /// cell update is computed the same way in any part).
    /// </summary>
    public static void ForRows(FusedCache k, Action<int, int> rows)
    {
        double flops = 2.0 * k.T * k.B * k.H * k.G * k.H;
        int parts = flops < Gemm.ParallelFlops ? 1 : Parallelism.Threads;
        ParallelRange.Run(k.B, 8, parts, rows);
    }

    public void Dispose()
    {
        BufferPool.Return(Gates);
        BufferPool.Return(Hs);
        BufferPool.Return(Cs);
        BufferPool.Return(Aux);
        Gates = Hs = Array.Empty<float>();
        Cs = Aux = null;
    }
}
