using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using SeqGraph.Tensors;

namespace SeqGraph.IO;

/// <summary>
/// The safetensors format (as used by PyTorch and Hugging Face): an 8-byte little-endian unsigned
/// header length N, then N bytes of UTF-8 JSON
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …, "__metadata__": {…}}</c>,
/// then the data buffer. Offsets are relative to the first byte after the header; tensors are
/// little-endian, row-major, and tile the buffer exactly.
/// </summary>
/// <remarks>
/// Writing lays tensors out contiguously in the order of their names (by Unicode code point, i.e.
/// UTF-8 byte order), writes <c>__metadata__</c> first in the header, pads the header with spaces
/// to a multiple of 8 bytes, and goes through <see cref="AtomicFile"/>. Reading checks the whole
/// header against the file size before any tensor data is allocated; see <see cref="Read"/>.
/// </remarks>
public static class Safetensors
{
    /// <summary>The reserved header key holding string→string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest header accepted (and written), in bytes.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>Writes float32 tensors (as F32) atomically, with optional metadata.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Write(path, tensors.Select(kv => SafeTensorEntry.FromTensor(kv.Key, kv.Value)), metadata);
    }

    /// <summary>Writes tensors of any supported dtype atomically, with optional metadata.</summary>
    public static void Write(string path, IEnumerable<SafeTensorEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sorted = SortAndCheck(entries);
        byte[] header = BuildHeader(sorted, metadata);
        AtomicFile.Write(path, stream => WriteSorted(stream, sorted, header));
    }

    /// <summary>Writes the complete file to <paramref name="stream"/> (not atomic; the caller owns the stream).</summary>
    public static void Write(Stream stream, IEnumerable<SafeTensorEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var sorted = SortAndCheck(entries);
        WriteSorted(stream, sorted, BuildHeader(sorted, metadata));
    }

    private static void WriteSorted(Stream stream, List<SafeTensorEntry> sorted, byte[] header)
    {
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
        stream.Write(len);
        stream.Write(header);
        foreach (var e in sorted) e.WriteData(stream);
    }

    private static List<SafeTensorEntry> SortAndCheck(IEnumerable<SafeTensorEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToList();
        list.Sort((a, b) => CompareCodePoints(a.Name, b.Name));
        for (int i = 1; i < list.Count; i++)
            if (list[i].Name == list[i - 1].Name) throw new ArgumentException($"duplicate tensor name '{list[i].Name}'");
        return list;
    }

    /// <summary>Orders strings by Unicode code point (the same order as their UTF-8 bytes).</summary>
    internal static int CompareCodePoints(string a, string b)
    {
        var ea = a.EnumerateRunes();
        var eb = b.EnumerateRunes();
        while (true)
        {
            bool ha = ea.MoveNext(), hb = eb.MoveNext();
            if (!ha || !hb) return ha ? 1 : hb ? -1 : 0;
            int c = ea.Current.Value.CompareTo(eb.Current.Value);
            if (c != 0) return c;
        }
    }

    /// <summary>The JSON header for entries already in file order, padded with spaces to a multiple of 8.</summary>
    private static byte[] BuildHeader(List<SafeTensorEntry> sorted, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
        using (var w = new Utf8JsonWriter(buffer, options))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, Comparer<string>.Create(CompareCodePoints)))
                {
                    ArgumentNullException.ThrowIfNull(v, $"metadata['{k}']");
                    w.WriteString(k, v);
                }
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var e in sorted)
            {
                w.WriteStartObject(e.Name);
                w.WriteString("dtype", e.Dtype.HeaderName());
                w.WriteStartArray("shape");
                foreach (long d in e.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + e.ByteLength);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += e.ByteLength;
            }
            w.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        if (padded > MaxHeaderLength) throw new ArgumentException($"header would be {padded} bytes, over the {MaxHeaderLength}-byte limit");
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>
    /// Opens and validates a safetensors file; tensor data is read later, per tensor, by the
    /// returned <see cref="SafetensorsFile"/> (dispose it to close the file).
    /// </summary>
    /// <remarks>
    /// Checked before any tensor data is allocated: the file holds at least 8 bytes; the header
    /// length is at most <see cref="MaxHeaderLength"/> and fits in the file; the header is UTF-8
    /// JSON whose root is an object; every tensor has a recognised dtype, a shape of non-negative
    /// integers whose byte size does not overflow and equals <c>end − begin</c>, offsets inside the
    /// data buffer, and a unique name; sorted by offset, the tensors tile the data buffer from 0
    /// to its last byte with no gap or overlap; <c>__metadata__</c> maps strings to strings.
    /// Unknown keys inside a tensor entry are ignored, as in the reference implementation.
    /// Every failure is an <see cref="InvalidDataException"/> whose message starts with the path.
    /// </remarks>
    /// <exception cref="InvalidDataException">The file is not a well-formed safetensors file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafetensorsFile Read(string path)
    {
        InputFile.Check(path);
        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long fileLength = RandomAccess.GetLength(handle);
            if (fileLength < 8)
                throw Bad(path, $"file is {fileLength} bytes, too short for the 8-byte header length (truncated?)");
            Span<byte> lenBytes = stackalloc byte[8];
            ReadExactly(handle, lenBytes, 0, path);
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
            if (n > MaxHeaderLength)
                throw Bad(path, $"header length {n} exceeds the {MaxHeaderLength}-byte limit");
            if (n > (ulong)(fileLength - 8))
                throw Bad(path, $"header length {n} exceeds the {fileLength - 8} bytes that follow it (file truncated?)");
            var header = new byte[(int)n];
            ReadExactly(handle, header, 8, path);
            long dataStart = 8 + (long)n;
            var (infos, metadata) = ParseHeader(header, fileLength - dataStart, path);
            return new SafetensorsFile(path, handle, dataStart, infos, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads every tensor of a file as float32 (see <see cref="SafetensorsFile.ToTensor"/>).</summary>
    public static Dictionary<string, Tensor> ReadTensors(string path)
    {
        using var file = Read(path);
        return file.ToTensors();
    }

    internal static InvalidDataException Bad(string path, string what) => new($"{path}: {what}");

    internal static void ReadExactly(SafeFileHandle handle, Span<byte> dst, long offset, string path)
    {
        while (dst.Length > 0)
        {
            int got = RandomAccess.Read(handle, dst, offset);
            if (got <= 0) throw Bad(path, $"unexpected end of file at byte {offset} (file truncated or changed while reading?)");
            dst = dst[got..];
            offset += got;
        }
    }

    /// <summary>Validates a header against the data buffer length; returns the tensors in offset order.</summary>
    internal static (List<SafeTensorInfo> Infos, Dictionary<string, string> Metadata) ParseHeader(byte[] header, long dataLength, string path)
    {
        if (!System.Text.Unicode.Utf8.IsValid(header)) throw Bad(path, "header is not valid UTF-8");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw Bad(path, $"header is not valid JSON ({FirstLine(e.Message)})");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad(path, $"header is a {Kind(doc.RootElement)}, expected an object");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var infos = new List<SafeTensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(prop.Name))
                    throw Bad(path, prop.Name == MetadataKey ? $"duplicate '{MetadataKey}'" : $"duplicate tensor name {DisplayText.Quote(prop.Name)}");
                if (prop.Name == MetadataKey) ParseMetadata(prop.Value, metadata, path);
                else infos.Add(ParseEntry(prop.Name, prop.Value, dataLength, path));
            }
            CheckTiling(infos, dataLength, path);
            return (infos, metadata);
        }
    }

    private static string FirstLine(string s)
    {
        int i = s.IndexOfAny(['\r', '\n']);
        return i < 0 ? s : s[..i];
    }

    private static void ParseMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, $"'{MetadataKey}' must be an object of strings, found a {Kind(value)}");
        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) throw Bad(path, $"'{MetadataKey}' value for {DisplayText.Quote(p.Name)} is a {Kind(p.Value)}, expected a string");
            if (!metadata.TryAdd(p.Name, p.Value.GetString()!)) throw Bad(path, $"duplicate '{MetadataKey}' key {DisplayText.Quote(p.Name)}");
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "JSON boolean",
        var k => "JSON " + k.ToString().ToLowerInvariant(),
    };

    private static SafeTensorInfo ParseEntry(string name, JsonElement value, long dataLength, string path)
    {
        string who = $"tensor {DisplayText.Quote(name)}";
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, $"{who} entry is a {Kind(value)}, expected an object");
        if (!value.TryGetProperty("dtype", out var dtypeEl)) throw Bad(path, $"{who} has no 'dtype'");
        if (dtypeEl.ValueKind != JsonValueKind.String) throw Bad(path, $"{who} 'dtype' is a {Kind(dtypeEl)}, expected a string");
        string? dtypeText = dtypeEl.GetString();
        if (!SafetensorsDtypes.TryParse(dtypeText, out var dtype)) throw Bad(path, $"{who} has unknown dtype {DisplayText.Quote(dtypeText ?? "")}");

        if (!value.TryGetProperty("shape", out var shapeEl)) throw Bad(path, $"{who} has no 'shape'");
        var shape = ReadNonNegativeInts(shapeEl, who, "shape", path);

        if (!value.TryGetProperty("data_offsets", out var offEl)) throw Bad(path, $"{who} has no 'data_offsets'");
        var offsets = ReadNonNegativeInts(offEl, who, "data_offsets", path);
        if (offsets.Length != 2) throw Bad(path, $"{who} 'data_offsets' has {offsets.Length} values, expected [begin, end]");
        long begin = offsets[0], end = offsets[1];
        string offText = $"data_offsets [{begin}, {end}]";
        if (end < begin) throw Bad(path, $"{who} {offText} end before begin");
        if (end > dataLength) throw Bad(path, $"{who} {offText} reach beyond the {dataLength}-byte data buffer (file truncated?)");

        long count = 1;
        bool hasZero = Array.IndexOf(shape, 0L) >= 0;
        if (hasZero) count = 0;
        else
            foreach (long d in shape)
            {
                if (count > long.MaxValue / d) throw Bad(path, $"{who} shape {SafeTensorEntry.ShapeText(shape)} has too many elements (size overflows)");
                count *= d;
            }
        int size = dtype.ElementSize();
        if (count > long.MaxValue / size) throw Bad(path, $"{who} shape {SafeTensorEntry.ShapeText(shape)} is too large (byte size overflows)");
        long bytes = count * size;
        if (bytes != end - begin)
            throw Bad(path, $"{who} shape {SafeTensorEntry.ShapeText(shape)} of {dtype.HeaderName()} needs {bytes} bytes but {offText} span {end - begin}");
        return new SafeTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadNonNegativeInts(JsonElement el, string who, string key, string path)
    {
        if (el.ValueKind != JsonValueKind.Array) throw Bad(path, $"{who} '{key}' is a {Kind(el)}, expected an array of integers");
        var result = new long[el.GetArrayLength()];
        int i = 0;
        foreach (var item in el.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
                throw Bad(path, $"{who} '{key}' has {(item.ValueKind == JsonValueKind.Number ? item.GetRawText() : "a " + Kind(item))} at position {i}, expected a non-negative integer");
            result[i++] = v;
        }
        return result;
    }

    private static void CheckTiling(List<SafeTensorInfo> infos, long dataLength, string path)
    {
        infos.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        SafeTensorInfo? previous = null;
        foreach (var t in infos)
        {
            if (t.Begin < expected)
                throw Bad(path, $"tensor {DisplayText.Quote(t.Name)} data_offsets [{t.Begin}, {t.End}] overlap {DisplayText.Quote(previous!.Name)} data_offsets [{previous.Begin}, {previous.End}]");
            if (t.Begin > expected)
                throw Bad(path, previous is null
                    ? $"gap of {t.Begin} bytes before tensor {DisplayText.Quote(t.Name)} data_offsets [{t.Begin}, {t.End}]: the first tensor must start at 0"
                    : $"gap of {t.Begin - expected} bytes between tensor {DisplayText.Quote(previous.Name)} (ends at {expected}) and {DisplayText.Quote(t.Name)} data_offsets [{t.Begin}, {t.End}]");
            expected = t.End;
            if (t.End > t.Begin || previous is null) previous = t; // name the non-empty tensor in messages
        }
        if (expected != dataLength)
            throw Bad(path, $"tensors end at byte {expected} of the data buffer but it holds {dataLength} bytes ({dataLength - expected} bytes unaccounted for)");
    }
}
