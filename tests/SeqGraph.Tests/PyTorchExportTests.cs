using System.Text.Json.Nodes;
using SeqGraph.Experiments.Export;
using SeqGraph.Experiments.Rnn;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Tensors;

namespace SeqGraph.Tests;

/// <summary>
/// <c>seqgraph export --format pytorch</c>: exactly the tensors of the equivalent PyTorch module
/// (names, shapes, zero bias_hh, our values), a description that says how to build it, and one
/// error line for what cannot be exported.
/// </summary>
public class PyTorchExportTests
{
    [Fact]
    public void CharLstmExportThroughTheCommandHoldsExactlyNnLstmsTensors()
    {
        using var tmp = new TempDir();
        string out_ = tmp.File("m.safetensors");
        var (code, output, err) = CliTests.Run("export", "--format", "pytorch", "--checkpoint", PyTorchFixtures.SeqGraphCheckpoint, "--out", out_);
        Assert.True(code == 0, err);
        Assert.Contains("written as PyTorch state_dict", output);
        var model = Training.TextCheckpoint.LoadModel(PyTorchFixtures.SeqGraphCheckpoint).Model;
        int v = 23, e = 8, h = 16;
        var expected = new Dictionary<string, int[]>
        {
            ["embedding.weight"] = new[] { v, e }, ["head.weight"] = new[] { v, h }, ["head.bias"] = new[] { v },
            ["lstm.weight_ih_l0"] = new[] { 4 * h, e }, ["lstm.weight_hh_l0"] = new[] { 4 * h, h }, ["lstm.bias_ih_l0"] = new[] { 4 * h }, ["lstm.bias_hh_l0"] = new[] { 4 * h },
            ["lstm.weight_ih_l1"] = new[] { 4 * h, h }, ["lstm.weight_hh_l1"] = new[] { 4 * h, h }, ["lstm.bias_ih_l1"] = new[] { 4 * h }, ["lstm.bias_hh_l1"] = new[] { 4 * h },
        };
        using (var f = Safetensors.Read(out_))
        {
            Assert.Equal("pt", f.Metadata["format"]);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), f.Names.Order(StringComparer.Ordinal)); // no optim.* or anything else
            foreach (var (name, shape) in expected)
            {
                Assert.Equal(SafetensorsDtype.F32, f.Info(name).Dtype);
                Assert.Equal(shape.Select(d => (long)d), f.Info(name).Shape);
            }
        }
        var tensors = PyTorchFixtures.Read(out_);
        var ours = model.StateDict();
        foreach (var (name, t) in tensors)
            if (name.Contains("bias_hh")) Assert.All(t.Data, x => Assert.Equal(0f, x));
            else Assert.Equal(ours[name].Data, t.Data);
        var json = JsonNode.Parse(File.ReadAllText(tmp.File("m.json")))!;
        Assert.Equal("seqgraph-pytorch", (string?)json["format"]);
        Assert.Equal("torch.nn.LSTM", (string?)json["modules"]!["lstm"]!["class"]);
        Assert.Equal(2, (int)json["modules"]!["lstm"]!["num_layers"]!);
        Assert.Equal(h, (int)json["modules"]!["lstm"]!["hidden_size"]!);
        Assert.Equal(e, (int)json["modules"]!["lstm"]!["input_size"]!);
        Assert.False((bool)json["modules"]!["lstm"]!["batch_first"]!);
        Assert.Equal(v, (int)json["modules"]!["embedding"]!["num_embeddings"]!);
        Assert.Equal(v, (int)json["modules"]!["head"]!["out_features"]!);
        Assert.Equal(" ,.abcdefghijklmnopqrst", (string?)json["vocabulary_text"]);
    }

    [Fact]
    public void DefaultOutputIsPytorchFilesInTheCheckpointFolderAndAnExistingOneNeedsForce()
    {
        using var tmp = new TempDir();
        string ckpt = tmp.File("ckpt");
        Directory.CreateDirectory(ckpt);
        foreach (string f in Directory.GetFiles(PyTorchFixtures.SeqGraphCheckpoint)) File.Copy(f, Path.Combine(ckpt, Path.GetFileName(f)));
        var (code, _, err) = CliTests.Run("export", "--format", "pytorch", "--checkpoint", ckpt);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(ckpt, "pytorch.safetensors")) && File.Exists(Path.Combine(ckpt, "pytorch.json")));
        (code, _, err) = CliTests.Run("export", "--format", "pytorch", "--checkpoint", ckpt);
        CliTests.AssertOneErrorLine(code, err, "pytorch.safetensors exists");
        File.Delete(Path.Combine(ckpt, "pytorch.safetensors"));
        (code, _, err) = CliTests.Run("export", "--format", "pytorch", "--checkpoint", ckpt);
        CliTests.AssertOneErrorLine(code, err, "pytorch.json");
        (code, _, err) = CliTests.Run("export", "--format", "pytorch", "--checkpoint", ckpt, "--force");
        Assert.True(code == 0, err);
    }

    [Theory]
    [InlineData(RecurrentModel.Rnn, 0, 1)]
    [InlineData(RecurrentModel.Rnn, 4, 2)]
    [InlineData(RecurrentModel.Lstm, 0, 2)]
    [InlineData(RecurrentModel.Lstm, 5, 1)]
    [InlineData(RecurrentModel.Bilstm, 0, 1)]
    [InlineData(RecurrentModel.Bilstm, 3, 2)]
    public void ClassifierExportIsThePyTorchModuleAndComputesOurLogits(RecurrentModel kind, int embed, int layers)
    {
        using var tmp = new TempDir();
        var config = new RnnTrainConfig { Model = kind, Embed = embed, Hidden = 6, Layers = layers, Task = "palindrome", Length = 4, Threads = 1 };
        var model = SaveClassifier(tmp.File("run"), config);
        string out_ = tmp.File("c.safetensors");
        ModelExport.Run(new ExportConfig { Checkpoint = tmp.File("run"), Format = ExportFormat.Pytorch, Out = out_ });
        var sd = PyTorchFixtures.Read(out_);
        int dirs = kind == RecurrentModel.Bilstm ? 2 : 1, g = kind == RecurrentModel.Rnn ? 1 : 4, h = 6, vocab = model.Vocabulary;
        var expected = new Dictionary<string, int[]> { ["head.weight"] = new[] { model.Head.Weight.Dim(0), h * dirs }, ["head.bias"] = new[] { model.Head.Weight.Dim(0) } };
        if (embed > 0) expected["embedding.weight"] = new[] { vocab, embed };
        for (int l = 0; l < layers; l++)
            for (int d = 0; d < dirs; d++)
            {
                string s = $"_l{l}" + (d == 1 ? "_reverse" : "");
                int inF = l == 0 ? (embed > 0 ? embed : vocab) : h * dirs;
                expected["rnn.weight_ih" + s] = new[] { g * h, inF };
                expected["rnn.weight_hh" + s] = new[] { g * h, h };
                expected["rnn.bias_ih" + s] = new[] { g * h };
                expected["rnn.bias_hh" + s] = new[] { g * h };
            }
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), sd.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in expected) Assert.Equal(shape, sd[name].Shape);
        var ours = model.StateDict();
        foreach (var (name, t) in sd)
            if (name.Contains("bias_hh")) Assert.All(t.Data, x => Assert.Equal(0f, x));
            else Assert.Equal(ours[name].Data, t.Data);
        var json = JsonNode.Parse(File.ReadAllText(tmp.File("c.json")))!;
        Assert.Equal(kind == RecurrentModel.Rnn ? "torch.nn.RNN" : "torch.nn.LSTM", (string?)json["modules"]!["rnn"]!["class"]);
        Assert.Equal(dirs == 2, (bool)json["modules"]!["rnn"]!["bidirectional"]!);
        Assert.Equal(embed > 0 ? "embedding" : "one-hot", (string?)json["input"]);

        // PyTorch's equations (nn.RNN / nn.LSTM docs) on the exported tensors give our logits
        const int B = 3;
        var rng = new Rng(5);
        int len = config.CreateTask().InputLength;
        var tokens = Enumerable.Range(0, B * len).Select(_ => rng.NextInt(vocab)).ToArray();
        model.Eval();
        var logits = model.Forward(tokens, B, len).Data;
        var reference = TorchReference.Classifier(sd, kind == RecurrentModel.Rnn, dirs, layers, h, vocab, embed > 0, tokens, B, len);
        Assert.InRange(PyTorchFixtures.MaxAbs(logits, reference), 0, 1e-5);
    }

    [Theory]
    [InlineData(RecurrentModel.Gru, "Cho et al.")]
    [InlineData(RecurrentModel.PeepholeLstm, "weight_ch")]
    public void GruAndPeepholeAreRefusedWithTheReasonAndOnnxSuggested(RecurrentModel kind, string why)
    {
        using var tmp = new TempDir();
        SaveClassifier(tmp.File("run"), new RnnTrainConfig { Model = kind, Hidden = 4, Length = 3, Threads = 1 });
        var (code, _, err) = CliTests.Run("export", "--format", "pytorch", "--checkpoint", tmp.File("run"), "--out", tmp.File("x.safetensors"));
        CliTests.AssertOneErrorLine(code, err, why);
        Assert.Contains("--format onnx", err);
        Assert.False(File.Exists(tmp.File("x.safetensors")) || File.Exists(tmp.File("x.json")));
    }

    [Fact]
    public void GraphModelsAreRefusedWithTheReason()
    {
        using var tmp = new TempDir();
        Checkpoint.Save(tmp.Path, new Dictionary<string, Tensor> { ["convs.0.lin.weight"] = Tensor.Zeros(2, 3) }, new JsonObject { ["kind"] = "node-classifier" });
        var (code, _, err) = CliTests.Run("export", "--format", "pytorch", "--checkpoint", tmp.Path, "--out", tmp.File("g.safetensors"));
        CliTests.AssertOneErrorLine(code, err, "graph models are not exported as a PyTorch state_dict");
        Assert.False(File.Exists(tmp.File("g.safetensors")));
    }

    [Fact]
    public void MissingAndForeignCheckpointsGetOneLine()
    {
        using var tmp = new TempDir();
        var (code, _, err) = CliTests.Run("export", "--format", "pytorch", "--checkpoint", tmp.File("nope"));
        CliTests.AssertOneErrorLine(code, err, "does not exist");
        File.WriteAllText(tmp.File("model.json"), "{\"hello\": 1}");
        (code, _, err) = CliTests.Run("export", "--format", "pytorch", "--checkpoint", tmp.Path, "--out", tmp.File("f.safetensors"));
        CliTests.AssertOneErrorLine(code, err, "model.json: \"format\" is missing");
        File.WriteAllText(tmp.File("model.json"), "{\"kind\": \"char-lstm\"}");
        (code, _, err) = CliTests.Run("export", "--format", "pytorch", "--checkpoint", tmp.Path, "--out", tmp.File("f.safetensors"));
        CliTests.AssertOneErrorLine(code, err, "model.");
        Assert.False(File.Exists(tmp.File("f.safetensors")));
    }

    /// <summary>A classifier with its initial weights, saved as <c>rnn train</c> saves one.</summary>
    internal static SequenceClassifier SaveClassifier(string dir, RnnTrainConfig config)
    {
        var model = config.CreateModel(config.CreateTask());
        Checkpoint.Save(dir, Checkpoint.ModuleTensors(model), new JsonObject
        {
            ["kind"] = RnnTraining.ModelKind, ["config"] = RunJson.ToNode(config), ["steps"] = 0, ["interrupted"] = false,
        });
        return model;
    }
}
