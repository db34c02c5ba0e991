namespace SeqGraph.Tensors;

/// <summary>
/// A weight matrix W [rows, cols] (row-major) packed once as a GEMM right-hand operand into a
/// pooled buffer: W itself (k = rows, n = cols) or, with <c>transpose</c>, Wᵀ (k = cols, n = rows).
/// Dispose returns the buffer.
/// </summary>
internal readonly struct PackedWeight : IDisposable
{
    private readonly float[] _buffer;

    public PackedWeight(ReadOnlySpan<float> w, int rows, int cols, bool transpose)
    {
        (int k, int n) = transpose ? (cols, rows) : (rows, cols);
        _buffer = BufferPool.Rent(Gemm.PackedLength(k, n));
        Packed = Gemm.PackB(transpose, k, n, w, cols, _buffer);
    }

    public PackedB Packed { get; }

    public void Dispose() => BufferPool.Return(_buffer);
}
