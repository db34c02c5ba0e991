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

    public FusedCache(int t, int b, int h, int g, bool hasCell, bool hasAux)
    {
        (T, B, H, G) = (t, b, h, g);
        Gates = BufferPool.Rent(t * b * g * h);
        Hs = BufferPool.Rent((t + 1) * b * h);
        if (hasCell) Cs = BufferPool.Rent((t + 1) * b * h);
        if (hasAux) Aux = BufferPool.Rent(t * b * h);
    }

    /// <summary>Row block of step s in a [T, B, width] buffer.</summary>
    public static Span<float> Step(float[] buffer, int s, int rowsPerStep, int width) =>
        buffer.AsSpan(s * rowsPerStep * width, rowsPerStep * width);

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

/// <summary>
/// The recurrent part of a fused layer: everything after the input projection
/// pre = x·W_ihᵀ + b, which <see cref="FusedLayer"/> computes for all steps in one GEMM.
/// </summary>
internal interface IRecurrence
{
    /// <summary>Gate blocks per row: the input projection is G·H wide.</summary>
    int Gates { get; }

    /// <summary>Whether the layer carries a cell state c.</summary>
    bool HasCell { get; }

    /// <summary>Whether the cache needs the <see cref="FusedCache.Aux"/> buffer.</summary>
    bool HasAux { get; }

    /// <summary>Runs the time loop. On entry cache.Gates holds the input projections and slot 0 of
    /// Hs (and Cs) the initial state; on exit every slot is filled.</summary>
    void Forward(FusedCache cache, float[] wRec);

    /// <summary>
    /// Back-propagates through time. <paramref name="dY"/> is ∂L/∂h for every step (processing order,
    /// may be empty for zeros); <paramref name="dh"/> and <paramref name="dc"/> hold ∂L/∂ of the final
    /// state on entry and ∂L/∂ of the initial state on exit. Leaves ∂L/∂pre in cache.Gates and adds
    /// the recurrent weight gradient into <paramref name="dWRec"/>. When <paramref name="dhCapture"/>
    /// is not empty it receives the total ∂L/∂h(s) of every step ([T, B, H]).
    /// </summary>
    void Backward(FusedCache cache, float[] wRec, ReadOnlySpan<float> dY, Span<float> dh, Span<float> dc, Span<float> dWRec, Span<float> dhCapture);
}
