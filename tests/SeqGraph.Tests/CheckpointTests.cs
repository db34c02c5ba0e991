using System.Text.Json.Nodes;
using SeqGraph.Nn;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Training;
using SeqGraph.IO;

namespace SeqGraph.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Sequential MakeModel(ulong seed)
    {
        var rng = new Rng(seed);
        return new Sequential(new Embedding(5, 3, rng), new Linear(3, 4, rng));
    }

    /// <summary>Saves a model, an optimizer-like extra tensor and an RNG mid-stream (with a pending normal spare).</summary>
    private (Sequential Model, Rng Rng, string Dir) SaveSample(string name = "ckpt")
    {
        var model = MakeModel(1);
        var rng = new Rng(99);
        rng.NextUInt64();
        rng.NextNormal(); // leaves the Box–Muller spare pending: the restored stream must keep it
        var tensors = Checkpoint.ModuleTensors(model);
        tensors["optim.exp_avg.1.weight"] = Tensor.Full(0.25f, 4, 3);
        var sidecar = new JsonObject
        {
            ["config"] = new JsonObject { ["hidden"] = 4, ["vocab"] = new JsonArray("a", "b", "c", "d", "e") },
            ["step"] = 123,
            ["rng"] = Checkpoint.RngStateToJson(rng.GetState()),
        };
        string dir = Path.Combine(_dir.Path, name);
        Checkpoint.Save(dir, tensors, sidecar);
        return (model, rng, dir);
    }

    [Fact]
    public void SaveLoadRoundTripRestoresModelSidecarAndRngStream()
    {
        var (model, rng, dir) = SaveSample();
        Assert.True(Checkpoint.Exists(dir));
        var expectedDraws = new[] { rng.NextNormal(), rng.NextNormal(), rng.NextDouble(), (double)rng.NextUInt64() };

        var loaded = Checkpoint.Load(dir);
        var fresh = MakeModel(2);
        Assert.NotEqual(model.StateDict()["1.weight"].Data, fresh.StateDict()["1.weight"].Data);
        Checkpoint.LoadModule(fresh, loaded.Tensors);
        foreach (var (name, p) in model.StateDict())
            Assert.Equal(p.Data.Select(BitConverter.SingleToInt32Bits), fresh.StateDict()[name].Data.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(new[] { "0.weight", "1.bias", "1.weight", "optim.exp_avg.1.weight" }, loaded.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Repeat(0.25f, 12), loaded.Tensors["optim.exp_avg.1.weight"].Data);

        Assert.Equal(Checkpoint.FormatName, (string?)loaded.Sidecar["format"]);
        Assert.Equal(Checkpoint.FormatVersion, (int?)loaded.Sidecar["format_version"]);
        Assert.Equal(123, (int?)loaded.Sidecar["step"]);
        Assert.Equal(4, (int?)loaded.Sidecar["config"]!["hidden"]);
        Assert.Equal("pt", loaded.Metadata["format"]);

        var restored = new Rng(12345);
        restored.SetState(Checkpoint.RngStateFromJson(loaded.Sidecar["rng"], "model.json: rng"));
        var draws = new[] { restored.NextNormal(), restored.NextNormal(), restored.NextDouble(), (double)restored.NextUInt64() };
        Assert.Equal(expectedDraws, draws);
    }

    [Fact]
    public void RngStateJsonIsExactForFull64BitWords()
    {
        var state = new RngState(new[] { ulong.MaxValue, 9007199254740993UL, 1UL, 0x8000000000000001UL }, true, -0.1234567890123456789);
        var json = Checkpoint.RngStateToJson(state);
        var back = Checkpoint.RngStateFromJson(JsonNode.Parse(json.ToJsonString()));
        Assert.Equal(state.Words, back.Words);
        Assert.True(back.HasSpare);
        Assert.Equal(BitConverter.DoubleToInt64Bits(state.Spare), BitConverter.DoubleToInt64Bits(back.Spare));
        Assert.Equal("18446744073709551615", (string?)json["words"]![0]);

        // Words written as JSON numbers are parsed exactly as well, never through a double.
        var numeric = JsonNode.Parse("{\"words\":[18446744073709551615,9007199254740993,2,3],\"has_spare\":false,\"spare\":0}");
        Assert.Equal(new[] { ulong.MaxValue, 9007199254740993UL, 2UL, 3UL }, Checkpoint.RngStateFromJson(numeric).Words);
    }

    [Theory]
    [InlineData("[1,2,3,4]", "expected an object")]
    [InlineData("{\"words\":[\"1\",\"2\",\"3\"],\"has_spare\":false,\"spare\":0}", "\"words\" must be an array of 4")]
    [InlineData("{\"words\":[\"1\",\"-2\",\"3\",\"4\"],\"has_spare\":false,\"spare\":0}", "words[1] is \"-2\"")]
    [InlineData("{\"words\":[\"1\",\"2\",\"3\",\"18446744073709551616\"],\"has_spare\":false,\"spare\":0}", "words[3]")]
    [InlineData("{\"words\":[1.5,2,3,4],\"has_spare\":false,\"spare\":0}", "words[0] is 1.5")]
    [InlineData("{\"words\":[\"0\",\"0\",\"0\",\"0\"],\"has_spare\":false,\"spare\":0}", "all four words are zero")]
    [InlineData("{\"words\":[\"1\",\"2\",\"3\",\"4\"],\"has_spare\":1,\"spare\":0}", "\"has_spare\" must be true or false")]
    [InlineData("{\"words\":[\"1\",\"2\",\"3\",\"4\"],\"has_spare\":true,\"spare\":\"x\"}", "\"spare\" must be a finite number")]
    public void RngStateJsonRejectsMalformedInput(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.RngStateFromJson(JsonNode.Parse(json), "model.json: rng"));
        Assert.StartsWith("model.json: rng: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void SaveDoesNotModifyTheCallersSidecarAndALoadedSidecarSavesAgain()
    {
        var sidecar = new JsonObject { ["step"] = 1, ["format"] = "mine", ["tensors"] = "mine" };
        string dir = Path.Combine(_dir.Path, "again");
        Checkpoint.Save(dir, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(2) }, sidecar);
        Assert.Equal("{\"step\":1,\"format\":\"mine\",\"tensors\":\"mine\"}", sidecar.ToJsonString());

        var loaded = Checkpoint.Load(dir);
        loaded.Sidecar["step"] = 2;
        Checkpoint.Save(dir, new Dictionary<string, Tensor> { ["w"] = Tensor.Full(3f, 2), ["v"] = Tensor.Zeros(1) }, loaded.Sidecar);
        var again = Checkpoint.Load(dir);
        Assert.Equal(2, (int?)again.Sidecar["step"]);
        Assert.Equal(new[] { 3f, 3f }, again.Tensors["w"].Data);
        Assert.Equal(new[] { "v", "w" }, ((JsonArray)again.Sidecar["tensors"]!["names"]!).Select(n => (string?)n));
        Assert.Equal(new[] { "model.json", "model.safetensors" }, Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MissingFolderOrFilesGiveClearErrors()
    {
        string nowhere = Path.Combine(_dir.Path, "nowhere");
        Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Load(nowhere)).Message);

        var (_, _, dir) = SaveSample("nojson");
        File.Delete(Path.Combine(dir, "model.json"));
        Assert.False(Checkpoint.Exists(dir));
        var e = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(dir));
        Assert.Contains("model.json: missing", e.Message);
        Assert.Contains("not a complete checkpoint", e.Message);

        var (_, _, dir2) = SaveSample("notensors");
        File.Delete(Path.Combine(dir2, "model.safetensors"));
        Assert.Contains("model.safetensors: missing", Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(dir2)).Message);
    }

    [Fact]
    public void TruncatedTensorFileIsRejected()
    {
        var (_, _, dir) = SaveSample("truncated");
        string tensors = Path.Combine(dir, "model.safetensors");
        long full = new FileInfo(tensors).Length;
        Truncate(tensors, full - 10);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir));
        Assert.Contains($"{full - 10} bytes, but model.json records {full} (file truncated", e.Message);

        // Without the size record in the sidecar, the safetensors reader itself catches the cut.
        string jsonPath = Path.Combine(dir, "model.json");
        var json = JsonNode.Parse(File.ReadAllText(jsonPath))!.AsObject();
        json.Remove("tensors");
        SidecarEdits.WriteSealed(jsonPath, json.ToJsonString());
        // Without the size record the check would be off: the record is required.
        var e2 = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir));
        Assert.StartsWith(jsonPath + ": ", e2.Message);
        Assert.Contains("the \"tensors\" record", e2.Message);
    }

    [Fact]
    public void TensorFileFromAnotherSaveIsRejected()
    {
        // As if a save was interrupted after the new tensors were renamed into place but before the JSON.
        var (_, _, dir) = SaveSample("interrupted");
        var tensors = Checkpoint.ModuleTensors(MakeModel(7));
        tensors["optim.exp_avg.1.weight"] = Tensor.Full(0.5f, 4, 3);
        Safetensors.Write(Path.Combine(dir, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir));
        Assert.Contains("do not match the SHA-256 recorded in model.json", e.Message);
    }

    [Fact]
    public void SidecarNamesMustMatchTheTensorFile()
    {
        var (_, _, dir) = SaveSample("names");
        string jsonPath = Path.Combine(dir, "model.json");
        var json = JsonNode.Parse(File.ReadAllText(jsonPath))!.AsObject();
        var names = json["tensors"]!["names"]!.AsArray();
        names.Add("lstm.weight_hh_l0");
        SidecarEdits.WriteSealed(jsonPath, json.ToJsonString());
        Assert.Contains("lists tensor 'lstm.weight_hh_l0', which model.safetensors does not contain",
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir)).Message);

        names.RemoveAt(names.Count - 1);
        names.RemoveAt(0);
        SidecarEdits.WriteSealed(jsonPath, json.ToJsonString());
        Assert.Contains("holds tensor '0.weight', which model.json does not list",
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir)).Message);
    }

    [Theory]
    [InlineData("{\"format\": \"seqgraph-checkpoint\", \"format_version\": 1,", "not valid JSON")]
    [InlineData("[]", "expected a JSON object, found array")]
    [InlineData("{\"format_version\": 1}", "\"format\" is missing, expected 'seqgraph-checkpoint'")]
    [InlineData("{\"format\": \"seqgraph-checkpoint\"}", "\"format_version\" is missing or not a whole number")]
    [InlineData("{\"format\": \"seqgraph-checkpoint\", \"format_version\": 99}", "format_version 99 is not supported")]
    [InlineData("{\"format\": \"seqgraph-checkpoint\", \"format_version\": 1, \"tensors\": {\"bytes\": \"x\"}}", "\"tensors.bytes\" is missing or not a whole number")]
    public void MalformedSidecarIsRejected(string text, string expected)
    {
        var (_, _, dir) = SaveSample("badjson");
        string jsonPath = Path.Combine(dir, "model.json");
        File.WriteAllText(jsonPath, text);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir));
        Assert.StartsWith(jsonPath + ": ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void LoadModuleReportsMissingAndMisshapenParameters()
    {
        var model = MakeModel(1);
        var tensors = Checkpoint.ModuleTensors(model, "net.");
        Assert.Contains("net.1.bias", tensors.Keys);
        Checkpoint.LoadModule(MakeModel(3), tensors, "net.");

        tensors.Remove("net.1.bias");
        Assert.Contains("missing parameter '1.bias'", Assert.Throws<InvalidDataException>(() => Checkpoint.LoadModule(MakeModel(3), tensors, "net.")).Message);
        tensors["net.1.bias"] = Tensor.Zeros(5);
        Assert.Contains("parameter '1.bias' has shape [5]", Assert.Throws<InvalidDataException>(() => Checkpoint.LoadModule(MakeModel(3), tensors, "net.")).Message);
    }

    private static void Truncate(string path, long length)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Write);
        fs.SetLength(length);
    }
}
