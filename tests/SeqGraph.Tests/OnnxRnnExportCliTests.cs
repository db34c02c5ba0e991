using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;

namespace SeqGraph.Tests;

/// <summary><c>seqgraph export</c> on the runs of <c>rnn train</c>, as a user would run it.</summary>
public class OnnxRnnExportCliTests
{
    [Theory]
    [InlineData("palindrome", "gru", "--layers", "2")]
    [InlineData("palindrome", "lstm", "--input", "embed:4")]
    [InlineData("binary-palindrome", "bilstm", "--layers", "2")]
    [InlineData("palindrome", "peephole-lstm", "--layers", "2")]
    [InlineData("baum-sweet", "rnn", "--input", "embed:3")]
    public void ExportOfATrainRunWritesModelOnnxThatOnnxRuntimeRunsAsTheSavedModelDoes(string task, string model, string option, string value)
    {
        using var tmp = new TempDir();
        string run = tmp.File("run");
        var (code, _, err) = CliTests.Run("rnn", "train", "--task", task, "--model", model, option, value, "--length", "6", "--hidden", "8",
            "--batch", "16", "--optimizer", "adam", "--lr", "0.01", "--steps", "60", "--test-samples", "50", "--seed", "2", "--threads", "1", "--out", run);
        Assert.True(code == 0, err);

        (code, var output, err) = CliTests.Run("export", "--checkpoint", run, "--json");
        Assert.True(code == 0, err);
        string onnx = Path.Combine(run, "model.onnx");
        Assert.True(File.Exists(onnx), output);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("rnn-classifier", root.GetProperty("kind").GetString());
        Assert.Equal(new FileInfo(onnx).Length, root.GetProperty("bytes").GetInt64());
        var input = root.GetProperty("inputs").EnumerateArray().Single();
        Assert.Equal(("tokens", "int64"), (input.GetProperty("name").GetString(), input.GetProperty("type").GetString()));
        Assert.Equal(new[] { "batch", "steps" }, input.GetProperty("shape").EnumerateArray().Select(d => d.GetString()));

        var (config, saved) = RnnTraining.LoadModel(run);
        var sequenceTask = config.CreateTask();
        var logits = root.GetProperty("outputs").EnumerateArray().Single();
        Assert.Equal("logits", logits.GetProperty("name").GetString());
        Assert.Equal(new[] { "batch", sequenceTask.NumClasses.ToString(System.Globalization.CultureInfo.InvariantCulture) }, logits.GetProperty("shape").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(saved.ParameterCount, root.GetProperty("parameters").GetInt64());

        using var session = new InferenceSession(onnx);
        // the task's own examples, then random symbols at other lengths
        int n = 64, len = sequenceTask.InputLength;
        var tokens = new int[n * len];
        sequenceTask.Sample(new Rng(17), n, tokens, new int[n]);
        var fromOnnx = RunOnnx(session, tokens, n, len);
        var fromSeqGraph = Forward(saved, tokens, n, len);
        float diff = OnnxGraphExportTests.MaxAbsDiff(fromOnnx, fromSeqGraph);
        Assert.True(diff <= 1e-5f, $"task examples: max |ONNX − SeqGraph| = {diff}");
        var rng = new Rng(3);
        foreach (var (batch, steps) in new[] { (1, 1), (5, len + 7) })
        {
            var random = RandomTokens(rng, batch * steps, sequenceTask.VocabularySize);
            diff = OnnxGraphExportTests.MaxAbsDiff(RunOnnx(session, random, batch, steps), Forward(saved, random, batch, steps));
            Assert.True(diff <= 1e-5f, $"random tokens [{batch}, {steps}]: max |ONNX − SeqGraph| = {diff}");
        }

        // the file holds the trained weights: a fresh model of the same config gives other logits
        var fresh = Forward(config.CreateModel(sequenceTask), tokens, n, len);
        Assert.True(OnnxGraphExportTests.MaxAbsDiff(fromOnnx, fresh) > 1e-3);
    }

    [Fact]
    public void ExportPrintsTheModelItsInputsAndNotesAndReplacesAFileOnlyWithForce()
    {
        using var tmp = new TempDir();
        string run = tmp.File("run");
        var (code, _, err) = CliTests.Run("rnn", "train", "--model", "peephole-lstm", "--layers", "2", "--hidden", "8", "--length", "4",
            "--batch", "16", "--steps", "5", "--test-samples", "20", "--threads", "1", "--out", run);
        Assert.True(code == 0, err);
        string outFile = tmp.File("classifier.onnx");
        (code, var output, err) = CliTests.Run("export", "--checkpoint", Path.Combine(run, "model.json"), "--out", outFile);
        Assert.True(code == 0, err);
        Assert.Contains("2-layer peephole LSTM, hidden 8, one-hot input, vocabulary 10, 10 classes", output);
        Assert.Contains("inputs:  tokens int64 [batch, steps]", output);
        Assert.Contains("outputs: logits float [batch, 10]", output);
        Assert.Contains("a Scan over the cell", output);
        Assert.False(File.Exists(Path.Combine(run, "model.onnx")));
        byte[] first = File.ReadAllBytes(outFile);

        (code, _, err) = CliTests.Run("export", "--checkpoint", run, "--out", outFile);
        CliTests.AssertOneErrorLine(code, err, "--out");
        Assert.Equal(first, File.ReadAllBytes(outFile));
        (code, _, err) = CliTests.Run("export", "--checkpoint", run, "--out", outFile, "--force");
        Assert.True(code == 0, err);
        using var session = new InferenceSession(outFile);
        Assert.Equal("rnn-classifier", session.ModelMetadata.CustomMetadataMap["kind"]);
    }

    [Fact]
    public void ARunWhoseWeightsDoNotFitItsConfigIsOneErrorLineNamingTheFile()
    {
        using var tmp = new TempDir();
        string run = tmp.File("run");
        var (code, _, err) = CliTests.Run("rnn", "train", "--model", "gru", "--hidden", "8", "--length", "4", "--batch", "16", "--steps", "5",
            "--test-samples", "20", "--threads", "1", "--out", run);
        Assert.True(code == 0, err);
        // the sidecar now claims another architecture than the tensors hold
        string sidecar = Path.Combine(run, "model.json");
        SidecarEdits.WriteSealed(sidecar, File.ReadAllText(sidecar).Replace("\"hidden\": 8", "\"hidden\": 6"));
        (code, _, err) = CliTests.Run("export", "--checkpoint", run);
        CliTests.AssertOneErrorLine(code, err, "model.safetensors: parameter 'rnn.weight_ih_l0' has shape [24, 10], model expects [18, 10]");
        Assert.False(File.Exists(Path.Combine(run, "model.onnx")));

        // a truncated tensor file
        SidecarEdits.WriteSealed(sidecar, File.ReadAllText(sidecar).Replace("\"hidden\": 6", "\"hidden\": 8"));
        string tensors = Path.Combine(run, "model.safetensors");
        File.WriteAllBytes(tensors, File.ReadAllBytes(tensors)[..500]);
        (code, _, err) = CliTests.Run("export", "--checkpoint", run);
        CliTests.AssertOneErrorLine(code, err, "model.safetensors: 500 bytes");
        Assert.False(File.Exists(Path.Combine(run, "model.onnx")));
    }

    internal static float[] RunOnnx(InferenceSession session, int[] tokens, int batch, int steps)
    {
        var input = NamedOnnxValue.CreateFromTensor("tokens", new DenseTensor<long>(tokens.Select(t => (long)t).ToArray(), new[] { batch, steps }));
        using var results = session.Run(new[] { input });
        var logits = results.Single(r => r.Name == "logits").AsTensor<float>();
        Assert.Equal(batch, logits.Dimensions[0]);
        return logits.ToArray();
    }

    internal static float[] Forward(SequenceClassifier model, int[] tokens, int batch, int steps)
    {
        model.Eval();
        return model.Forward(tokens, batch, steps).Data.ToArray();
    }

    internal static int[] RandomTokens(Rng rng, int count, int vocabulary) => Enumerable.Range(0, count).Select(_ => rng.NextInt(vocabulary)).ToArray();
}
