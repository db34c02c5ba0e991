using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SeqGraph.IO;

/// <summary>
/// A checkpoint's <c>model.json</c> as bytes: written with a SHA-256 of its own bytes (format
/// version 2), read strictly. The hash is <c>"sidecar_sha256"</c>, a top-level key written right
/// after <c>"format_version"</c>: the file is serialized with <see cref="Placeholder"/> (64 zeros) as
/// its value, those bytes are hashed, and the hex digest replaces the placeholder in place (same
/// length, so no other byte moves). Reading puts the placeholder back over the recorded value and
/// hashes again, so every byte of the file — whitespace included — is covered. Together with the
/// SHA-256 of model.safetensors recorded under <c>"tensors"</c>, every byte a load depends on is.
/// Version 1 (no own hash) is still read, its <c>"tensors"</c> record required; a version-1 file
/// that carries <c>"sidecar_sha256"</c> is refused as a downgraded version-2 file.
/// This detects corruption and edits by hand, not an adversary (who can recompute the hash).
/// </summary>
internal static class CheckpointSidecar
{
    /// <summary>The top-level key of the sidecar's own hash.</summary>
    internal const string HashKey = "sidecar_sha256";

    /// <summary>What the hash value is while the bytes are hashed.</summary>
    internal static readonly string Placeholder = new('0', 64);

    /// <summary>The largest model.json read, in bytes (a 1.1 million-symbol vocabulary takes about 20 MB).</summary>
    internal const long MaxBytes = 100_000_000;

    /// <summary>The sidecar's record of the tensor file: its size, SHA-256 and tensor names.</summary>
    internal sealed record TensorsRecord(long Bytes, string Sha256, string[] Names);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The bytes of <paramref name="json"/> (which holds <see cref="HashKey"/>, any value) with their own hash in place.</summary>
    internal static byte[] Serialize(JsonObject json)
    {
        json[HashKey] = Placeholder;
        byte[] bytes = Encoding.UTF8.GetBytes(json.ToJsonString(Indented) + "\n");
        Seal(bytes, "model.json");
        return bytes;
    }

    /// <summary>Replaces the recorded hash in <paramref name="bytes"/> by the hash of the bytes with the placeholder there.</summary>
    private static void Seal(byte[] bytes, string path)
    {
        int at = HashValueOffset(bytes, path) ?? throw new InvalidDataException($"{path}: no \"{HashKey}\" to seal");
        Encoding.ASCII.GetBytes(Placeholder, bytes.AsSpan(at, 64));
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.AsSpan(at, 64));
    }

    /// <summary>
    /// Recomputes the own hash of a model.json edited on purpose (tests, repairs by hand): the file
    /// keeps every other byte. Not used by any load: a load never repairs.
    /// </summary>
    internal static void Reseal(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Seal(bytes, path);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// Reads and checks <paramref name="path"/>: size, strict UTF-8, JSON without duplicate keys, an
    /// object with <c>"format"</c>, a supported <c>"format_version"</c>, for version 2 its own hash,
    /// and the <c>"tensors"</c> record. Every failure is one <see cref="InvalidDataException"/> line
    /// starting with the path.
    /// </summary>
    internal static (JsonObject Json, TensorsRecord Tensors) Read(string path)
    {
        long length = new FileInfo(InputFile.Check(path)).Length;
        if (length > MaxBytes) throw Bad(path, $"{length:N0} bytes, more than the {MaxBytes:N0} a checkpoint's sidecar may have");
        byte[] bytes = File.ReadAllBytes(path);
        CheckUtf8(bytes, path);
        int? hashAt = HashValueOffset(bytes, path);
        JsonNode? root;
        try { root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 256, AllowDuplicateProperties = false }); }
        catch (JsonException e) { throw Bad(path, $"not valid JSON ({FirstLine(e.Message)})"); }
        if (root is not JsonObject obj)
            throw Bad(path, $"expected a JSON object, found {(root is null ? "null" : root.GetValueKind().ToString().ToLowerInvariant())}");
        string? format = obj["format"] is JsonValue f && f.TryGetValue<string>(out var s) ? s : null;
        if (format != Checkpoint.FormatName)
            throw Bad(path, $"\"format\" is {(format is null ? "missing" : DisplayText.Quote(format))}, expected '{Checkpoint.FormatName}'");
        if (obj["format_version"] is not JsonValue fv || fv.GetValueKind() != JsonValueKind.Number || !fv.TryGetValue<int>(out int version))
            throw Bad(path, "\"format_version\" is missing or not a whole number");
        if (version < 1 || version > Checkpoint.FormatVersion)
            throw Bad(path, $"format_version {version} is not supported (this build reads 1 to {Checkpoint.FormatVersion})");
        if (version == 1 && obj.ContainsKey(HashKey))
            throw Bad(path, $"format_version 1 but it holds \"{HashKey}\", which only version 2 writes (a version-2 file changed to look older)");
        if (version >= 2)
        {
            if (hashAt is not int at)
                throw Bad(path, $"\"{HashKey}\" (the SHA-256 of this file's own bytes) is missing or not 64 lowercase hex digits");
            string recorded = Encoding.ASCII.GetString(bytes, at, 64);
            Encoding.ASCII.GetBytes(Placeholder, bytes.AsSpan(at, 64));
            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != recorded)
                throw Bad(path, $"contents do not match the SHA-256 recorded in its \"{HashKey}\" (corrupted, or edited since it was saved)");
        }
        return (obj, ReadTensorsRecord(obj, path));
    }

    private static TensorsRecord ReadTensorsRecord(JsonObject obj, string path)
    {
        if (obj["tensors"] is not JsonObject record)
            throw Bad(path, $"the \"tensors\" record (size, SHA-256 and names of {Checkpoint.TensorsFileName}) is missing or not an object");
        if (record["bytes"] is not JsonValue b || b.GetValueKind() != JsonValueKind.Number || !b.TryGetValue<long>(out long bytes) || bytes < 0)
            throw Bad(path, "\"tensors.bytes\" is missing or not a whole number");
        if (record["sha256"] is not JsonValue h || !h.TryGetValue<string>(out var sha) || !IsHex(sha))
            throw Bad(path, "\"tensors.sha256\" is missing or not a string of 64 hex digits");
        if (record["names"] is not JsonArray arr)
            throw Bad(path, "\"tensors.names\" is missing or not an array");
        var names = arr.Select((n, i) => n is JsonValue v && v.TryGetValue<string>(out var name) ? name
            : throw Bad(path, $"tensors.names[{i}] is not a string")).ToArray();
        return new TensorsRecord(bytes, sha.ToLowerInvariant(), names);
    }

    private static bool IsHex(string s, bool lowerOnly = false) =>
        s.Length == 64 && s.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f' || (!lowerOnly && c is >= 'A' and <= 'F'));

    /// <summary>Strict UTF-8: the first invalid sequence is an error with its byte offset.</summary>
    private static void CheckUtf8(byte[] bytes, string path)
    {
        var rest = bytes.AsSpan();
        while (!rest.IsEmpty)
        {
            if (System.Buffers.OperationStatus.Done != System.Text.Rune.DecodeFromUtf8(rest, out _, out int used))
                throw Bad(path, $"not valid UTF-8 at byte {bytes.Length - rest.Length}");
            rest = rest[used..];
        }
        if (bytes is [0xEF, 0xBB, 0xBF, ..]) throw Bad(path, "starts with a byte-order mark, which SeqGraph never writes");
    }

    /// <summary>
    /// Scans the JSON once: duplicate keys (at any depth) are errors naming the key; returns the byte
    /// offset of the 64 characters of the top-level <see cref="HashKey"/> string when it is a plain
    /// (unescaped) 64-digit lowercase hex string, else null.
    /// </summary>
    private static int? HashValueOffset(byte[] bytes, string path)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 256 });
        var keys = new Stack<HashSet<string>>();
        int? found = null;
        bool hashNext = false;
        try
        {
            while (reader.Read())
            {
                if (hashNext && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length == 64
                    && IsHex(Encoding.ASCII.GetString(reader.ValueSpan), lowerOnly: true))
                    found = (int)reader.TokenStartIndex + 1;
                hashNext = false;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        keys.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        keys.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        string key = reader.GetString()!;
                        if (!keys.Peek().Add(key))
                            throw Bad(path, $"duplicate key {DisplayText.Quote(key)} at byte {reader.TokenStartIndex}");
                        hashNext = keys.Count == 1 && key == HashKey;
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw Bad(path, $"not valid JSON ({FirstLine(e.Message)})");
        }
        return found;
    }

    private static string FirstLine(string s)
    {
        int i = s.IndexOfAny(['\r', '\n']);
        return i < 0 ? s : s[..i];
    }

    private static InvalidDataException Bad(string path, string what) => new($"{path}: {what}");
}
