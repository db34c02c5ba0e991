using System.Buffers.Binary;
using System.Text;
using SeqGraph.Tensors;
using SeqGraph.Training;
using SeqGraph.IO;
using SeqGraph.Autograd;

namespace SeqGraph.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // ----- round trips -----

    [Fact]
    public void RoundTripOfEveryWritableDtypeIsBitExact()
    {
        var rng = new SeqGraph.Random.Rng(7);
        var cube = Tensor.Normal(rng, 0f, 1f, 2, 3, 4);
        float[] special = { float.NaN, -0f, float.Epsilon, float.MaxValue, float.NegativeInfinity, 1e-40f };
        double[] doubles = { Math.PI, -0.0, double.Epsilon, double.MaxValue, 1.0 / 3.0 };
        int[] ints = { int.MinValue, -1, 0, int.MaxValue };
        long[] longs = { long.MinValue, 9007199254740993L, long.MaxValue };
        var entries = new[]
        {
            SafeTensorEntry.FromTensor("scalar", Tensor.Scalar(-1.25f)),
            SafeTensorEntry.FromTensor("empty", Tensor.Zeros(0)),
            SafeTensorEntry.FromFloats("special", special, 2, 3),
            SafeTensorEntry.FromTensor("cube", cube),
            SafeTensorEntry.FromDoubles("doubles", doubles, 5),
            SafeTensorEntry.FromInt32("ints", ints, 2, 2),
            SafeTensorEntry.FromInt64("longs", longs, 3),
        };
        var meta = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "Grüße, \"quoted\" ✓" };
        string path = _dir.File("all.safetensors");
        Safetensors.Write(path, entries, meta);

        using var f = Safetensors.Read(path);
        Assert.Equal(meta, f.Metadata);
        Assert.Equal(new[] { "cube", "doubles", "empty", "ints", "longs", "scalar", "special" }, f.Names);

        var s = f.ToTensor("scalar");
        Assert.Empty(s.Shape);
        Assert.Equal(-1.25f, s.Item());
        var e = f.ToTensor("empty");
        Assert.Equal(new[] { 0 }, e.Shape);
        Assert.Empty(e.Data);
        var c = f.ToTensor("cube");
        Assert.Equal(new[] { 2, 3, 4 }, c.Shape);
        Assert.Equal(Bits(cube.Data), Bits(c.Data));
        var sp = f.ToTensor("special");
        Assert.Equal(new[] { 2, 3 }, sp.Shape);
        Assert.Equal(Bits(special), Bits(sp.Data));

        Assert.Equal(SafetensorsDtype.F64, f.Info("doubles").Dtype);
        Assert.Equal(doubles.Select(BitConverter.DoubleToInt64Bits), f.ToDouble("doubles").Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(new long[] { 2, 2 }, f.Info("ints").Shape);
        Assert.Equal(ints, f.ToInt32("ints"));
        Assert.Equal(ints.Select(i => (long)i), f.ToInt64("ints"));
        Assert.Equal(longs, f.ToInt64("longs"));
    }

    [Fact]
    public void FloatDictionaryOverloadRoundTripsAndOrderOfInsertionDoesNotMatter()
    {
        var a = new Dictionary<string, Tensor> { ["z"] = Tensor.Arange(3), ["a"] = Tensor.Full(2f, 2, 2) };
        var b = new Dictionary<string, Tensor> { ["a"] = Tensor.Full(2f, 2, 2), ["z"] = Tensor.Arange(3) };
        string pa = _dir.File("a.safetensors"), pb = _dir.File("b.safetensors");
        Safetensors.Write(pa, a);
        Safetensors.Write(pb, b);
        Assert.Equal(File.ReadAllBytes(pa), File.ReadAllBytes(pb));
        var back = Safetensors.ReadTensors(pa);
        Assert.Equal(new[] { 0f, 1f, 2f }, back["z"].Data);
        Assert.Equal(new[] { 2, 2 }, back["a"].Shape);
    }

    [Fact]
    public void WrittenBytesMatchTheSpecExactly()
    {
        string path = _dir.File("simple.safetensors");
        var tensors = new Dictionary<string, Tensor> { ["b"] = Tensor.FromArray(new[] { 1f, 2f }, 2), ["a"] = Tensor.Scalar(3f) };
        Safetensors.Write(path, tensors, new Dictionary<string, string> { ["k"] = "v" });

        byte[] bytes = File.ReadAllBytes(path);
        const string json = "{\"__metadata__\":{\"k\":\"v\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        string header = json + new string(' ', (8 - json.Length % 8) % 8);
        Assert.Equal(0, header.Length % 8);
        Assert.Equal((ulong)header.Length, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(header, Encoding.UTF8.GetString(bytes, 8, header.Length));
        byte[] data = bytes[(8 + header.Length)..];
        Assert.Equal(new byte[] { 0, 0, 0x40, 0x40, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40 }, data); // 3f, 1f, 2f little-endian
    }

    [Fact]
    public void NoTensorsGivesAnEmptyPaddedHeader()
    {
        string path = _dir.File("empty.safetensors");
        Safetensors.Write(path, Array.Empty<SafeTensorEntry>());
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(16, bytes.Length);
        Assert.Equal("{}      ", Encoding.ASCII.GetString(bytes, 8, 8));
        using var f = Safetensors.Read(path);
        Assert.Empty(f.Tensors);
        Assert.Empty(f.Metadata);
    }

    [Fact]
    public void FixtureFromIndependentWriter()
    {
        // Fixtures/fixture.safetensors was built byte by byte by Fixtures/make_fixture.py
        // (Python struct + json, no SeqGraph code): unsorted layout, spaced JSON, metadata last.
        using var f = Safetensors.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fixture.safetensors"));
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "made by make_fixture.py" }, f.Metadata);
        Assert.Equal(new[] { "weight", "bias", "steps", "count", "half", "bf", "empty", "mask" }, f.Names);

        var w = f.ToTensor("weight");
        Assert.Equal(new[] { 2, 3 }, w.Shape);
        Assert.Equal(Bits(new[] { 1.5f, -2.25f, 0f, 0.001f, 65504f, -0f }), Bits(w.Data));
        Assert.Equal(new[] { 0.1, -1e300, 3.141592653589793 }, f.ToDouble("bias"));
        Assert.Equal(new[] { 9007199254740993L, -5L }, f.ToInt64("steps"));
        Assert.Equal(new[] { 9007199254740992f, -5f }, f.ToTensor("steps").Data); // nearest float
        Assert.Equal(new[] { 42 }, f.ToInt32("count"));
        Assert.Empty(f.ToTensor("count").Shape);
        Assert.Equal(new[] { 0.5f, -1f }, f.ToTensor("half").Data);
        Assert.Equal(new[] { 0.5, -1.0 }, f.ToDouble("half"));
        Assert.Equal(new[] { 1f, -3.5f }, f.ToTensor("bf").Data);
        Assert.Equal(new[] { 0 }, f.ToTensor("empty").Shape);
        Assert.Equal(new long[] { 1, 0, 1 }, f.ToInt64("mask"));
        Assert.Equal(SafetensorsDtype.Bool, f.Info("mask").Dtype);
    }

    [Fact]
    public void TensorsLargerThanOneReadChunkConvertCorrectly()
    {
        var rng = new SeqGraph.Random.Rng(3);
        var big = Tensor.Uniform(rng, -1f, 1f, 700_001); // 2.8 MB of F32
        var bytes = new byte[3_000_001];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i * 7);
        var doubles = new double[300_001];
        for (int i = 0; i < doubles.Length; i++) doubles[i] = i * 0.5;
        string path = _dir.File("big.safetensors");
        Safetensors.Write(path, new[]
        {
            SafeTensorEntry.FromTensor("big", big),
            SafeTensorEntry.FromBytes("i8", SafetensorsDtype.I8, bytes, bytes.Length),
            SafeTensorEntry.FromDoubles("d", doubles, doubles.Length),
        });
        using var f = Safetensors.Read(path);
        Assert.Equal(Bits(big.Data), Bits(f.ToTensor("big").Data));
        var i8 = f.ToTensor("i8").Data;
        for (int i = 0; i < bytes.Length; i++) Assert.Equal((sbyte)bytes[i], i8[i]);
        Assert.Equal(bytes, f.ReadBytes("i8"));
        Assert.Equal(doubles.Select(d => (float)d), f.ToTensor("d").Data);
    }

    // ----- writer argument checks -----

    [Fact]
    public void WriterRejectsBadEntries()
    {
        Assert.Throws<ArgumentException>(() => SafeTensorEntry.FromFloats("x", new float[5], 2, 3));
        Assert.Throws<ArgumentException>(() => SafeTensorEntry.FromInt64("x", new long[2], -1, -2));
        Assert.Throws<ArgumentException>(() => SafeTensorEntry.FromBytes("x", SafetensorsDtype.F16, new byte[3], 2));
        Assert.Throws<ArgumentException>(() => SafeTensorEntry.FromTensor(Safetensors.MetadataKey, Tensor.Zeros(1)));
        string path = _dir.File("dup.safetensors");
        var ex = Assert.Throws<ArgumentException>(() => Safetensors.Write(path, new[]
        {
            SafeTensorEntry.FromTensor("w", Tensor.Zeros(1)), SafeTensorEntry.FromTensor("w", Tensor.Zeros(2)),
        }));
        Assert.Contains("duplicate tensor name 'w'", ex.Message);
        Assert.False(File.Exists(path));
    }

    // ----- rejections -----

    private const string F32x2 = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":";

    [Fact]
    public void RejectsFileShorterThanTheLengthField()
    {
        string path = _dir.File("tiny.safetensors");
        File.WriteAllBytes(path, new byte[] { 8, 0, 0 });
        Assert.Contains("3 bytes, too short", Rejects(path).Message);
    }

    [Fact]
    public void RejectsFileCutInTheHeader()
    {
        string path = ValidFile("cut-header.safetensors");
        Truncate(path, 20);
        Assert.Matches(@"header length \d+ exceeds the 12 bytes that follow it \(file truncated\?\)", Rejects(path).Message);
    }

    [Fact]
    public void RejectsFileCutInTheData()
    {
        string path = ValidFile("cut-data.safetensors");
        Truncate(path, new FileInfo(path).Length - 3);
        var m = Rejects(path).Message;
        Assert.Contains("tensor 'b' data_offsets [8, 16] reach beyond the 13-byte data buffer (file truncated?)", m);
    }

    [Fact]
    public void RejectsHeaderLengthLargerThanTheFile()
    {
        string path = Craft("long.safetensors", "{}", Array.Empty<byte>(), declaredLength: 1000);
        Assert.Contains("header length 1000 exceeds the 2 bytes", Rejects(path).Message);
    }

    [Theory]
    [InlineData(100_000_001UL)]
    [InlineData(ulong.MaxValue)]
    public void RejectsHeaderLengthOverTheLimit(ulong declared)
    {
        string path = Craft("limit.safetensors", "{}", Array.Empty<byte>(), declaredLength: declared);
        Assert.Contains($"header length {declared} exceeds the 100000000-byte limit", Rejects(path).Message);
    }

    [Fact]
    public void RejectsOverlappingTensors()
    {
        string path = Craft("overlap.safetensors", "{\"w\":" + F32x2 + "[0,8]},\"b\":" + F32x2 + "[4,12]}}", new byte[12]);
        Assert.Contains("tensor 'b' data_offsets [4, 12] overlap 'w' data_offsets [0, 8]", Rejects(path).Message);
    }

    [Fact]
    public void RejectsTensorsAtTheSameOffset()
    {
        string path = Craft("same.safetensors", "{\"w\":" + F32x2 + "[0,8]},\"b\":" + F32x2 + "[0,8]}}", new byte[8]);
        Assert.Contains("overlap", Rejects(path).Message);
    }

    [Fact]
    public void RejectsGapBetweenTensors()
    {
        string path = Craft("gap.safetensors", "{\"w\":" + F32x2 + "[0,8]},\"b\":" + F32x2 + "[12,20]}}", new byte[20]);
        Assert.Contains("gap of 4 bytes between tensor 'w' (ends at 8) and 'b' data_offsets [12, 20]", Rejects(path).Message);
    }

    [Fact]
    public void RejectsGapBeforeTheFirstTensor()
    {
        string path = Craft("gap0.safetensors", "{\"w\":" + F32x2 + "[4,12]}}", new byte[12]);
        Assert.Contains("must start at 0", Rejects(path).Message);
    }

    [Fact]
    public void RejectsTrailingBytesAfterTheLastTensor()
    {
        string path = Craft("trailing.safetensors", "{\"w\":" + F32x2 + "[0,8]}}", new byte[12]);
        Assert.Contains("tensors end at byte 8 of the data buffer but it holds 12 bytes", Rejects(path).Message);
    }

    [Fact]
    public void RejectsOffsetsBeyondTheBuffer()
    {
        string path = Craft("beyond.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        Assert.Contains("data_offsets [0, 16] reach beyond the 8-byte data buffer", Rejects(path).Message);
    }

    [Fact]
    public void RejectsShapeThatDoesNotMatchTheByteRange()
    {
        string path = Craft("mismatch.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        Assert.Contains("tensor 'w' shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8", Rejects(path).Message);
    }

    [Theory]
    [InlineData("F128")]
    [InlineData("f32")]
    [InlineData("")]
    public void RejectsUnknownDtype(string dtype)
    {
        string path = Craft("dtype.safetensors", "{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        Assert.Contains($"tensor 'w' has unknown dtype '{dtype}'", Rejects(path).Message);
    }

    [Fact]
    public void RejectsConversionToAnIncompatibleType()
    {
        string path = _dir.File("types.safetensors");
        Safetensors.Write(path, new[]
        {
            SafeTensorEntry.FromFloats("f", new[] { 1f }, 1),
            SafeTensorEntry.FromInt64("l", new[] { 1L }, 1),
            SafeTensorEntry.FromBytes("m", SafetensorsDtype.Bool, new byte[] { 1 }, 1),
        });
        using var f = Safetensors.Read(path);
        Assert.Contains("tensor 'f' has dtype F32, which cannot be read as int64", Assert.Throws<InvalidDataException>(() => f.ToInt64("f")).Message);
        Assert.Contains("tensor 'f' has dtype F32, which cannot be read as int32", Assert.Throws<InvalidDataException>(() => f.ToInt32("f")).Message);
        Assert.Contains("tensor 'l' has dtype I64, which cannot be read as int32", Assert.Throws<InvalidDataException>(() => f.ToInt32("l")).Message);
        Assert.Contains("tensor 'l' has dtype I64, which cannot be read as float64", Assert.Throws<InvalidDataException>(() => f.ToDouble("l")).Message);
        Assert.Contains("tensor 'm' has dtype BOOL, which cannot be read as float32", Assert.Throws<InvalidDataException>(() => f.ToTensor("m")).Message);
        Assert.Throws<InvalidDataException>(() => f.ToTensor("missing"));
    }

    [Fact]
    public void HugeShapeIsRejectedWithoutAllocating()
    {
        string overflow = Craft("huge.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", new byte[8]);
        // A plausible-looking 4 GB tensor in a tiny file: consistent shape and offsets, but beyond the buffer.
        string claims4Gb = Craft("claims.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1073741824],\"data_offsets\":[0,4294967296]}}", new byte[8]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("shape [4294967296, 4294967296] has too many elements (size overflows)", Rejects(overflow).Message);
        Assert.Contains("reach beyond the 8-byte data buffer", Rejects(claims4Gb).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "rejecting a hostile header must not allocate tensor-sized buffers");
    }

    [Theory]
    [InlineData("not json at all", "header is not valid JSON")]
    [InlineData("{\"w\":", "header is not valid JSON")]
    [InlineData("[1, 2]", "header is a JSON array, expected an object")]
    [InlineData("{\"w\":[0]}", "tensor 'w' entry is a JSON array, expected an object")]
    [InlineData("{\"w\":{\"shape\":[],\"data_offsets\":[0,0]}}", "tensor 'w' has no 'dtype'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,0]}}", "tensor 'w' has no 'shape'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[0]}}", "tensor 'w' has no 'data_offsets'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", "'shape' has -1 at position 0, expected a non-negative integer")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,0]}}", "'shape' has 1.5 at position 0")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0]}}", "'data_offsets' has 1 values, expected [begin, end]")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", "data_offsets [4, 0] end before begin")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", "'__metadata__' value for 'k' is a JSON number, expected a string")]
    [InlineData("{\"__metadata__\":[]}", "'__metadata__' must be an object of strings")]
    public void RejectsMalformedHeaders(string header, string expected)
    {
        string path = Craft("malformed.safetensors", header, Array.Empty<byte>());
        Assert.Contains(expected, Rejects(path).Message);
    }

    [Fact]
    public void RejectsInvalidUtf8Header()
    {
        string path = _dir.File("utf8.safetensors");
        byte[] header = { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' };
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(8UL), .. header]);
        Assert.Contains("header is not valid UTF-8", Rejects(path).Message);
    }

    [Fact]
    public void RejectsDuplicateNames()
    {
        string path = Craft("dups.safetensors", "{\"w\":" + F32x2 + "[0,8]},\"w\":" + F32x2 + "[8,16]}}", new byte[16]);
        Assert.Contains("duplicate tensor name 'w'", Rejects(path).Message);
    }

    [Fact]
    public void FileShrinkingAfterOpenGivesAClearError()
    {
        string path = ValidFile("shrinks.safetensors");
        using var f = Safetensors.Read(path);
        Truncate(path, new FileInfo(path).Length - 4);
        var e = Assert.Throws<InvalidDataException>(() => f.ToTensor("b"));
        Assert.Contains("unexpected end of file", e.Message);
    }

    // ----- helpers -----

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static InvalidDataException Rejects(string path)
    {
        var e = Assert.Throws<InvalidDataException>(() =>
        {
            using var f = Safetensors.Read(path);
        });
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    /// <summary>Two F32 tensors of 2 values: a at [0, 8], b at [8, 16].</summary>
    private string ValidFile(string name)
    {
        string path = _dir.File(name);
        Safetensors.Write(path, new Dictionary<string, Tensor> { ["a"] = Tensor.Ones(2), ["b"] = Tensor.Full(2f, 2) });
        return path;
    }

    private static void Truncate(string path, long length)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        fs.SetLength(length);
    }

    /// <summary>Writes a file by hand: length field (the real one unless overridden), header, data.</summary>
    private string Craft(string name, string header, byte[] data, ulong? declaredLength = null)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        string path = _dir.File(name);
        using var fs = File.Create(path);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, declaredLength ?? (ulong)h.Length);
        fs.Write(len);
        fs.Write(h);
        fs.Write(data);
        return path;
    }
}
