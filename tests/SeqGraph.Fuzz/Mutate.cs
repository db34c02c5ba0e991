using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SeqGraph.Random;

namespace SeqGraph.Fuzz;

/// <summary>Seeded edits of bytes, JSON documents and safetensors headers; each returns new bytes and says what it did.</summary>
internal static class Mutate
{
    /// <summary>Byte sequences that are not UTF-8: a stray continuation, an overlong '/', a surrogate, a truncated sequence, 0xFF.</summary>
    public static readonly byte[][] InvalidUtf8 = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xFF], [0xF8, 0x88, 0x80, 0x80, 0x80]];

    /// <summary>Flips 1-4 random bits-patterns at random offsets.</summary>
    public static (byte[], string) Flip(Rng rng, byte[] data)
    {
        var d = (byte[])data.Clone();
        int n = 1 + rng.NextInt(4);
        var at = new List<int>();
        for (int k = 0; k < n && d.Length > 0; k++)
        {
            int i = rng.NextInt(d.Length);
            d[i] ^= (byte)(1 + rng.NextInt(255));
            at.Add(i);
        }
        return (d, $"flip bytes at {string.Join(",", at)}");
    }

    /// <summary>Cuts the data at a random length (often near the start or the end).</summary>
    public static (byte[], string) Truncate(Rng rng, byte[] data)
    {
        int len = rng.NextInt(4) switch { 0 => rng.NextInt(Math.Min(16, data.Length) + 1), 1 => Math.Max(0, data.Length - 1 - rng.NextInt(Math.Min(16, data.Length))), _ => rng.NextInt(data.Length) };
        return (data[..len], $"truncate to {len} of {data.Length} bytes");
    }

    /// <summary>Inserts 1-16 random bytes (or an invalid UTF-8 sequence) at a random offset.</summary>
    public static (byte[], string) Insert(Rng rng, byte[] data)
    {
        int at = rng.NextInt(data.Length + 1);
        byte[] bytes = rng.NextInt(3) == 0 ? InvalidUtf8[rng.NextInt(InvalidUtf8.Length)] : Enumerable.Range(0, 1 + rng.NextInt(16)).Select(_ => (byte)rng.NextInt(256)).ToArray();
        return ([.. data[..at], .. bytes, .. data[at..]], $"insert {bytes.Length} bytes at {at}");
    }

    /// <summary>Removes 1-64 bytes at a random offset.</summary>
    public static (byte[], string) Delete(Rng rng, byte[] data)
    {
        int at = rng.NextInt(Math.Max(1, data.Length)), n = Math.Min(data.Length - at, 1 + rng.NextInt(64));
        return ([.. data[..at], .. data[(at + n)..]], $"delete {n} bytes at {at}");
    }

    /// <summary>Any one of the byte-level edits.</summary>
    public static (byte[], string) Bytes(Rng rng, byte[] data) => rng.NextInt(4) switch
    {
        0 => Flip(rng, data),
        1 => Truncate(rng, data),
        2 => Insert(rng, data),
        _ => Delete(rng, data),
    };

    /// <summary>Values a number in a JSON document is set to.</summary>
    private static readonly string[] NumberEdits = ["0", "-1", "1", "12000", "1e308", "-1e308", "2147483648", "1.5", "\"x\"", "null", "true", "[]", "{}"];

    /// <summary>
    /// A structural edit of a JSON document (as text, so duplicate keys and invalid UTF-8 can be
    /// written): a number set to an edge value or another type, a string changed or given invalid
    /// UTF-8, a key deleted or duplicated, an array element dropped or added.
    /// </summary>
    public static (byte[], string) Json(Rng rng, byte[] data)
    {
        JsonNode root;
        try { root = JsonNode.Parse(data)!; }
        catch (JsonException) { return Bytes(rng, data); }
        var leaves = new List<JsonNode>();
        var props = new List<(JsonObject Parent, string Key)>();
        var arrays = new List<JsonArray>();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (k, v) in o.ToList()) { props.Add((o, k)); Walk(v); }
                    break;
                case JsonArray a:
                    arrays.Add(a);
                    foreach (var v in a) Walk(v);
                    break;
                case JsonValue v:
                    leaves.Add(v);
                    break;
            }
        }
        Walk(root);
        const string Marker = "\u0001FUZZ\u0001";
        string what;
        string? raw = null;   // text that replaces the marker string (raw JSON or bytes that are not UTF-8)
        byte[]? rawBytes = null;
        switch (rng.NextInt(6))
        {
            case 0 or 1 when leaves.Count > 0:
            {
                var leaf = leaves[rng.NextInt(leaves.Count)];
                string path = leaf.GetPath();
                raw = leaf.GetValueKind() == JsonValueKind.String && rng.NextInt(2) == 0
                    ? JsonSerializer.Serialize(rng.NextInt(3) switch { 0 => "", 1 => leaf.GetValue<string>() + "x", _ => new string('y', 5000) })
                    : NumberEdits[rng.NextInt(NumberEdits.Length)];
                Replace(leaf, Marker);
                what = $"set {path} to {(raw.Length > 20 ? raw[..20] + "…" : raw)}";
                break;
            }
            case 2 when leaves.Any(l => l.GetValueKind() == JsonValueKind.String):
            {
                var strings = leaves.Where(l => l.GetValueKind() == JsonValueKind.String).ToList();
                var leaf = strings[rng.NextInt(strings.Count)];
                string path = leaf.GetPath();
                rawBytes = [(byte)'"', .. Encoding.UTF8.GetBytes(leaf.GetValue<string>()), .. InvalidUtf8[rng.NextInt(InvalidUtf8.Length)], (byte)'"'];
                Replace(leaf, Marker);
                what = $"invalid UTF-8 in {path}";
                break;
            }
            case 3 when props.Count > 0:
            {
                var (parent, key) = props[rng.NextInt(props.Count)];
                what = $"delete key {parent.GetPath()}.{key}";
                parent.Remove(key);
                break;
            }
            case 4 when props.Count > 0:
            {
                // a duplicate key: the same key again, with the value of another leaf or the original value
                var (parent, key) = props[rng.NextInt(props.Count)];
                string value = rng.NextInt(2) == 0 || leaves.Count == 0 ? parent[key]?.ToJsonString() ?? "null" : leaves[rng.NextInt(leaves.Count)].ToJsonString();
                string dupKey = Marker + "dup";
                parent[dupKey] = 0;
                raw = $"{JsonSerializer.Serialize(key)}: {value}";
                what = $"duplicate key {parent.GetPath()}.{key}";
                string text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
                string token = JsonSerializer.Serialize(dupKey) + ": 0";
                return (Encoding.UTF8.GetBytes(text.Replace(token, raw)), what);
            }
            default:
            {
                if (arrays.Count == 0) return Bytes(rng, data);
                var a = arrays[rng.NextInt(arrays.Count)];
                if (a.Count > 0 && rng.NextInt(2) == 0)
                {
                    int i = rng.NextInt(a.Count);
                    what = $"remove {a.GetPath()}[{i}]";
                    a.RemoveAt(i);
                }
                else
                {
                    what = $"append to {a.GetPath()}";
                    a.Add(a.Count > 0 ? a[rng.NextInt(a.Count)]?.DeepClone() : JsonValue.Create(0));
                }
                break;
            }
        }
        string json = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        string marker = JsonSerializer.Serialize(Marker, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        if (rawBytes is not null)
        {
            int at = json.IndexOf(marker, StringComparison.Ordinal);
            return ([.. Encoding.UTF8.GetBytes(json[..at]), .. rawBytes, .. Encoding.UTF8.GetBytes(json[(at + marker.Length)..])], what);
        }
        return (Encoding.UTF8.GetBytes(raw is null ? json : json.Replace(marker, raw)), what);
    }

    private static void Replace(JsonNode leaf, string value)
    {
        switch (leaf.Parent)
        {
            case JsonObject o: o[leaf.GetPropertyName()] = value; break;
            case JsonArray a: a[leaf.GetElementIndex()] = value; break;
        }
    }

    /// <summary>
    /// An edit of a safetensors file's header (the 8-byte length, then JSON naming each tensor's
    /// dtype, shape and byte range): a shape dimension changed, two tensors' byte ranges swapped, a
    /// dtype changed, a range moved, or the length prefix changed. The data bytes are kept.
    /// </summary>
    public static (byte[], string) SafetensorsHeader(Rng rng, byte[] data)
    {
        if (data.Length < 8) return Bytes(rng, data);
        long len = BinaryPrimitives.ReadInt64LittleEndian(data);
        if (len <= 0 || len > data.Length - 8) return Bytes(rng, data);
        JsonObject header;
        try { header = (JsonObject)JsonNode.Parse(data.AsSpan(8, (int)len))!; }
        catch (Exception e) when (e is JsonException or InvalidCastException) { return Bytes(rng, data); }
        var names = header.Where(p => p.Key != "__metadata__").Select(p => p.Key).ToList();
        if (names.Count == 0) return Bytes(rng, data);
        string name = names[rng.NextInt(names.Count)];
        var t = (JsonObject)header[name]!;
        string what;
        switch (rng.NextInt(5))
        {
            case 0:
            {
                var shape = (JsonArray)t["shape"]!;
                if (shape.Count == 0) { shape.Add(2); what = $"{name}: shape gets a dimension"; break; }
                int i = rng.NextInt(shape.Count);
                long old = (long)shape[i]!;
                long[] choices = [0, old + 1, old * 2, 100_000, 2_147_483_647, -1];
                long v = choices[rng.NextInt(choices.Length)];
                shape[i] = v;
                what = $"{name}: shape[{i}] {old} -> {v}";
                break;
            }
            case 1 when names.Count > 1:
            {
                string other = names.Where(n => n != name).ElementAt(rng.NextInt(names.Count - 1));
                var a = t["data_offsets"]!.DeepClone();
                t["data_offsets"] = header[other]!["data_offsets"]!.DeepClone();
                header[other]!["data_offsets"] = a;
                what = $"swap the bytes of {name} and {other}";
                break;
            }
            case 2:
            {
                string[] dtypes = ["F16", "F64", "I32", "BF16", "U8", "X"];
                string d = dtypes[rng.NextInt(dtypes.Length)];
                t["dtype"] = d;
                what = $"{name}: dtype -> {d}";
                break;
            }
            case 3:
            {
                var off = (JsonArray)t["data_offsets"]!;
                long a = (long)off[0]!, b = (long)off[1]!;
                long[] shifts = [4, -4, 1 << 20, -(a + 4)];
                long s = shifts[rng.NextInt(shifts.Length)];
                off[0] = a + s;
                off[1] = b + s;
                what = $"{name}: byte range moved by {s}";
                break;
            }
            default:
            {
                var d = (byte[])data.Clone();
                long[] lens = [0, len - 1, len + 1, data.Length, long.MaxValue, -1];
                long l = lens[rng.NextInt(lens.Length)];
                BinaryPrimitives.WriteInt64LittleEndian(d, l);
                return (d, $"header length {len} -> {l}");
            }
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int pad = (8 - json.Length % 8) % 8;
        byte[] head = [.. json, .. Enumerable.Repeat((byte)' ', pad)];
        var outBytes = new byte[8 + head.Length + (data.Length - 8 - (int)len)];
        BinaryPrimitives.WriteInt64LittleEndian(outBytes, head.Length);
        head.CopyTo(outBytes, 8);
        data.AsSpan(8 + (int)len).CopyTo(outBytes.AsSpan(8 + head.Length));
        return (outBytes, what);
    }

    /// <summary>
    /// A text checkpoint's vocabulary made huge (70,000 symbols, consistently in the model sizes,
    /// the code points and the text) — the tensors stay those of the small vocabulary.
    /// </summary>
    public static (byte[], string) HugeVocabulary(byte[] data, int size = 70_000)
    {
        var root = JsonNode.Parse(data)!.AsObject();
        var points = Enumerable.Range(0, size).Select(i => i < 0xD800 - 0x20 ? i + 0x20 : i + 0x20 + 0x800).ToArray();
        root["vocabulary"] = new JsonArray(points.Select(p => (JsonNode)p).ToArray());
        root["vocabulary_text"] = string.Concat(points.Select(char.ConvertFromUtf32));
        if (root["model"] is JsonObject m) m["vocabulary"] = size;
        return (Encoding.UTF8.GetBytes(root.ToJsonString()), $"vocabulary of {size.ToString(CultureInfo.InvariantCulture)} symbols");
    }
}
