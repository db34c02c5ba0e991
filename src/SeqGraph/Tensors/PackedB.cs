namespace SeqGraph.Tensors;

/// <summary>A right-hand operand packed once by <see cref="Gemm.PackB"/>: op(B) is K×N, stored
/// as strips padded to Width columns in <see cref="Data"/>.</summary>
internal sealed record PackedB(float[] Data, int K, int N, int Width);
