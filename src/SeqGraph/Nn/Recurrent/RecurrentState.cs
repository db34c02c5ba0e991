using SeqGraph.Tensors;

namespace SeqGraph.Nn.Recurrent;

/// <summary>Hidden (and cell) state per layer and direction, each [B, H].</summary>
public sealed record RecurrentState(Tensor[] H, Tensor[]? C);
