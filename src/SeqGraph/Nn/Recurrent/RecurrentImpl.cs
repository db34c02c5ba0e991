namespace SeqGraph.Nn.Recurrent;

/// <summary>Which implementation runs the forward and backward passes.</summary>
public enum RecurrentImpl
{
    /// <summary>Fused layers with hand-derived backpropagation through time (fast).</summary>
    Fused,
    /// <summary>The equations with primitive ops and the tape (readable yardstick).</summary>
    Reference,
}
