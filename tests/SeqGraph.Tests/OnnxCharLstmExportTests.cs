using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SeqGraph.Autograd;
using SeqGraph.Experiments.Text;
using SeqGraph.Interop.Onnx;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using Tensor = SeqGraph.Tensors.Tensor;
using SeqGraph.Training;
using Xunit.Abstractions;

namespace SeqGraph.Tests;

/// <summary>The char-LSTM exported as ONNX, run in ONNX Runtime against SeqGraph's own forward pass and greedy sampler.</summary>
public sealed class OnnxCharLstmExportTests(ITestOutputHelper log)
{
    private const float Tolerance = 1e-5f;

    [Theory]
    [InlineData(23, 8, 16, 1, 3, 5)]
    [InlineData(40, 12, 32, 2, 1, 1)]
    [InlineData(40, 12, 32, 2, 4, 7)]
    [InlineData(17, 5, 9, 3, 2, 6)]
    public void LogitsAndFinalStateMatchTheForwardPass(int vocab, int embed, int hidden, int layers, int batch, int steps)
    {
        var rng = new Rng(7);
        var model = new CharLstm(new CharLstmConfig(vocab, embed, hidden, layers, Dropout: layers > 1 ? 0.3f : 0f), 11);
        model.Eval();
        var export = CharLstmOnnx.Build(new TextModel(model, Enumerable.Range(97, vocab).ToArray(), 0, new TextTrainConfig()));
        using var session = new InferenceSession(export.Model.ToByteArray());

        var tokens = new int[batch * steps]; // batch-first, as ONNX takes them
        for (int i = 0; i < tokens.Length; i++) tokens[i] = rng.NextInt(vocab);
        var h0 = Enumerable.Range(0, layers * batch * hidden).Select(_ => rng.NextFloat() * 2 - 1).ToArray();
        var c0 = Enumerable.Range(0, layers * batch * hidden).Select(_ => (rng.NextFloat() * 2 - 1) * 3).ToArray();

        var timeFirst = new int[tokens.Length];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++) timeFirst[t * batch + b] = tokens[b * steps + t];
        var state = new RecurrentState(
            Enumerable.Range(0, layers).Select(l => new Tensor(h0.AsSpan(l * batch * hidden, batch * hidden).ToArray(), batch, hidden)).ToArray(),
            Enumerable.Range(0, layers).Select(l => new Tensor(c0.AsSpan(l * batch * hidden, batch * hidden).ToArray(), batch, hidden)).ToArray());
        Tensor logits;
        RecurrentState final;
        using (Tape.NoGrad()) (logits, final) = model.Forward(timeFirst, steps, batch, state);

        var (onnxLogits, hn, cn) = Run(session, tokens, batch, steps, h0, c0, layers, hidden);
        float dl = 0, dh = 0, dc = 0;
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int v = 0; v < vocab; v++)
                    dl = MathF.Max(dl, MathF.Abs(onnxLogits[(b * steps + t) * vocab + v] - logits.Data[(t * batch + b) * vocab + v]));
        for (int l = 0; l < layers; l++)
            for (int i = 0; i < batch * hidden; i++)
            {
                dh = MathF.Max(dh, MathF.Abs(hn[l * batch * hidden + i] - final.H[l].Data[i]));
                dc = MathF.Max(dc, MathF.Abs(cn[l * batch * hidden + i] - final.C![l].Data[i]));
            }
        log.WriteLine($"{export.Description}, B={batch} T={steps}: max |ONNX − SeqGraph| logits {dl:G3}, hn {dh:G3}, cn {dc:G3}");
        Assert.True(dl <= Tolerance && dh <= Tolerance && dc <= Tolerance, $"logits {dl}, hn {dh}, cn {dc}");
        Assert.True(logits.Data.Max() - logits.Data.Min() > 0.1f, "the logits must vary for the comparison to mean something");
    }

    [Fact]
    public void AGreedyContinuationSteppedInOnnxRuntimeIsSeqGraphsCharacterForCharacter()
    {
        using var dir = new TempDir();
        string run = dir.File("run"), corpus = dir.File("rhymes.txt");
        // a small varied text, so that a short run learns words and its greedy text is not one repeated character
        var lines = new[] { "Little Bo-Peep has lost her sheep, and doesn't know where to find them.\n", "Jack and Jill went up the hill to fetch a pail of water.\n",
            "Hickory, dickory, dock! The mouse ran up the clock.\n", "Mary had a little lamb, its fleece was white as snow.\n", "Humpty Dumpty sat on a wall.\n" };
        var rng = new Rng(3);
        var text = new System.Text.StringBuilder();
        while (text.Length < 20_000) text.Append(lines[rng.NextInt(lines.Length)]);
        File.WriteAllText(corpus, text.ToString());
        var (code, _, err) = CliTests.Run("text", "train", "--corpus", corpus, "--out", run,
            "--steps", "150", "--hidden", "32", "--embed", "16", "--batch", "16", "--seq", "20", "--lr", "0.01", "--eval-every", "150");
        Assert.True(code == 0, err);
        const string Prompt = "Jack and Jill";
        const int Length = 300;
        var ours = TextSampling.Run(new TextSampleConfig { Checkpoint = run, Prompt = Prompt, Length = Length, Temperature = 0 }).Samples[0];
        Assert.StartsWith(Prompt, ours);
        string continuation = ours[Prompt.Length..];

        var loaded = TextCheckpoint.LoadModel(run);
        var export = CharLstmOnnx.Build(loaded);
        using var session = new InferenceSession(export.Model.ToByteArray());
        // the caller maps characters through the vocabulary stored in the model's metadata
        string vocabulary = JsonSerializer.Deserialize<string>(session.ModelMetadata.CustomMetadataMap["vocabulary"])!;
        var symbols = vocabulary.EnumerateRunes().Select(r => r.ToString()).ToList();
        int layers = loaded.Model.Config.Layers, hidden = loaded.Model.Config.Hidden, v = symbols.Count;
        var h = new float[layers * hidden];
        var c = new float[layers * hidden];
        float[] last = Array.Empty<float>();
        foreach (var ch in Prompt.EnumerateRunes())
            (last, h, c) = Run(session, new[] { symbols.IndexOf(ch.ToString()) }, 1, 1, h, c, layers, hidden);
        var sb = new System.Text.StringBuilder();
        while (sb.Length < continuation.Length)
        {
            int next = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(last);
            sb.Append(symbols[next]);
            (last, h, c) = Run(session, new[] { next }, 1, 1, h, c, layers, hidden);
        }
        log.WriteLine($"greedy continuation of '{Prompt}' ({continuation.Length} characters): {continuation[..80]}…");
        Assert.Equal(Length, continuation.EnumerateRunes().Count());
        Assert.Equal(continuation, sb.ToString());
        Assert.True(continuation.Distinct().Count() > 5, "a continuation of one repeated character would prove little");
    }

    [Fact]
    public void ExportOfATextRunWritesModelOnnxAndRefusesToOverwriteWithoutForce()
    {
        using var dir = new TempDir();
        string corpus = TextCheckpointTests.TinyCorpus(dir), run = dir.File("run");
        Assert.Equal(0, CliTests.Run("text", "train", "--corpus", corpus, "--out", run, "--steps", "5", "--hidden", "8", "--embed", "4", "--batch", "4", "--seq", "6").Code);
        var (code, stdout, err) = CliTests.Run("export", "--checkpoint", run);
        Assert.True(code == 0, err);
        string onnx = Path.Combine(run, "model.onnx");
        Assert.True(File.Exists(onnx));
        Assert.Contains("inputs:  tokens int64 [batch, steps], h0 float [2, batch, 8], c0 float [2, batch, 8]", stdout);
        Assert.Contains("outputs: logits float [batch, steps, ", stdout);
        using (var session = new InferenceSession(onnx))
            Assert.Equal(new[] { "logits", "hn", "cn" }, session.OutputMetadata.Keys.ToArray());

        long before = new FileInfo(onnx).Length;
        { var r = CliTests.Run("export", "--checkpoint", run); CliTests.AssertOneErrorLine(r.Code, r.Err, "--out"); Assert.Contains("exists", r.Err); Assert.Contains("--force", r.Err); }
        Assert.Equal(0, CliTests.Run("export", "--checkpoint", run, "--force").Code);
        Assert.Equal(before, new FileInfo(onnx).Length);

        { var r = CliTests.Run("export", "--checkpoint", dir.File("nothing")); CliTests.AssertOneErrorLine(r.Code, r.Err, "--checkpoint"); Assert.Contains("does not exist", r.Err); }
        { var r = CliTests.Run("export", "--checkpoint", corpus); CliTests.AssertOneErrorLine(r.Code, r.Err, "--checkpoint"); Assert.Contains("is a file", r.Err); }
        { var r = CliTests.Run("export", "--checkpoint", run, "--format", "tflite"); CliTests.AssertOneErrorLine(r.Code, r.Err, "--format"); Assert.Contains("tflite", r.Err); }
    }

    private static (float[] Logits, float[] Hn, float[] Cn) Run(InferenceSession session, int[] tokens, int batch, int steps, float[] h0, float[] c0, int layers, int hidden)
    {
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor("tokens", new DenseTensor<long>(tokens.Select(t => (long)t).ToArray(), new[] { batch, steps })),
            NamedOnnxValue.CreateFromTensor("h0", new DenseTensor<float>(h0, new[] { layers, batch, hidden })),
            NamedOnnxValue.CreateFromTensor("c0", new DenseTensor<float>(c0, new[] { layers, batch, hidden })),
        };
        using var results = session.Run(inputs);
        float[] Get(string name) => results.Single(r => r.Name == name).AsTensor<float>().ToArray();
        return (Get("logits"), Get("hn"), Get("cn"));
    }
}
