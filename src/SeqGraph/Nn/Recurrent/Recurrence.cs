namespace SeqGraph.Nn.Recurrent;

/// <summary>
/// The recurrent part of a fused layer: everything after the input projection
/// pre = x·W_ihᵀ + b, which <see cref="FusedLayer"/> computes for all steps in one GEMM.
/// </summary>
/// <param name="gates">Gate blocks per row: the input projection is gates·H wide.</param>
/// <param name="hasCell">Whether the layer carries a cell state c.</param>
/// <param name="hasAux">Whether the cache needs the <see cref="FusedCache.Aux"/> buffer.</param>
internal abstract class Recurrence(int gates, bool hasCell, bool hasAux)
{
    /// <summary>Gate blocks per row: the input projection is G·H wide.</summary>
    public int Gates => gates;

    /// <summary>Whether the layer carries a cell state c.</summary>
    public bool HasCell => hasCell;

    /// <summary>Whether the cache needs the <see cref="FusedCache.Aux"/> buffer.</summary>
    public bool HasAux => hasAux;

    /// <summary>Runs the time loop. On entry cache.Gates holds the input projections and slot 0 of
    /// Hs (and Cs) the initial state; on exit every slot is filled.</summary>
    public abstract void Forward(FusedCache cache, float[] wRec);

    /// <summary>
    /// Back-propagates through time. <paramref name="dY"/> is ∂L/∂h for every step (processing order,
    /// may be null for zeros); <paramref name="dh"/> and <paramref name="dc"/> hold ∂L/∂ of the final
    /// state on entry and ∂L/∂ of the initial state on exit. Leaves ∂L/∂pre in cache.Gates and adds
    /// the recurrent weight gradient into <paramref name="dWRec"/>. When <paramref name="dhCapture"/>
    /// is not null it receives the total ∂L/∂h(s) of every step ([T, B, H]).
    /// </summary>
    public abstract void Backward(FusedCache cache, float[] wRec, float[]? dY, float[] dh, float[] dc, Span<float> dWRec, float[]? dhCapture);
}
