using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SeqGraph.Nn;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.IO;

/// <summary>
/// A checkpoint folder: <c>model.safetensors</c> (parameters under PyTorch-style names such as
/// <c>lstm.weight_ih_l0</c>, plus any extra tensors, e.g. optimizer state under
/// <c>optim.exp_avg.lstm.weight_ih_l0</c>) and <c>model.json</c> (format version, model config,
/// training state, RNG state, and whatever the caller adds).
/// </summary>
/// <remarks>
/// A save replaces the pair as one: the new tensors and the new JSON are first written whole next
/// to the old pair as <c>model.safetensors.new</c> and <c>model.json.new</c> (each atomically,
/// tensors first, so a present <c>model.json.new</c> means the new pair is complete), then renamed
/// over the old files, tensors first. Whatever moment the process dies, the folder holds either the
/// old pair or a complete new one: <see cref="Load"/> takes a complete new pair when there is one
/// (its tensors still <c>.new</c>, or already renamed) and the old pair otherwise, and the next
/// <see cref="Save"/> first finishes or removes what an interrupted one left, temporary files
/// included. The JSON records the tensor file's size, SHA-256 and tensor names under the reserved
/// key <c>"tensors"</c>, and (format version 2) the SHA-256 of its own bytes under
/// <c>"sidecar_sha256"</c>, hashed with 64 zeros in the hash's place (see <c>CheckpointSidecar</c>);
/// Load checks both, so every byte of both files is covered, and reads the JSON strictly (UTF-8, no
/// duplicate keys). Version-1 files (no own hash) still load, their <c>"tensors"</c> record required.
/// The reserved keys <c>"format"</c>, <c>"format_version"</c>, <c>"sidecar_sha256"</c> and
/// <c>"tensors"</c> are set by <see cref="Save"/>, replacing any caller values, so a loaded sidecar
/// can be passed straight back to Save.
/// </remarks>
public static class Checkpoint
{
    /// <summary>The tensor file inside a checkpoint folder.</summary>
    public const string TensorsFileName = "model.safetensors";

    /// <summary>The JSON sidecar inside a checkpoint folder.</summary>
    public const string SidecarFileName = "model.json";

    /// <summary>The value of the sidecar's <c>"format"</c> key.</summary>
    public const string FormatName = "seqgraph-checkpoint";

    /// <summary>What a save's new pair is called until it replaces the old one.</summary>
    public const string NewSuffix = ".new";

    /// <summary>The sidecar layout version written by this code; Load accepts this version or older.</summary>
    public const int FormatVersion = 2;

    /// <summary>The folder of <paramref name="path"/> when it is one of a checkpoint's two files (model.safetensors, model.json), else null.</summary>
    public static string? FolderOfFile(string path) =>
        File.Exists(path) && Path.GetFileName(path) is TensorsFileName or SidecarFileName
            ? (Path.GetDirectoryName(path) is { Length: > 0 } dir ? dir : ".")
            : null;

    /// <summary>True when <paramref name="dir"/> holds both checkpoint files.</summary>
    public static bool Exists(string dir) =>
        File.Exists(Path.Combine(dir, TensorsFileName)) && File.Exists(Path.Combine(dir, SidecarFileName));

    /// <summary>
    /// Writes a checkpoint into <paramref name="dir"/> (created if needed), replacing any previous one.
    /// <paramref name="sidecar"/> is copied, not modified.
    /// </summary>
    /// <exception cref="InvalidOperationException">A tensor holds a NaN or an infinity (nothing is written).</exception>
    public static void Save(string dir, IReadOnlyDictionary<string, Tensor> tensors, JsonObject sidecar)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(sidecar);
        if (Finite.FirstNonFinite(tensors) is { } bad)   // the last guard: trainers stop at a divergence before they save
            throw new InvalidOperationException($"{Path.Combine(dir, TensorsFileName)}: not saved, tensor '{bad}' holds a NaN or an infinity");
        Directory.CreateDirectory(dir);
        Recover(dir);
        string tensorsPath = Path.Combine(dir, TensorsFileName), jsonPath = Path.Combine(dir, SidecarFileName);
        string tensorsNew = tensorsPath + NewSuffix, jsonNew = jsonPath + NewSuffix;
        Safetensors.Write(tensorsNew, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        var (length, sha) = Fingerprint(tensorsNew);
        var names = tensors.Keys.OrderBy(k => k, Comparer<string>.Create(Safetensors.CompareCodePoints));
        var json = new JsonObject
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion,
            [CheckpointSidecar.HashKey] = CheckpointSidecar.Placeholder,
        };
        foreach (var (key, value) in sidecar)
            if (key is not ("format" or "format_version" or "tensors" or CheckpointSidecar.HashKey)) json[key] = value?.DeepClone();
        json["tensors"] = new JsonObject
        {
            ["file"] = TensorsFileName,
            ["bytes"] = length,
            ["sha256"] = sha,
            ["names"] = new JsonArray(names.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
        };
        AtomicFile.WriteAllBytes(jsonNew, CheckpointSidecar.Serialize(json));
        // The new pair is complete: from here on a load finds it, whichever of the two renames is done.
        File.Move(tensorsNew, tensorsPath, overwrite: true);
        File.Move(jsonNew, jsonPath, overwrite: true);
    }

    /// <summary>
    /// Finishes or removes what a save that died left in <paramref name="dir"/>: a complete new pair
    /// (<c>model.json.new</c> whose tensors check out) is renamed into place; anything else of it, and
    /// the temporary files of atomic writes (<c>.model.*.tmp</c>), is deleted. Only a folder's one
    /// writer may call this (Save does).
    /// </summary>
    public static void Recover(string dir)
    {
        string tensorsPath = Path.Combine(dir, TensorsFileName), jsonPath = Path.Combine(dir, SidecarFileName);
        string tensorsNew = tensorsPath + NewSuffix, jsonNew = jsonPath + NewSuffix;
        if (File.Exists(jsonNew))
        {
            string tensors = File.Exists(tensorsNew) ? tensorsNew : tensorsPath;
            bool complete;
            try { LoadPair(dir, jsonNew, tensors).Dispose(); complete = true; }
            catch (Exception e) when (e is InvalidDataException or IOException) { complete = false; }
            if (complete)
            {
                if (tensors == tensorsNew) File.Move(tensorsNew, tensorsPath, overwrite: true);
                File.Move(jsonNew, jsonPath, overwrite: true);
            }
        }
        foreach (string leftover in new[] { tensorsNew, jsonNew }.Where(File.Exists)
                     .Concat(Directory.EnumerateFiles(dir, $".{TensorsFileName}*.tmp"))
                     .Concat(Directory.EnumerateFiles(dir, $".{SidecarFileName}*.tmp")))
            File.Delete(leftover);
    }

    /// <summary>
    /// Reads a checkpoint folder written by <see cref="Save"/>, checking that the two files belong
    /// together. <paramref name="inspect"/>, when given, is called on the checked pair (the sidecar and
    /// the tensor file's header) before any tensor data is read: the place to check the sizes a sidecar
    /// implies against the header's shapes, so a bad file costs no large allocation.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A checkpoint file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or the files do not match each other.</exception>
    /// <remarks>
    /// Safe while the folder's writer saves into it: a read during a save is done again once the
    /// files stand still (<see cref="ConsistentLoad"/>), so a load returns one whole checkpoint.
    /// </remarks>
    public static CheckpointData Load(string dir, Action<CheckpointHeader>? inspect = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: checkpoint folder does not exist");
        return ConsistentLoad.Read(dir, () => LoadOnce(dir, inspect));
    }

    private static CheckpointData LoadOnce(string dir, Action<CheckpointHeader>? inspect)
    {
        string jsonPath = Path.Combine(dir, SidecarFileName), tensorsPath = Path.Combine(dir, TensorsFileName);
        // A save that died after its new pair was complete: that pair is the checkpoint (a reader
        // never renames; the next save does).
        string jsonNew = jsonPath + NewSuffix;
        if (File.Exists(jsonNew))
        {
            string tensorsNew = tensorsPath + NewSuffix;
            OpenPair? complete = null;
            try { complete = LoadPair(dir, jsonNew, File.Exists(tensorsNew) ? tensorsNew : tensorsPath); }
            catch (Exception e) when (e is InvalidDataException or IOException) { /* not complete: the old pair is the checkpoint */ }
            if (complete is not null) return complete.ToData(inspect);
        }
        return LoadPair(dir, jsonPath, tensorsPath).ToData(inspect);
    }

    /// <summary>A checked pair, open: its tensor file and its sidecar.</summary>
    private sealed record OpenPair(SafetensorsFile File, JsonObject Sidecar, string SidecarPath) : IDisposable
    {
        public CheckpointData ToData(Action<CheckpointHeader>? inspect)
        {
            using (File)
            {
                inspect?.Invoke(new CheckpointHeader(SidecarPath, File.Path, Sidecar, File.Tensors));
                return new CheckpointData(File.ToTensors(), Sidecar, File.Metadata);
            }
        }

        public void Dispose() => File.Dispose();
    }

    private static OpenPair LoadPair(string dir, string jsonPath, string tensorsPath)
    {
        if (!File.Exists(jsonPath))
            throw new FileNotFoundException($"{jsonPath}: missing, so '{dir}' is not a complete checkpoint (was the save interrupted?)", jsonPath);
        if (!File.Exists(tensorsPath))
            throw new FileNotFoundException($"{tensorsPath}: missing, so '{dir}' is not a complete checkpoint", tensorsPath);
        InputFile.Check(jsonPath); InputFile.Check(tensorsPath);

        var (sidecar, record) = CheckpointSidecar.Read(jsonPath);
        string[] listed = record.Names;
        {
            long expectedBytes = record.Bytes;
            string expectedSha = record.Sha256;
            long actualBytes = new FileInfo(tensorsPath).Length;
            if (actualBytes != expectedBytes)
                throw new InvalidDataException($"{tensorsPath}: {actualBytes} bytes, but {Path.GetFileName(jsonPath)} records {expectedBytes} (file truncated, or the two files come from different saves)");
            if (!string.Equals(Fingerprint(tensorsPath).Sha256, expectedSha, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"{tensorsPath}: contents do not match the SHA-256 recorded in {Path.GetFileName(jsonPath)} (corrupted, or the two files come from different saves)");
        }

        var file = Safetensors.Read(tensorsPath);
        try
        {
            foreach (string name in listed)
                if (!file.Contains(name)) throw new InvalidDataException($"{jsonPath}: lists tensor {DisplayText.Quote(name)}, which {TensorsFileName} does not contain");
            var set = listed.ToHashSet(StringComparer.Ordinal);
            foreach (string name in file.Names)
                if (!set.Contains(name)) throw new InvalidDataException($"{tensorsPath}: holds tensor {DisplayText.Quote(name)}, which {SidecarFileName} does not list");
            return new OpenPair(file, sidecar, jsonPath);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static (long Length, string Sha256) Fingerprint(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        byte[] hash = SHA256.HashData(stream);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }

    // ----- modules -----

    /// <summary>The module's parameters by PyTorch-style name (the tensors themselves), optionally prefixed.</summary>
    public static Dictionary<string, Tensor> ModuleTensors(Module module, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.NamedParameters(prefix).ToDictionary(p => p.Name, p => p.Value);
    }

    /// <summary>
    /// Copies the module's parameters out of loaded tensors (names under <paramref name="prefix"/>).
    /// Every parameter must be present with its shape; other tensors (e.g. <c>optim.*</c>) are ignored.
    /// </summary>
    /// <exception cref="InvalidDataException">A parameter is missing or has the wrong shape.</exception>
    public static void LoadModule(Module module, IReadOnlyDictionary<string, Tensor> tensors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(tensors);
        var own = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, _) in module.NamedParameters())
            if (tensors.TryGetValue(prefix + name, out var t)) own[name] = t;
        module.LoadStateDict(own, strict: true);
    }

    // ----- RNG state -----

    /// <summary>
    /// The value of <paramref name="key"/> in a sidecar object, of type <typeparamref name="T"/>;
    /// a missing key or a value of another type is an <see cref="InvalidDataException"/> naming
    /// <paramref name="context"/> (the file) and the key.
    /// </summary>
    public static T Get<T>(JsonObject o, string key, string context)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o[key] is JsonValue v && v.TryGetValue<T>(out var x)) return x;
        throw new InvalidDataException($"{context}: \"{key}\" is missing or has the wrong type");
    }

    /// <summary>
    /// The RNG state as JSON: <c>{"words": ["…", "…", "…", "…"], "has_spare": bool, "spare": number}</c>.
    /// Words are decimal strings so that every 64-bit value survives any JSON reader exactly;
    /// <c>spare</c> is written in shortest round-trip form, so it too restores bit-exactly.
    /// </summary>
    public static JsonObject RngStateToJson(RngState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!double.IsFinite(state.Spare)) throw new ArgumentException("RNG spare value must be finite", nameof(state));
        return new JsonObject
        {
            ["words"] = new JsonArray(state.Words.Select(w => (JsonNode?)JsonValue.Create(w.ToString(CultureInfo.InvariantCulture))).ToArray()),
            ["has_spare"] = state.HasSpare,
            ["spare"] = state.Spare,
        };
    }

    /// <summary>
    /// Parses JSON written by <see cref="RngStateToJson"/>. Words may be decimal strings or JSON
    /// integers (parsed exactly as unsigned 64-bit, never through a double).
    /// </summary>
    /// <param name="node">The JSON object.</param>
    /// <param name="context">Names the value in error messages, e.g. <c>"model.json: rng"</c>.</param>
    /// <exception cref="InvalidDataException">The JSON is not a valid RNG state.</exception>
    public static RngState RngStateFromJson(JsonNode? node, string context = "rng")
    {
        if (node is not JsonObject obj) throw new InvalidDataException($"{context}: expected an object with \"words\", \"has_spare\" and \"spare\"");
        if (obj["words"] is not JsonArray arr || arr.Count != 4) throw new InvalidDataException($"{context}: \"words\" must be an array of 4 unsigned 64-bit integers");
        var words = new ulong[4];
        for (int i = 0; i < 4; i++)
        {
            bool ok = arr[i] is JsonValue v
                && ((v.TryGetValue<string>(out var s) && ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out words[i]))
                    || (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<ulong>(out words[i])));
            if (!ok) throw new InvalidDataException($"{context}: words[{i}] is {arr[i]?.ToJsonString() ?? "null"}, expected an unsigned 64-bit integer");
        }
        if ((words[0] | words[1] | words[2] | words[3]) == 0) throw new InvalidDataException($"{context}: all four words are zero, which is not a valid generator state");
        if (obj["has_spare"] is not JsonValue hs || !hs.TryGetValue<bool>(out bool hasSpare))
            throw new InvalidDataException($"{context}: \"has_spare\" must be true or false");
        if (obj["spare"] is not JsonValue sp || sp.GetValueKind() != JsonValueKind.Number || !sp.TryGetValue<double>(out double spare) || !double.IsFinite(spare))
            throw new InvalidDataException($"{context}: \"spare\" must be a finite number");
        return new RngState(words, hasSpare, spare);
    }
}
