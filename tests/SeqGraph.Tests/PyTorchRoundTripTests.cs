using System.Text.Json.Nodes;
using SeqGraph.Experiments.Export;
using SeqGraph.Interop.PyTorch;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Tensors;
using SeqGraph.Training;
using Xunit.Abstractions;

namespace SeqGraph.Tests;

/// <summary>
/// Import and export against the committed fixtures of bench/pytorch/roundtrip.py: PyTorch's own
/// forward pass (torch 1.13) for the imported model, and the exact state_dict the script loads
/// into PyTorch with strict=True for the exported one. No Python runs here.
/// </summary>
public class PyTorchRoundTripTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void ImportedPyTorchModelComputesPyTorchsLogitsAndFinalState()
    {
        var imported = CharLstmImport.Read(PyTorchFixtures.TorchStateDict, PyTorchFixtures.TorchJson);
        Assert.True(imported.BiasHhFolded);
        var (tokens, steps, batch) = PyTorchFixtures.Tokens(PyTorchFixtures.TorchIo);
        var torch = PyTorchFixtures.Read(PyTorchFixtures.TorchIo);
        var (logits, h, c) = PyTorchFixtures.Forward(imported.Model, tokens, steps, batch);
        Assert.Equal(new[] { steps, batch, 23 }, torch["logits"].Shape);
        output.WriteLine($"max |SeqGraph - PyTorch|: logits {PyTorchFixtures.MaxAbs(logits, torch["logits"].Data):E3}, h {PyTorchFixtures.MaxAbs(h, torch["h_n"].Data):E3}, c {PyTorchFixtures.MaxAbs(c, torch["c_n"].Data):E3}");
        Assert.InRange(PyTorchFixtures.MaxAbs(logits, torch["logits"].Data), 0, Tolerance);
        Assert.InRange(PyTorchFixtures.MaxAbs(h, torch["h_n"].Data), 0, Tolerance);
        Assert.InRange(PyTorchFixtures.MaxAbs(c, torch["c_n"].Data), 0, Tolerance);
    }

    [Fact]
    public void ImportWithoutFoldingBiasHhWouldNotMatchPyTorch()
    {
        // the fixture's bias_hh matters: dropping it changes the logits far beyond the tolerance
        var sd = PyTorchFixtures.Read(PyTorchFixtures.TorchStateDict);
        var imported = CharLstmImport.Read(PyTorchFixtures.TorchStateDict, PyTorchFixtures.TorchJson);
        for (int l = 0; l < 2; l++)
            sd[$"lstm.bias_ih_l{l}"].Data.CopyTo(imported.Model.Lstm.Weights(l)[2].Data, 0);
        var (tokens, steps, batch) = PyTorchFixtures.Tokens(PyTorchFixtures.TorchIo);
        var (logits, _, _) = PyTorchFixtures.Forward(imported.Model, tokens, steps, batch);
        Assert.True(PyTorchFixtures.MaxAbs(logits, PyTorchFixtures.Read(PyTorchFixtures.TorchIo)["logits"].Data) > 1e-3);
    }

    [Fact]
    public void ImportThenExportGivesPyTorchsTensorsWithTheBiasesSummedIntoBiasIh()
    {
        using var tmp = new TempDir();
        string ckpt = tmp.File("imported"), out_ = tmp.File("again.safetensors");
        ModelImport.Run(new ImportConfig { StateDict = PyTorchFixtures.TorchStateDict, Out = ckpt });
        ModelExport.Run(new ExportConfig { Checkpoint = ckpt, Format = ExportFormat.Pytorch, Out = out_ });
        var torch = PyTorchFixtures.Read(PyTorchFixtures.TorchStateDict);
        var again = PyTorchFixtures.Read(out_);
        Assert.Equal(torch.Keys.Order(StringComparer.Ordinal), again.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, t) in torch)
        {
            Assert.Equal(t.Shape, again[name].Shape);
            if (name.Contains("bias_hh")) Assert.All(again[name].Data, v => Assert.Equal(0f, v));
            else if (name.Contains("bias_ih"))
            {
                // PyTorch's two biases become one: ours = bias_ih + bias_hh (the float32 sum), and the pair's sum is unchanged
                var hh = torch[name.Replace("bias_ih", "bias_hh")].Data;
                for (int i = 0; i < t.Size; i++) Assert.Equal(t.Data[i] + hh[i], again[name].Data[i]);
            }
            else Assert.Equal(t.Data, again[name].Data); // every weight bit for bit
        }
    }

    [Fact]
    public void ExportOfTheSeqGraphFixtureIsExactlyTheCommittedStateDict()
    {
        using var tmp = new TempDir();
        string out_ = tmp.File("export.safetensors");
        ModelExport.Run(new ExportConfig { Checkpoint = PyTorchFixtures.SeqGraphCheckpoint, Format = ExportFormat.Pytorch, Out = out_ });
        Assert.Equal(System.IO.File.ReadAllBytes(PyTorchFixtures.SeqGraphExport), System.IO.File.ReadAllBytes(out_));
        Assert.Equal(JsonNode.Parse(System.IO.File.ReadAllText(Path.ChangeExtension(PyTorchFixtures.SeqGraphExport, ".json")))!.ToJsonString(),
            JsonNode.Parse(System.IO.File.ReadAllText(Path.ChangeExtension(out_, ".json")))!.ToJsonString());
        // and it is the checkpoint's parameters under PyTorch's names, plus zero bias_hh
        var model = TextCheckpoint.LoadModel(PyTorchFixtures.SeqGraphCheckpoint).Model;
        var exported = PyTorchFixtures.Read(out_);
        foreach (var (name, p) in model.NamedParameters()) Assert.Equal(p.Data, exported[name].Data);
        Assert.Equal(model.NamedParameters().Count() + 2, exported.Count);
    }

    [Fact]
    public void SeqGraphFixtureLogitsAreSeqGraphsForwardPass()
    {
        // roundtrip.py check compares PyTorch's logits with these; here they are checked to be ours
        if (Regenerating) WriteSeqGraphFixtures();
        var model = TextCheckpoint.LoadModel(PyTorchFixtures.SeqGraphCheckpoint).Model;
        var (tokens, steps, batch) = PyTorchFixtures.Tokens(PyTorchFixtures.SeqGraphIo);
        var saved = PyTorchFixtures.Read(PyTorchFixtures.SeqGraphIo);
        var (logits, h, c) = PyTorchFixtures.Forward(model, tokens, steps, batch);
        Assert.Equal(new[] { steps, batch, model.Config.Vocabulary }, saved["logits"].Shape);
        Assert.InRange(PyTorchFixtures.MaxAbs(logits, saved["logits"].Data), 0, 1e-6);
        Assert.InRange(PyTorchFixtures.MaxAbs(h, saved["h_n"].Data), 0, 1e-6);
        Assert.InRange(PyTorchFixtures.MaxAbs(c, saved["c_n"].Data), 0, 1e-6);
    }

    [Fact]
    public void TextSampleRunsOnTheImportedCheckpoint()
    {
        using var tmp = new TempDir();
        string ckpt = tmp.File("imported");
        var (code, output, err) = CliTests.Run("import", "--format", "pytorch", "--state-dict", PyTorchFixtures.TorchStateDict, "--out", ckpt);
        Assert.True(code == 0, err);
        Assert.Contains("bias_hh_l* added into bias_ih_l*", output);
        (code, output, err) = CliTests.Run("text", "sample", "--checkpoint", ckpt, "--prompt", "the ", "--length", "40", "--temperature", "0");
        Assert.True(code == 0, err);
        // greedy continuation = the imported model's arg-max chain, computed here step by step
        var model = TextCheckpoint.LoadModel(ckpt);
        var vocab = model.Vocabulary.ToList();
        var net = new CharLstmInference(model.Model);
        ReadOnlySpan<float> logits = default;
        foreach (char ch in "the ") logits = net.Step(vocab.IndexOf(ch));
        var expected = new System.Text.StringBuilder("the ");
        for (int i = 0; i < 40; i++)
        {
            int next = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
            expected.Append((char)vocab[next]);
            logits = net.Step(next);
        }
        Assert.Contains(expected.ToString(), output);
    }

    // ----- regenerating the SeqGraph side (step 2 of roundtrip.py's header) -----

    private static bool Regenerating => Environment.GetEnvironmentVariable("SEQGRAPH_WRITE_PYTORCH_FIXTURES") == "1";

    private static readonly object RegenerateLock = new();

    /// <summary>A SeqGraph-initialised char-LSTM with the PyTorch fixture's vocabulary and sizes, and its forward pass on a token batch.</summary>
    private static void WriteSeqGraphFixtures()
    {
        lock (RegenerateLock)
        {
            string dir = PyTorchFixtures.SourceDir;
            var vocab = CharLstmImport.Read(Path.Combine(dir, "torch_char_lstm.safetensors"), Path.Combine(dir, "torch_char_lstm.json")).Vocabulary;
            var cfg = new CharLstmConfig(vocab.Length, 8, 16, 2);
            var model = new CharLstm(cfg, seed: 20261201);
            var train = ModelImport.DefaultTrain with { Embed = cfg.Embed, Hidden = cfg.Hidden, Layers = cfg.Layers, Seed = 20261201 };
            TextCheckpoint.SaveFresh(model, vocab, train, Path.Combine(dir, "seqgraph_checkpoint"));
            const int T = 10, B = 4;
            var rng = new Rng(7);
            var tokens = Enumerable.Range(0, T * B).Select(_ => rng.NextInt(vocab.Length)).ToArray();
            var (logits, h, c) = PyTorchFixtures.Forward(model, tokens, T, B);
            Safetensors.Write(Path.Combine(dir, "seqgraph_io.safetensors"), new[]
            {
                SafeTensorEntry.FromInt64("tokens", tokens.Select(t => (long)t).ToArray(), T, B),
                SafeTensorEntry.FromFloats("logits", logits, T, B, vocab.Length),
                SafeTensorEntry.FromFloats("h_n", h, cfg.Layers, B, cfg.Hidden),
                SafeTensorEntry.FromFloats("c_n", c, cfg.Layers, B, cfg.Hidden),
            });
            // the copies next to the tests are what the assertions read
            foreach (string f in new[] { "seqgraph_io.safetensors", "seqgraph_checkpoint/model.safetensors", "seqgraph_checkpoint/model.json" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(PyTorchFixtures.File(f))!);
                System.IO.File.Copy(Path.Combine(dir, f), PyTorchFixtures.File(f), overwrite: true);
            }
        }
    }
}
