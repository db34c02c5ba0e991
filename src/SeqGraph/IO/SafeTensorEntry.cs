using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SeqGraph.Tensors;

namespace SeqGraph.IO;

/// <summary>
/// One tensor to be written to a safetensors file: a name, a dtype, a shape and its values.
/// The values array is referenced, not copied, and is read when the file is written.
/// Create entries with the <c>From…</c> factories; each checks that the shape matches the values.
/// </summary>
public sealed class SafeTensorEntry
{
    private readonly long[] _shape;
    private readonly Array _values; // float[], double[], int[], long[] or (raw little-endian) byte[]

    private SafeTensorEntry(string name, SafetensorsDtype dtype, long[] shape, Array values, long elementCount)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == Safetensors.MetadataKey) throw new ArgumentException($"'{Safetensors.MetadataKey}' is reserved and cannot name a tensor", nameof(name));
        Name = name;
        Dtype = dtype;
        _shape = shape;
        _values = values;
        ElementCount = elementCount;
    }

    /// <summary>The tensor's name in the file (e.g. <c>lstm.weight_ih_l0</c>).</summary>
    public string Name { get; }

    /// <summary>The element type written to the file.</summary>
    public SafetensorsDtype Dtype { get; }

    /// <summary>The extent of each axis.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Number of elements (the product of the shape; 1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>Number of data bytes this tensor occupies in the file.</summary>
    public long ByteLength => ElementCount * Dtype.ElementSize();

    /// <summary>A float32 tensor, written as F32 with the tensor's shape.</summary>
    public static SafeTensorEntry FromTensor(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return FromFloats(name, tensor.Data, Array.ConvertAll(tensor.Shape, d => (long)d));
    }

    /// <summary>float32 values written as F32.</summary>
    public static SafeTensorEntry FromFloats(string name, float[] values, params long[] shape) =>
        Make(name, SafetensorsDtype.F32, values, values?.Length ?? 0, shape);

    /// <summary>float64 values written as F64.</summary>
    public static SafeTensorEntry FromDoubles(string name, double[] values, params long[] shape) =>
        Make(name, SafetensorsDtype.F64, values, values?.Length ?? 0, shape);

    /// <summary>32-bit integers written as I32.</summary>
    public static SafeTensorEntry FromInt32(string name, int[] values, params long[] shape) =>
        Make(name, SafetensorsDtype.I32, values, values?.Length ?? 0, shape);

    /// <summary>64-bit integers written as I64 (e.g. an optimizer step count).</summary>
    public static SafeTensorEntry FromInt64(string name, long[] values, params long[] shape) =>
        Make(name, SafetensorsDtype.I64, values, values?.Length ?? 0, shape);

    /// <summary>
    /// Raw little-endian bytes of any dtype (for F16, BF16, I8, U8, I16, BOOL or data already encoded);
    /// the length must equal the element count times the dtype size.
    /// </summary>
    public static SafeTensorEntry FromBytes(string name, SafetensorsDtype dtype, byte[] littleEndianBytes, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(littleEndianBytes);
        long count = CountElements(shape);
        int size = dtype.ElementSize();
        if (littleEndianBytes.Length % size != 0 || littleEndianBytes.Length / size != count)
            throw new ArgumentException($"tensor '{name}': {littleEndianBytes.Length} bytes do not fit shape {ShapeText(shape)} of {dtype.HeaderName()} ({count} × {size} bytes)");
        return new SafeTensorEntry(name, dtype, (long[])shape.Clone(), littleEndianBytes, count);
    }

    private static SafeTensorEntry Make(string name, SafetensorsDtype dtype, Array? values, long length, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        long count = CountElements(shape);
        if (count != length)
            throw new ArgumentException($"tensor '{name}': shape {ShapeText(shape)} needs {count} values but {length} were given");
        return new SafeTensorEntry(name, dtype, (long[])shape.Clone(), values, count);
    }

    private static long CountElements(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long n = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension in shape {ShapeText(shape)}");
            n = d == 0 ? 0 : n > long.MaxValue / d ? throw new ArgumentException($"shape {ShapeText(shape)} is too large") : n * d;
        }
        return n;
    }

    internal static string ShapeText(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Writes the values little-endian, in chunks (no full-size temporary copy).</summary>
    internal void WriteData(Stream stream)
    {
        const int ChunkBytes = 1 << 20;
        switch (_values)
        {
            case byte[] b:
                stream.Write(b);
                break;
            case float[] f:
                WriteChunks(stream, f, ChunkBytes, static (src, dst) =>
                {
                    for (int i = 0; i < src.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(dst[(4 * i)..], src[i]);
                });
                break;
            case double[] d:
                WriteChunks(stream, d, ChunkBytes, static (src, dst) =>
                {
                    for (int i = 0; i < src.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(dst[(8 * i)..], src[i]);
                });
                break;
            case int[] n:
                WriteChunks(stream, n, ChunkBytes, static (src, dst) =>
                {
                    for (int i = 0; i < src.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(dst[(4 * i)..], src[i]);
                });
                break;
            case long[] l:
                WriteChunks(stream, l, ChunkBytes, static (src, dst) =>
                {
                    for (int i = 0; i < src.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(dst[(8 * i)..], src[i]);
                });
                break;
            default:
                throw new InvalidOperationException($"unsupported storage {_values.GetType()}");
        }
    }

    private delegate void Encoder<T>(ReadOnlySpan<T> src, Span<byte> dst);

    private static void WriteChunks<T>(Stream stream, T[] values, int chunkBytes, Encoder<T> encode) where T : unmanaged
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        int perChunk = chunkBytes / size;
        if (BitConverter.IsLittleEndian)
        {
            // Memory layout already matches the file: write straight from the array.
            for (int i = 0; i < values.Length; i += perChunk)
                stream.Write(MemoryMarshal.AsBytes(values.AsSpan(i, Math.Min(perChunk, values.Length - i))));
            return;
        }
        var buffer = new byte[chunkBytes];
        for (int i = 0; i < values.Length; i += perChunk)
        {
            int n = Math.Min(perChunk, values.Length - i);
            encode(values.AsSpan(i, n), buffer);
            stream.Write(buffer, 0, n * size);
        }
    }
}
