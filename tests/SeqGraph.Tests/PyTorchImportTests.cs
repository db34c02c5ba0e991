using System.Text.Json.Nodes;
using SeqGraph.IO;
using SeqGraph.Tensors;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>
/// <c>seqgraph import --format pytorch</c> through the real command: every way a state_dict or its
/// description can be wrong is one error line naming the file and the tensor or key, exit 2, and
/// nothing written; a good import fine-tunes with <c>text train --resume</c>.
/// </summary>
public class PyTorchImportTests
{
    /// <summary>Ways to spoil the PyTorch fixture, and what the error line must say.</summary>
    public static TheoryData<string, string> Spoiled => new()
    {
        { "missing", "missing tensor 'lstm.bias_hh_l1'" },
        { "unexpected", "unexpected tensor 'extra.weight'" },
        { "shape", "tensor 'head.weight' has shape [23, 15], expected [23, 16]" },
        { "dtype", "tensor 'embedding.weight' is F64, expected F32" },
        { "gru", "3 × hidden rows is a GRU's" },
        { "three-layers", "unexpected tensor 'lstm.bias_hh_l2' (layer 2 of the LSTM, but sd.json says num_layers 2)" },
        { "bidirectional", "unexpected tensor 'lstm.weight_ih_l0_reverse' (a bidirectional LSTM's" },
        { "non-finite", "tensor 'head.bias' holds non-finite values" },
        { "json-missing", "sd.json: missing" },
        { "json-invalid", "sd.json: not valid JSON" },
        { "json-foreign", "sd.json: \"format\" is missing, expected 'seqgraph-pytorch'" },
        { "json-gru", "modules.lstm is torch.nn.GRU, expected torch.nn.LSTM" },
        { "json-layers", "missing tensor 'lstm.weight_ih_l2'" },
        { "json-vocabulary", "the vocabulary lists 22 symbols, but modules.embedding.num_embeddings is 23" },
        { "json-sizes", "modules.head.in_features 12 differs from modules.lstm.hidden_size 16" },
        { "not-safetensors", "sd.safetensors: not a safetensors file" },
    };

    [Theory]
    [MemberData(nameof(Spoiled))]
    public void ABadStateDictOrDescriptionIsOneErrorLineAndWritesNothing(string how, string message)
    {
        using var tmp = new TempDir();
        string sd = tmp.File("sd.safetensors"), json = tmp.File("sd.json"), out_ = tmp.File("out");
        var tensors = PyTorchFixtures.Read(PyTorchFixtures.TorchStateDict).ToDictionary(kv => kv.Key, kv => SafeTensorEntry.FromTensor(kv.Key, kv.Value));
        var desc = JsonNode.Parse(File.ReadAllText(PyTorchFixtures.TorchJson))!.AsObject();
        var lstm = desc["modules"]!["lstm"]!.AsObject();
        SafeTensorEntry F(string name, params int[] shape) => SafeTensorEntry.FromTensor(name, Tensor.Zeros(shape));
        switch (how)
        {
            case "missing": tensors.Remove("lstm.bias_hh_l1"); break;
            case "unexpected": tensors["extra.weight"] = F("extra.weight", 2, 2); break;
            case "shape": tensors["head.weight"] = F("head.weight", 23, 15); break;
            case "dtype": tensors["embedding.weight"] = SafeTensorEntry.FromDoubles("embedding.weight", new double[23 * 8], 23, 8); break;
            case "gru":
                foreach (int l in new[] { 0, 1 })
                {
                    int inF = l == 0 ? 8 : 16;
                    tensors[$"lstm.weight_ih_l{l}"] = F($"lstm.weight_ih_l{l}", 48, inF);
                    tensors[$"lstm.weight_hh_l{l}"] = F($"lstm.weight_hh_l{l}", 48, 16);
                    tensors[$"lstm.bias_ih_l{l}"] = F($"lstm.bias_ih_l{l}", 48);
                    tensors[$"lstm.bias_hh_l{l}"] = F($"lstm.bias_hh_l{l}", 48);
                }
                break;
            case "three-layers":
                tensors["lstm.weight_ih_l2"] = F("lstm.weight_ih_l2", 64, 16); tensors["lstm.weight_hh_l2"] = F("lstm.weight_hh_l2", 64, 16);
                tensors["lstm.bias_ih_l2"] = F("lstm.bias_ih_l2", 64); tensors["lstm.bias_hh_l2"] = F("lstm.bias_hh_l2", 64);
                break;
            case "bidirectional": tensors["lstm.weight_ih_l0_reverse"] = F("lstm.weight_ih_l0_reverse", 64, 8); break;
            case "non-finite":
                var bias = new float[23]; bias[3] = float.NaN;
                tensors["head.bias"] = SafeTensorEntry.FromFloats("head.bias", bias, 23);
                break;
            case "json-foreign": desc = new JsonObject { ["model"] = "something else" }; break;
            case "json-gru": lstm["class"] = "torch.nn.GRU"; break;
            case "json-layers": lstm["num_layers"] = 3; break;
            case "json-vocabulary": desc["vocabulary"]!.AsArray().RemoveAt(22); desc["vocabulary_text"] = " ,.abcdefghijklmnopqrs"; break;
            case "json-sizes": desc["modules"]!["head"]!["in_features"] = 12; break;
        }
        if (how == "not-safetensors") File.WriteAllText(sd, "embedding.weight,head.weight\n1,2\n");
        else Safetensors.Write(sd, tensors.Values);
        if (how == "json-invalid") File.WriteAllText(json, "{\"format\": \"seqgraph-pytorch\",");
        else if (how != "json-missing") File.WriteAllText(json, desc.ToJsonString());

        var (code, _, err) = CliTests.Run("import", "--format", "pytorch", "--state-dict", sd, "--out", out_);
        CliTests.AssertOneErrorLine(code, err, message);
        Assert.False(Directory.Exists(out_));
    }

    [Fact]
    public void OptionsAreCheckedAndAnExistingCheckpointNeedsForce()
    {
        using var tmp = new TempDir();
        string out_ = tmp.File("out");
        var (code, _, err) = CliTests.Run("import", "--format", "onnx", "--state-dict", PyTorchFixtures.TorchStateDict, "--out", out_);
        CliTests.AssertOneErrorLine(code, err, "--format: onnx models cannot be imported");
        (code, _, err) = CliTests.Run("import", "--state-dict", PyTorchFixtures.TorchStateDict, "--config", tmp.File("none.json"), "--out", out_);
        CliTests.AssertOneErrorLine(code, err, "none.json: missing");
        (code, _, err) = CliTests.Run("import", "--state-dict", tmp.File("absent.safetensors"), "--config", PyTorchFixtures.TorchJson, "--out", out_);
        CliTests.AssertOneErrorLine(code, err, "absent.safetensors: no such file");
        Assert.False(Directory.Exists(out_));
        // --config names the description explicitly (the state_dict's own .json is not needed)
        File.Copy(PyTorchFixtures.TorchStateDict, tmp.File("weights.safetensors"));
        (code, _, err) = CliTests.Run("import", "--state-dict", tmp.File("weights.safetensors"), "--config", PyTorchFixtures.TorchJson, "--out", out_);
        Assert.True(code == 0, err);
        (code, _, err) = CliTests.Run("import", "--state-dict", tmp.File("weights.safetensors"), "--config", PyTorchFixtures.TorchJson, "--out", out_);
        CliTests.AssertOneErrorLine(code, err, "already holds a checkpoint");
        (code, _, err) = CliTests.Run("import", "--state-dict", tmp.File("weights.safetensors"), "--config", PyTorchFixtures.TorchJson, "--out", out_, "--force");
        Assert.True(code == 0, err);
        File.WriteAllText(Path.Combine(out_, "metrics.csv"), "step\n");
        (code, _, err) = CliTests.Run("import", "--state-dict", tmp.File("weights.safetensors"), "--config", PyTorchFixtures.TorchJson, "--out", out_, "--force");
        CliTests.AssertOneErrorLine(code, err, "holds other files (metrics.csv)");
    }

    [Fact]
    public void TheImportedCheckpointFineTunesWithTextTrainResume()
    {
        using var tmp = new TempDir();
        string ckpt = tmp.File("imported"), run = tmp.File("tuned");
        var (code, _, err) = CliTests.Run("import", "--format", "pytorch", "--state-dict", PyTorchFixtures.TorchStateDict, "--out", ckpt);
        Assert.True(code == 0, err);
        var imported = TextCheckpoint.LoadModel(ckpt);
        Assert.Equal(0, imported.Step);
        string corpus = tmp.File("corpus.txt");
        File.WriteAllText(corpus, Text(imported.Vocabulary, 20_000));
        (code, _, err) = CliTests.Run("text", "train", "--resume", ckpt, "--corpus", corpus, "--out", run, "--steps", "4", "--threads", "1");
        Assert.True(code == 0, err);
        var tuned = TextCheckpoint.LoadModel(run);
        Assert.Equal(4, tuned.Step);
        Assert.Equal(imported.Vocabulary, tuned.Vocabulary);
        // four Adam steps of lr 2e-3 move each weight by at most about 4 × 2e-3: the run started from the imported weights
        var before = imported.Model.StateDict();
        foreach (var (name, p) in tuned.Model.NamedParameters())
        {
            double moved = PyTorchFixtures.MaxAbs(p.Data, before[name].Data);
            Assert.InRange(moved, 1e-6, 0.0125);
        }
        Assert.True(File.Exists(Path.Combine(run, "metrics.csv")));
        // a corpus with other characters is refused in one line
        File.WriteAllText(tmp.File("other.txt"), Text(imported.Vocabulary, 5000) + "XYZ");
        (code, _, err) = CliTests.Run("text", "train", "--resume", ckpt, "--corpus", tmp.File("other.txt"), "--out", tmp.File("bad"), "--steps", "4");
        CliTests.AssertOneErrorLine(code, err, "differ from the vocabulary");
    }

    [Fact]
    public void FineTuningAnImportMayChangeTheTrainingSettingsButNotTheSizes()
    {
        using var tmp = new TempDir();
        string ckpt = tmp.File("imported"), run = tmp.File("tuned");
        var (code, _, err) = CliTests.Run("import", "--state-dict", PyTorchFixtures.TorchStateDict, "--out", ckpt);
        Assert.True(code == 0, err);
        var imported = TextCheckpoint.LoadModel(ckpt);
        string corpus = tmp.File("corpus.txt");
        File.WriteAllText(corpus, Text(imported.Vocabulary, 20_000));
        (code, _, err) = CliTests.Run("text", "train", "--resume", ckpt, "--corpus", corpus, "--out", run, "--steps", "3", "--threads", "1",
            "--lr", "0.0001", "--batch", "8", "--seq", "12", "--dropout", "0.1");
        Assert.True(code == 0, err);
        var tuned = TextCheckpoint.LoadModel(run);
        Assert.Equal((0.0001f, 8, 12, 0.1f, 3), (tuned.Config.Lr, tuned.Config.Batch, tuned.Config.Seq, tuned.Config.Dropout, tuned.Step));
        var before = imported.Model.StateDict();
        foreach (var (name, p) in tuned.Model.NamedParameters())
            Assert.InRange(PyTorchFixtures.MaxAbs(p.Data, before[name].Data), 1e-8, 3 * 0.0001 * 1.5); // Adam moves at most ~lr per step
        (code, _, err) = CliTests.Run("text", "train", "--resume", ckpt, "--corpus", corpus, "--out", tmp.File("wider"), "--steps", "3", "--hidden", "32");
        CliTests.AssertOneErrorLine(code, err, "--hidden: the checkpoint");
        Assert.Contains("not --embed, --hidden or --layers", err);
        // once trained, the run's own checkpoint is resumed exactly again: its settings are fixed
        (code, _, err) = CliTests.Run("text", "train", "--resume", run, "--corpus", corpus, "--steps", "5", "--lr", "0.01");
        CliTests.AssertOneErrorLine(code, err, "--lr: the checkpoint");
    }

    /// <summary>Text using every symbol of <paramref name="vocabulary"/>, drawn from a fixed generator.</summary>
    private static string Text(int[] vocabulary, int length)
    {
        var rng = new SeqGraph.Random.Rng(3);
        var sb = new System.Text.StringBuilder();
        foreach (int v in vocabulary) sb.Append(char.ConvertFromUtf32(v));
        while (sb.Length < length) sb.Append(char.ConvertFromUtf32(vocabulary[rng.NextInt(vocabulary.Length)]));
        return sb.ToString();
    }
}
