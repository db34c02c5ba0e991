using System.Text.Json;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Interop.PyTorch;

/// <summary>
/// Reads the state_dict of PyTorch's char-LSTM (<see cref="CharLstmPyTorch"/>) and its JSON
/// description, strictly: the JSON must describe an nn.Embedding → nn.LSTM → nn.Linear with
/// consistent sizes and a vocabulary of num_embeddings symbols, and the file must hold exactly that
/// module's tensors, float32, with their shapes and finite values. Every failure is one
/// <see cref="InvalidDataException"/> line that names the file and the tensor or key.
/// </summary>
public static class CharLstmImport
{
    /// <summary>Reads <paramref name="stateDict"/> (safetensors) as described by <paramref name="description"/> (JSON).</summary>
    public static ImportedCharLstm Read(string stateDict, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDict);
        ArgumentException.ThrowIfNullOrEmpty(description);
        using var file = Open(stateDict);
        var (cfg, vocab, notes) = ReadDescription(description);
        var expected = ExpectedShapes(cfg);
        foreach (var (name, _) in expected)
            if (!file.Contains(name))
                throw new InvalidDataException($"{stateDict}: missing tensor {DisplayText.Quote(name)} (the module {Path.GetFileName(description)} describes has submodules embedding, lstm and head: " +
                    $"embedding.weight, lstm.weight_ih_l0/weight_hh_l0/bias_ih_l0/bias_hh_l0 … for each of its {cfg.Layers} layers, head.weight, head.bias; the file holds {string.Join(", ", file.Names.Order(StringComparer.Ordinal).Take(6).Select(DisplayText.Quote))}{(file.Names.Count() > 6 ? ", …" : "")})");
        foreach (string name in file.Names)
            if (!expected.ContainsKey(name)) throw new InvalidDataException($"{stateDict}: unexpected tensor {DisplayText.Quote(name)} ({Unexpected(name, cfg, description)})");
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in expected)
        {
            var info = file.Info(name);
            if (info.Dtype != SafetensorsDtype.F32)
                throw new InvalidDataException($"{stateDict}: tensor {DisplayText.Quote(name)} is {info.Dtype.HeaderName()}, expected F32 (float32; convert with .float() before saving)");
            if (!info.Shape.SequenceEqual(shape.Select(d => (long)d)))
                throw new InvalidDataException($"{stateDict}: tensor {DisplayText.Quote(name)} has shape {info.ShapeText}, expected [{string.Join(", ", shape)}]{GateHint(name, info, cfg)}");
            var t = file.ToTensor(name);
            if (!TensorPrimitives.IsFiniteAll<float>(t.Data)) throw new InvalidDataException($"{stateDict}: tensor {DisplayText.Quote(name)} holds non-finite values");
            values[name] = t;
        }
        var model = new CharLstm(cfg, 0);
        var own = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["embedding.weight"] = values["embedding.weight"], ["head.weight"] = values["head.weight"], ["head.bias"] = values["head.bias"],
        };
        bool folded = false;
        for (int l = 0; l < cfg.Layers; l++)
        {
            own[$"lstm.weight_ih_l{l}"] = values[$"lstm.weight_ih_l{l}"];
            own[$"lstm.weight_hh_l{l}"] = values[$"lstm.weight_hh_l{l}"];
            var bih = values[$"lstm.bias_ih_l{l}"].Data;
            var bhh = values[$"lstm.bias_hh_l{l}"].Data;
            var sum = new float[bih.Length];
            for (int i = 0; i < sum.Length; i++) { sum[i] = bih[i] + bhh[i]; folded |= bhh[i] != 0; }
            own[$"lstm.bias_ih_l{l}"] = new Tensor(sum, sum.Length);
        }
        model.LoadStateDict(own, strict: true);
        if (folded) notes.Add("bias_hh_l* added into bias_ih_l* (SeqGraph keeps one bias per gate; the LSTM computes the same)");
        return new ImportedCharLstm(model, vocab, file.Names.ToArray(), folded, notes.ToArray());
    }

    // a vocabulary of Unicode scalar values; widths whose 4H × max(E, H) weight matrices stay far below 2^31 floats
    private const int MaxVocabulary = 0x110000, MaxWidth = 16_384;

    private static void OnlyKeys(JsonObject o, string path, string prefix, params string[] allowed)
    {
        foreach (var (key, _) in o)
            if (Array.IndexOf(allowed, key) < 0)
                throw new InvalidDataException($"{path}: unknown key \"{prefix}{key}\" (expected {string.Join(", ", allowed)})");
    }

    private static SafetensorsFile Open(string path)
    {
        if (Directory.Exists(path)) throw new InvalidDataException($"{path} is a folder, not a safetensors file");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        InputFile.Check(path);
        var head = new byte[2];
        using (var f = File.OpenRead(path)) head = head[..f.Read(head)];
        if (head is [(byte)'P', (byte)'K', ..] || head is [0x80, ..])
            throw new InvalidDataException($"{path}: a torch.save (pickle) file, not safetensors; save the state_dict with safetensors.torch.save_file(model.state_dict(), \"model.safetensors\") (the import never unpickles)");
        if (head is [(byte)'{', ..])
            throw new InvalidDataException($"{path}: a JSON file, not a safetensors state_dict; give the state_dict as --state-dict and this file as --config");
        try { return Safetensors.Read(path); }
        catch (InvalidDataException e)
        {
            string why = e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message;
            throw new InvalidDataException($"{path}: not a safetensors file ({why})", e);
        }
    }

    /// <summary>The tensors of the described module with their shapes, in state_dict order.</summary>
    private static List<KeyValuePair<string, int[]>> ExpectedList(CharLstmConfig c)
    {
        var list = new List<KeyValuePair<string, int[]>> { new("embedding.weight", new[] { c.Vocabulary, c.Embed }) };
        for (int l = 0; l < c.Layers; l++)
        {
            int inF = l == 0 ? c.Embed : c.Hidden;
            list.Add(new($"lstm.weight_ih_l{l}", new[] { 4 * c.Hidden, inF }));
            list.Add(new($"lstm.weight_hh_l{l}", new[] { 4 * c.Hidden, c.Hidden }));
            list.Add(new($"lstm.bias_ih_l{l}", new[] { 4 * c.Hidden }));
            list.Add(new($"lstm.bias_hh_l{l}", new[] { 4 * c.Hidden }));
        }
        list.Add(new("head.weight", new[] { c.Vocabulary, c.Hidden }));
        list.Add(new("head.bias", new[] { c.Vocabulary }));
        return list;
    }

    private static Dictionary<string, int[]> ExpectedShapes(CharLstmConfig c)
    {
        var d = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (k, v) in ExpectedList(c)) d[k] = v;
        return d;
    }

    private static string Unexpected(string name, CharLstmConfig c, string description)
    {
        string json = Path.GetFileName(description);
        if (name.EndsWith("_reverse", StringComparison.Ordinal)) return $"a bidirectional LSTM's; the char-LSTM runs forward only and {json} says bidirectional false";
        if (name.StartsWith("lstm.", StringComparison.Ordinal) && name.LastIndexOf("_l", StringComparison.Ordinal) is int at and > 0
            && int.TryParse(name[(at + 2)..], out int layer) && layer >= c.Layers)
            return $"layer {layer} of the LSTM, but {json} says num_layers {c.Layers}";
        if (name.Contains("weight_hr", StringComparison.Ordinal)) return "an LSTM with proj_size > 0, which SeqGraph does not have";
        return "a char-LSTM state_dict holds only embedding.weight, lstm.weight_ih_l*/weight_hh_l*/bias_ih_l*/bias_hh_l*, head.weight and head.bias";
    }

    private static string GateHint(string name, SafeTensorInfo info, CharLstmConfig c)
    {
        if (!name.StartsWith("lstm.", StringComparison.Ordinal) || info.Shape.Count == 0) return "";
        long rows = info.Shape[0];
        if (rows == 3L * c.Hidden) return $"; 3 × hidden rows is a GRU's (nn.GRU), an nn.LSTM has 4 × {c.Hidden}";
        if (rows == c.Hidden) return "; hidden rows is a plain RNN's (nn.RNN), an nn.LSTM has 4 × hidden";
        return "";
    }

    // ----- the JSON description -----

    private static (CharLstmConfig Config, int[] Vocabulary, List<string> Notes) ReadDescription(string path)
    {
        if (Directory.Exists(path)) throw new InvalidDataException($"{path} is a folder, not the JSON description");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: missing; the import needs the JSON that says which modules and sizes the state_dict is for (written next to it by seqgraph export or bench/pytorch/roundtrip.py)", path);
        InputFile.Check(path);
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }); }
        catch (JsonException ex) { throw new InvalidDataException($"{path}: not valid JSON ({ex.Message.Split('\n')[0].TrimEnd('\r')})"); }
        if (root is not JsonObject o) throw new InvalidDataException($"{path}: expected a JSON object");
        string? format = Str(o, "format");
        if (format != PyTorchModules.FormatName)
            throw new InvalidDataException($"{path}: \"format\" is {(format is null ? "missing" : DisplayText.Quote(format))}, expected '{PyTorchModules.FormatName}'");
        int version = Int(o, "format_version", path);
        if (version < 1 || version > PyTorchModules.FormatVersion)
            throw new InvalidDataException($"{path}: format_version {version} is not supported (this build reads 1 to {PyTorchModules.FormatVersion})");
        string? kind = Str(o, "kind");
        if (kind != TextCheckpoint.Kind)
            throw new InvalidDataException($"{path}: \"kind\" is {(kind is null ? "missing" : DisplayText.Quote(kind))}; only '{TextCheckpoint.Kind}' models (embedding → LSTM → linear head) can be imported");
        OnlyKeys(o, path, "", "format", "format_version", "kind", "modules", "vocabulary", "vocabulary_text", "forward", "step");
        var modules = o["modules"] as JsonObject ?? throw new InvalidDataException($"{path}: \"modules\" is missing or not an object");
        OnlyKeys(modules, path, "modules.", "embedding", "lstm", "head");
        var emb = Module(modules, "embedding", "torch.nn.Embedding", path);
        var lstm = Module(modules, "lstm", "torch.nn.LSTM", path);
        var head = Module(modules, "head", "torch.nn.Linear", path);
        OnlyKeys(emb, path, "modules.embedding.", "class", "num_embeddings", "embedding_dim");
        OnlyKeys(lstm, path, "modules.lstm.", "class", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout", "bidirectional", "proj_size");
        OnlyKeys(head, path, "modules.head.", "class", "in_features", "out_features", "bias");
        int v = Int(emb, "num_embeddings", path, "modules.embedding"), e = Int(emb, "embedding_dim", path, "modules.embedding");
        int inSize = Int(lstm, "input_size", path, "modules.lstm"), h = Int(lstm, "hidden_size", path, "modules.lstm");
        int layers = lstm.ContainsKey("num_layers") ? Int(lstm, "num_layers", path, "modules.lstm") : 1;
        double dropout = lstm.ContainsKey("dropout") ? Num(lstm, "dropout", path, "modules.lstm") : 0;
        int hin = Int(head, "in_features", path, "modules.head"), hout = Int(head, "out_features", path, "modules.head");
        if (v < 1 || e < 1 || h < 1 || layers < 1 || layers > 64) throw new InvalidDataException($"{path}: sizes must be positive (and num_layers at most 64)");
        if (v > MaxVocabulary || e > MaxWidth || h > MaxWidth)
            throw new InvalidDataException($"{path}: sizes too large for a char-LSTM (num_embeddings at most {MaxVocabulary:N0}, embedding_dim and hidden_size at most {MaxWidth:N0})");
        if (!(dropout >= 0 && dropout < 1)) throw new InvalidDataException($"{path}: modules.lstm.dropout {dropout} is not in [0, 1)");
        if (Flag(lstm, "bidirectional", false, path, "modules.lstm")) throw new InvalidDataException($"{path}: modules.lstm.bidirectional is true; the char-LSTM runs forward only");
        if (!Flag(lstm, "bias", true, path, "modules.lstm")) throw new InvalidDataException($"{path}: modules.lstm.bias is false; SeqGraph's LSTM has biases (save the module with bias=True)");
        if (!Flag(head, "bias", true, path, "modules.head")) throw new InvalidDataException($"{path}: modules.head.bias is false; SeqGraph's head has a bias");
        if (lstm.ContainsKey("proj_size") && Int(lstm, "proj_size", path, "modules.lstm") != 0) throw new InvalidDataException($"{path}: modules.lstm.proj_size is not 0; SeqGraph's LSTM has no projection");
        if (inSize != e) throw new InvalidDataException($"{path}: modules.lstm.input_size {inSize} differs from modules.embedding.embedding_dim {e}");
        if (hin != h) throw new InvalidDataException($"{path}: modules.head.in_features {hin} differs from modules.lstm.hidden_size {h}");
        if (hout != v) throw new InvalidDataException($"{path}: modules.head.out_features {hout} differs from modules.embedding.num_embeddings {v} (the head predicts the next symbol)");
        var notes = new List<string>();
        if (Flag(lstm, "batch_first", false, path, "modules.lstm")) notes.Add("batch_first true: the weights are the same; SeqGraph's model reads its input time-first");
        if (dropout > 0 && layers == 1) { notes.Add("dropout dropped: with one layer nn.LSTM applies none either"); dropout = 0; }
        var vocab = Vocabulary(o, path);
        if (vocab.Length != v)
            throw new InvalidDataException($"{path}: the vocabulary lists {vocab.Length} symbols, but modules.embedding.num_embeddings is {v} (one embedding row per symbol)");
        return (new CharLstmConfig(v, e, h, layers, (float)dropout), vocab, notes);
    }

    private static int[] Vocabulary(JsonObject o, string path)
    {
        int[]? fromList = null, fromText = null;
        if (o["vocabulary"] is JsonArray a)
            fromList = a.Select((n, i) => n is JsonValue jv && jv.TryGetValue<int>(out int x) ? x
                : throw new InvalidDataException($"{path}: vocabulary[{i}] is not a whole number (a Unicode scalar value)")).ToArray();
        else if (o.ContainsKey("vocabulary")) throw new InvalidDataException($"{path}: \"vocabulary\" is not an array of Unicode scalar values");
        if (o["vocabulary_text"] is JsonValue t && t.TryGetValue<string>(out var text))
        {
            var list = new List<int>();
            for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
            {
                if (char.IsSurrogate(text[i]) && !char.IsSurrogatePair(text, i)) throw new InvalidDataException($"{path}: vocabulary_text holds a lone surrogate");
                list.Add(char.ConvertToUtf32(text, i));
            }
            fromText = list.ToArray();
        }
        else if (o.ContainsKey("vocabulary_text")) throw new InvalidDataException($"{path}: \"vocabulary_text\" is not a string");
        var vocab = fromList ?? fromText ?? throw new InvalidDataException($"{path}: no \"vocabulary\" (the scalar value of each symbol) nor \"vocabulary_text\"");
        if (fromList is not null && fromText is not null && !fromList.SequenceEqual(fromText))
            throw new InvalidDataException($"{path}: \"vocabulary\" and \"vocabulary_text\" list different symbols");
        for (int i = 0; i < vocab.Length; i++)
            if (vocab[i] < 0 || vocab[i] >= Utf8Scanner.ScalarLimit || (vocab[i] >= 0xD800 && vocab[i] < 0xE000) || (i > 0 && vocab[i] <= vocab[i - 1]))
                throw new InvalidDataException($"{path}: vocabulary entry {i} ({vocab[i]}) is not a Unicode scalar value in increasing order (symbol i must be the i-th smallest character)");
        return vocab;
    }

    private static JsonObject Module(JsonObject modules, string name, string cls, string path)
    {
        var m = modules[name] as JsonObject ?? throw new InvalidDataException($"{path}: modules.{name} is missing (the char-LSTM is embedding → lstm → head)");
        string? found = Str(m, "class");
        if (found != cls)
            throw new InvalidDataException($"{path}: modules.{name} is {(found is null ? "missing its \"class\"" : found)}, expected {cls}" +
                (name == "lstm" && found is not null ? "; only an LSTM char model can be imported (SeqGraph's GRU differs from nn.GRU)" : ""));
        return m;
    }

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int Int(JsonObject o, string key, string path, string? where = null) =>
        o[key] is JsonValue v && v.TryGetValue<int>(out int x) ? x
            : throw new InvalidDataException($"{path}: {(where is null ? "" : where + ".")}{key} is missing or not a whole number");

    private static double Num(JsonObject o, string key, string path, string where) =>
        o[key] is JsonValue v && v.TryGetValue<double>(out double x) ? x : throw new InvalidDataException($"{path}: {where}.{key} is not a number");

    private static bool Flag(JsonObject o, string key, bool absent, string path, string where) =>
        !o.ContainsKey(key) ? absent
            : o[key] is JsonValue v && v.TryGetValue<bool>(out bool b) ? b : throw new InvalidDataException($"{path}: {where}.{key} is not true or false");
}
