using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using SeqGraph.Tensors;

namespace SeqGraph.IO;

/// <summary>
/// An open, validated safetensors file (from <see cref="Safetensors.Read"/>). The header is in
/// memory; each conversion reads that tensor's bytes from disk with positional reads, so a
/// large file is never loaded whole. Thread-safe for concurrent reads. Dispose to close the file.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private const int ChunkBytes = 1 << 20;
    private readonly SafeFileHandle _handle;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafeTensorInfo> _byName;

    internal SafetensorsFile(string path, SafeFileHandle handle, long dataStart, List<SafeTensorInfo> infosInOffsetOrder, Dictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        _dataStart = dataStart;
        Tensors = infosInOffsetOrder.AsReadOnly();
        _byName = infosInOffsetOrder.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Metadata = metadata.AsReadOnly();
    }

    /// <summary>The path the file was opened with (used in error messages).</summary>
    public string Path { get; }

    /// <summary>Every tensor's header entry, in data-buffer order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The tensor names, in data-buffer order.</summary>
    public IEnumerable<string> Names => Tensors.Select(t => t.Name);

    /// <summary>The <c>__metadata__</c> strings (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>True when the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of one tensor.</summary>
    /// <exception cref="InvalidDataException">The file holds no tensor of that name.</exception>
    public SafeTensorInfo Info(string name) =>
        _byName.TryGetValue(name, out var info) ? info : throw new InvalidDataException($"{Path}: no tensor named {DisplayText.Quote(name)}");

    /// <summary>
    /// The tensor as float32 with its shape. Converts from F32, F64 (rounded), F16, BF16, I8, U8,
    /// I16, I32 and I64 (rounded to the nearest float); BOOL is refused.
    /// </summary>
    /// <exception cref="InvalidDataException">Wrong dtype, a dimension too large for <see cref="Tensor"/>, or the file changed.</exception>
    public Tensor ToTensor(string name)
    {
        var info = Info(name);
        if (info.Dtype == SafetensorsDtype.Bool) throw WrongDtype(info, "float32");
        var shape = new int[info.Shape.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (info.Shape[i] > Array.MaxLength) throw Safetensors.Bad(Path, $"tensor {DisplayText.Quote(name)} shape {info.ShapeText} has an axis too long for a Tensor");
            shape[i] = (int)info.Shape[i];
        }
        var data = new float[CheckedLength(info)];
        ReadChunks(info, (src, first) => DecodeFloat(info.Dtype, src, data.AsSpan((int)first)));
        return new Tensor(data, shape);
    }

    /// <summary>Every tensor as float32, by name (see <see cref="ToTensor"/>).</summary>
    public Dictionary<string, Tensor> ToTensors() => Tensors.ToDictionary(t => t.Name, t => ToTensor(t.Name), StringComparer.Ordinal);

    /// <summary>The values as float64, flattened row-major. Exact conversions only: F64, F32, F16, BF16, I8, U8, I16, I32.</summary>
    public double[] ToDouble(string name)
    {
        var info = Info(name);
        if (info.Dtype is SafetensorsDtype.I64 or SafetensorsDtype.Bool) throw WrongDtype(info, "float64");
        var data = new double[CheckedLength(info)];
        ReadChunks(info, (src, first) =>
        {
            var dst = data.AsSpan((int)first);
            int size = info.Dtype.ElementSize();
            for (int i = 0; i < src.Length / size; i++)
                dst[i] = info.Dtype switch
                {
                    SafetensorsDtype.F64 => BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]),
                    SafetensorsDtype.I8 => (sbyte)src[i],
                    SafetensorsDtype.U8 => src[i],
                    SafetensorsDtype.I16 => BinaryPrimitives.ReadInt16LittleEndian(src[(2 * i)..]),
                    SafetensorsDtype.I32 => BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]),
                    _ => DecodeOneFloat(info.Dtype, src, i),
                };
        });
        return data;
    }

    /// <summary>The values as 64-bit integers, flattened row-major. Integer dtypes only: I64, I32, I16, I8, U8, BOOL.</summary>
    public long[] ToInt64(string name)
    {
        var info = Info(name);
        if (!IsInteger(info.Dtype)) throw WrongDtype(info, "int64");
        var data = new long[CheckedLength(info)];
        ReadChunks(info, (src, first) =>
        {
            for (int i = 0; i < src.Length / info.Dtype.ElementSize(); i++) data[first + i] = DecodeOneInt(info.Dtype, src, i);
        });
        return data;
    }

    /// <summary>The values as 32-bit integers, flattened row-major. Dtypes that fit exactly: I32, I16, I8, U8, BOOL.</summary>
    public int[] ToInt32(string name)
    {
        var info = Info(name);
        if (!IsInteger(info.Dtype) || info.Dtype == SafetensorsDtype.I64) throw WrongDtype(info, "int32");
        var data = new int[CheckedLength(info)];
        ReadChunks(info, (src, first) =>
        {
            for (int i = 0; i < src.Length / info.Dtype.ElementSize(); i++) data[first + i] = (int)DecodeOneInt(info.Dtype, src, i);
        });
        return data;
    }

    /// <summary>The tensor's stored bytes, exactly as in the file (little-endian).</summary>
    public byte[] ReadBytes(string name)
    {
        var info = Info(name);
        if (info.ByteLength > Array.MaxLength) throw Safetensors.Bad(Path, $"tensor {DisplayText.Quote(name)} is too large to read into one array");
        var data = new byte[info.ByteLength];
        ReadChunks(info, (src, first) => src.CopyTo(data.AsSpan((int)(first * info.Dtype.ElementSize()))));
        return data;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _handle.Dispose();

    private static bool IsInteger(SafetensorsDtype d) =>
        d is SafetensorsDtype.I64 or SafetensorsDtype.I32 or SafetensorsDtype.I16 or SafetensorsDtype.I8 or SafetensorsDtype.U8 or SafetensorsDtype.Bool;

    private InvalidDataException WrongDtype(SafeTensorInfo info, string target) =>
        Safetensors.Bad(Path, $"tensor {DisplayText.Quote(info.Name)} has dtype {info.Dtype.HeaderName()}, which cannot be read as {target}");

    private int CheckedLength(SafeTensorInfo info)
    {
        if (info.ElementCount > Array.MaxLength) throw Safetensors.Bad(Path, $"tensor {DisplayText.Quote(info.Name)} has {info.ElementCount} elements, too many for one array");
        return (int)info.ElementCount;
    }

    private delegate void ChunkSink(ReadOnlySpan<byte> bytes, long firstElement);

    /// <summary>Streams a tensor's bytes in whole-element chunks of at most 1 MiB.</summary>
    private void ReadChunks(SafeTensorInfo info, ChunkSink sink)
    {
        int size = info.Dtype.ElementSize();
        int chunk = ChunkBytes / size * size;
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(chunk, Math.Max(info.ByteLength, 1)));
        try
        {
            for (long pos = 0; pos < info.ByteLength; pos += chunk)
            {
                int n = (int)Math.Min(chunk, info.ByteLength - pos);
                var span = buffer.AsSpan(0, n);
                Safetensors.ReadExactly(_handle, span, _dataStart + info.Begin + pos, Path);
                sink(span, pos / size);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static float DecodeOneFloat(SafetensorsDtype dtype, ReadOnlySpan<byte> src, int i) => dtype switch
    {
        SafetensorsDtype.F32 => BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]),
        SafetensorsDtype.F16 => (float)BinaryPrimitives.ReadHalfLittleEndian(src[(2 * i)..]),
        SafetensorsDtype.BF16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]) << 16),
        _ => throw new InvalidOperationException($"{dtype} is not a float dtype"),
    };

    private static void DecodeFloat(SafetensorsDtype dtype, ReadOnlySpan<byte> src, Span<float> dst)
    {
        int n = src.Length / dtype.ElementSize();
        switch (dtype)
        {
            case SafetensorsDtype.F32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(src).CopyTo(dst);
                break;
            case SafetensorsDtype.F32 or SafetensorsDtype.F16 or SafetensorsDtype.BF16:
                for (int i = 0; i < n; i++) dst[i] = DecodeOneFloat(dtype, src, i);
                break;
            case SafetensorsDtype.F64:
                for (int i = 0; i < n; i++) dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]);
                break;
            default:
                for (int i = 0; i < n; i++) dst[i] = DecodeOneInt(dtype, src, i);
                break;
        }
    }

    private static long DecodeOneInt(SafetensorsDtype dtype, ReadOnlySpan<byte> src, int i) => dtype switch
    {
        SafetensorsDtype.I64 => BinaryPrimitives.ReadInt64LittleEndian(src[(8 * i)..]),
        SafetensorsDtype.I32 => BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]),
        SafetensorsDtype.I16 => BinaryPrimitives.ReadInt16LittleEndian(src[(2 * i)..]),
        SafetensorsDtype.I8 => (sbyte)src[i],
        SafetensorsDtype.U8 or SafetensorsDtype.Bool => src[i],
        _ => throw new InvalidOperationException($"{dtype} is not an integer dtype"),
    };
}
