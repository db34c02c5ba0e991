using System.Text;
using System.Text.Json.Nodes;
using SeqGraph.Experiments.Export;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>
/// Every byte a checkpoint load depends on is covered (model.json by its own SHA-256, model.safetensors
/// by the one model.json records), the sidecar is read strictly, and the sizes it gives are checked
/// against the tensor file's header before a model is built.
/// </summary>
public sealed class CheckpointIntegrityTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly int[] Vocabulary = " abcdefgh".Select(c => (int)c).ToArray();

    /// <summary>A small real text checkpoint (a char-LSTM at step 0, as an import writes it).</summary>
    internal static string SaveText(string dir, int hidden = 6)
    {
        var cfg = new CharLstmConfig(Vocabulary.Length, 4, hidden, 1);
        var train = ModelImport.DefaultTrain with { Embed = cfg.Embed, Hidden = cfg.Hidden, Layers = cfg.Layers, Dropout = 0 };
        TextCheckpoint.SaveFresh(new CharLstm(cfg, seed: 3), Vocabulary, train, dir);
        return dir;
    }

    private static void AssertOneLineNaming(Exception e, string file)
    {
        Assert.True(e is InvalidDataException or FileNotFoundException, $"{e.GetType().Name}: {e.Message}");
        Assert.StartsWith(file + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
    }

    [Fact]
    public void EverySingleByteChangeTruncationOrInsertionInEitherFileIsRejectedNamingTheFile()
    {
        string original = SaveText(_dir.File("original"));
        string[] names = [Checkpoint.SidecarFileName, Checkpoint.TensorsFileName];
        var bytes = names.Select(n => File.ReadAllBytes(Path.Combine(original, n))).ToArray();
        TextCheckpoint.LoadModel(original); // the unchanged pair loads
        var rng = new Rng(20261202);
        string dir = _dir.File("mutant");
        var kinds = new int[3];
        for (int trial = 0; trial < 400; trial++)
        {
            Directory.CreateDirectory(dir);
            int which = rng.NextInt(2), kind = rng.NextInt(3);
            byte[] b = bytes[which], mutant;
            int at = rng.NextInt(b.Length);
            mutant = kind switch
            {
                0 => b.ToArray(), // one byte changed to another value
                1 => b[..at], // truncated
                _ => [.. b[..at], (byte)rng.NextInt(256), .. b[at..]], // one byte inserted
            };
            if (kind == 0) mutant[at] ^= (byte)(1 + rng.NextInt(255));
            kinds[kind]++;
            for (int i = 0; i < 2; i++) File.WriteAllBytes(Path.Combine(dir, names[i]), i == which ? mutant : bytes[i]);
            string file = Path.Combine(dir, names[which]);
            var e = Record.Exception(() => TextCheckpoint.LoadModel(dir));
            Assert.True(e is not null, $"trial {trial}: {names[which]} {(kind == 0 ? "changed" : kind == 1 ? "truncated" : "inserted")} at byte {at} was accepted");
            AssertOneLineNaming(e, file);
        }
        Assert.All(kinds, k => Assert.True(k > 100));
    }

    [Fact]
    public void TheOwnHashCoversTheSidecarAndAVersion1FileCarryingItIsRefused()
    {
        string dir = SaveText(_dir.File("ck"));
        string json = Path.Combine(dir, Checkpoint.SidecarFileName);
        string text = File.ReadAllText(json);
        Assert.Matches("\"format_version\": 2,\\s+\"sidecar_sha256\": \"[0-9a-f]{64}\"", text);

        // a vocabulary edit (it would change every sample) is refused
        File.WriteAllText(json, text.Replace("\"vocabulary_text\": \" abcdefgh\"", "\"vocabulary_text\": \" abcdefgX\"").Replace("104\n", "88\n"));
        var e = Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(dir));
        Assert.Equal($"{json}: contents do not match the SHA-256 recorded in its \"sidecar_sha256\" (corrupted, or edited since it was saved)", e.Message);

        // the hash removed, or the version lowered to 1 around it: refused
        var node = SidecarEdits.Read(json);
        node.Remove(CheckpointSidecar.HashKey);
        File.WriteAllText(json, node.ToJsonString());
        Assert.Contains("\"sidecar_sha256\" (the SHA-256 of this file's own bytes) is missing", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir)).Message);
        File.WriteAllText(json, text.Replace("\"format_version\": 2", "\"format_version\": 1"));
        Assert.Contains("format_version 1 but it holds \"sidecar_sha256\"", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir)).Message);

        // the tensors record is required in both versions
        node = SidecarEdits.Read(json);
        node.Remove("tensors");
        SidecarEdits.WriteVersion1(json, node.DeepClone().AsObject());
        Assert.StartsWith($"{json}: the \"tensors\" record", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir)).Message);
    }

    [Fact]
    public void Version1CheckpointsAlreadyOnDiskStillLoad()
    {
        // the committed fixture was written by version 1
        string fixture = PyTorchFixtures.SeqGraphCheckpoint;
        Assert.Equal(1, (int)SidecarEdits.Read(Path.Combine(fixture, Checkpoint.SidecarFileName))["format_version"]!);
        Assert.Equal(23, TextCheckpoint.LoadModel(fixture).Vocabulary.Length);

        // and a version-2 save rewritten as version 1 loads the same model
        string dir = SaveText(_dir.File("v1"));
        string json = Path.Combine(dir, Checkpoint.SidecarFileName);
        var expected = TextCheckpoint.LoadModel(dir).Model.StateDict();
        SidecarEdits.WriteVersion1(json, SidecarEdits.Read(json));
        var loaded = TextCheckpoint.LoadModel(dir).Model.StateDict();
        foreach (var (name, t) in expected) Assert.Equal(t.Data, loaded[name].Data);
    }

    [Theory]
    [InlineData("duplicate", "duplicate key 'kind' at byte")]
    [InlineData("duplicate-nested", "duplicate key 'hidden' at byte")]
    [InlineData("utf8", "not valid UTF-8 at byte")]
    [InlineData("overlong", "not valid UTF-8 at byte")]
    [InlineData("bom", "starts with a byte-order mark")]
    [InlineData("root", "expected a JSON object, found array")]
    [InlineData("format-number", "\"format\" is missing, expected 'seqgraph-checkpoint'")]
    [InlineData("version-string", "\"format_version\" is missing or not a whole number")]
    [InlineData("sha-number", "\"tensors.sha256\" is missing or not a string of 64 hex digits")]
    [InlineData("names-number", "tensors.names[0] is not a string")]
    [InlineData("hidden-string", "\"hidden\" is missing or has the wrong type")]
    [InlineData("vocabulary-fraction", "vocabulary[2] is not a whole number")]
    public void TheSidecarIsReadStrictlyWithOneLineNamingIt(string edit, string expected)
    {
        string dir = SaveText(_dir.File(edit));
        string json = Path.Combine(dir, Checkpoint.SidecarFileName);
        string text = File.ReadAllText(json);
        byte[] utf8(string s) => Encoding.UTF8.GetBytes(s);
        byte[] content = edit switch
        {
            "duplicate" => utf8(text.Replace("\"kind\": \"char-lstm\",", "\"kind\": \"char-lstm\", \"kind\": \"char-lstm\",")),
            "duplicate-nested" => utf8(text.Replace("\"hidden\": 6,", "\"hidden\": 6, \"hidden\": 6,")),
            "utf8" => [.. utf8(text[..text.IndexOf("abcdefgh\"")]), 0xFF, .. utf8(text[(text.IndexOf("abcdefgh\"") + 1)..])],
            "overlong" => [.. utf8(text[..text.IndexOf("abcdefgh\"")]), 0xC1, 0xA1, .. utf8(text[(text.IndexOf("abcdefgh\"") + 1)..])],
            "bom" => [0xEF, 0xBB, 0xBF, .. utf8(text)],
            "root" => utf8("[1, 2]"),
            _ => utf8(SealedEdit(json, edit)),
        };
        File.WriteAllBytes(json, content);
        if (edit is not ("duplicate" or "duplicate-nested" or "utf8" or "overlong" or "bom" or "root"))
            CheckpointSidecar.Reseal(json); // a well-formed file whose values are wrong: its own hash must not be what refuses it
        var e = Record.Exception(() => TextCheckpoint.LoadModel(dir));
        AssertOneLineNaming(e!, json);
        Assert.Contains(expected, e!.Message);
        Assert.DoesNotContain("An item with the same key", e.Message);
    }

    /// <summary>model.json with one value replaced by one of another type.</summary>
    private static string SealedEdit(string json, string edit)
    {
        var node = SidecarEdits.Read(json);
        switch (edit)
        {
            case "format-number": node["format"] = 5; break;
            case "version-string": node["format_version"] = "2"; break;
            case "sha-number": node["tensors"]!["sha256"] = 5; break;
            case "names-number": node["tensors"]!["names"]![0] = 5; break;
            case "hidden-string": node["model"]!["hidden"] = "6"; break;
            case "vocabulary-fraction": node["vocabulary"]![2] = 97.5; break;
        }
        return node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    [Fact]
    public void AHugeModelInTheSidecarIsRefusedBeforeItIsAllocated()
    {
        string dir = SaveText(_dir.File("huge"));
        string json = Path.Combine(dir, Checkpoint.SidecarFileName), tensors = Path.Combine(dir, Checkpoint.TensorsFileName);
        string text = File.ReadAllText(json);
        TextCheckpoint.LoadModel(dir); // warm up: the measurement below is the refusal's own

        // sizes that do not fit the weights (a char-LSTM of hidden 3,000 would be about 290 MB)
        SidecarEdits.WriteSealed(json, text.Replace("\"hidden\": 6", "\"hidden\": 3000"));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(dir));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith($"{tensors}: holds ", e.Message);
        Assert.Contains("hidden 3,000", e.Message);
        Assert.True(allocated < 4_000_000, $"the refusal allocated {allocated:N0} bytes");

        // sizes beyond what a checkpoint may have, consistent or not
        SidecarEdits.WriteSealed(json, text.Replace("\"hidden\": 6", "\"hidden\": 12000000"));
        Assert.Equal($"{json}: \"model.hidden\" is 12,000,000, more than the 1,048,576 a checkpoint may have", Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(dir)).Message);
        SidecarEdits.WriteSealed(json, text.Replace("\"hidden\": 6", "\"hidden\": 1000000").Replace("\"layers\": 1", "\"layers\": 60"));
        Assert.Contains("parameters, more than the 2,147,483,648 a checkpoint may have", Assert.Throws<InvalidDataException>(() => TextCheckpoint.LoadModel(dir)).Message);
    }

    [Fact]
    public void ClosedFormsUsedBeforeBuildingMatchTheModels()
    {
        foreach (var (v, e, h, l) in new[] { (9, 4, 6, 1), (23, 8, 16, 2), (5, 3, 7, 3) })
            Assert.Equal(new CharLstm(new CharLstmConfig(v, e, h, l), 0).ParameterCount, SequenceClassifier.ClosedFormParameters(CellType.Lstm, v, v, h, e, l));
        foreach (var options in new[]
        {
            new NodeTrainingOptions { Model = GraphModel.Gcn, Hidden = 5 },
            new NodeTrainingOptions { Model = GraphModel.Gat, Hidden = 4, Heads = 3 },
            new NodeTrainingOptions { Model = GraphModel.Gat, Hidden = 2, Heads = 2, OutputHeads = 3 },
        })
            Assert.Equal(options.CreateModel(11, 4, new Rng(0)).ParameterCount, NodeCheckpoint.ClosedFormParameters(options, 11, 4));
    }

    [Fact]
    public void TensorNamesWithControlCharactersAreShownEscapedOnOneLine()
    {
        string dir = _dir.File("names");
        Checkpoint.Save(dir, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(2) }, new JsonObject());
        string json = Path.Combine(dir, Checkpoint.SidecarFileName);
        var node = SidecarEdits.Read(json);
        node["tensors"]!["names"]!.AsArray().Add("evil\nname\u0007\\");
        SidecarEdits.WriteSealed(json, node.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir));
        Assert.Equal($"{json}: lists tensor 'evil\\nname\\u0007\\\\', which model.safetensors does not contain", e.Message);

        string st = _dir.File("bad.safetensors");
        byte[] header = Encoding.UTF8.GetBytes("{\"a\\nb\": {\"dtype\": \"X\\r9\", \"shape\": [1], \"data_offsets\": [0, 4]}}");
        File.WriteAllBytes(st, [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0, 0, 0, 0]);
        Assert.Equal($"{st}: tensor 'a\\nb' has unknown dtype 'X\\r9'", Assert.Throws<InvalidDataException>(() => Safetensors.Read(st)).Message);
    }
}
