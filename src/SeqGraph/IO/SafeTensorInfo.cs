namespace SeqGraph.IO;

/// <summary>One tensor's header entry: name, dtype, shape, and byte range within the data buffer.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="Dtype">The stored element type.</param>
/// <param name="Shape">The extent of each axis.</param>
/// <param name="Begin">First byte, relative to the start of the data buffer.</param>
/// <param name="End">One past the last byte, relative to the start of the data buffer.</param>
public sealed record SafeTensorInfo(string Name, SafetensorsDtype Dtype, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Number of data bytes.</summary>
    public long ByteLength => End - Begin;

    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount => ByteLength / Dtype.ElementSize();

    /// <summary>The shape as "[a, b]".</summary>
    public string ShapeText => SafeTensorEntry.ShapeText(Shape);
}
