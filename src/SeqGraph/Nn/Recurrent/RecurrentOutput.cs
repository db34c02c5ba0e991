using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>Result of a recurrent forward pass.</summary>
/// <param name="Output">Top layer's hidden states for every step, [T, B, dirs·H] (directions concatenated).</param>
/// <param name="Last">What a sequence-to-one head reads, [B, dirs·H]: h_fwd(T), and for a bidirectional
/// model ‖ h_bwd(1) (the reverse direction's final state). Differentiable.</param>
/// <param name="Final">Final state of every layer and direction, detached (to carry across batches).</param>
public sealed record RecurrentOutput(Tensor Output, Tensor Last, RecurrentState Final);
