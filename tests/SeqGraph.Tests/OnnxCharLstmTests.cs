using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SeqGraph.Data;
using SeqGraph.Experiments.Text;
using SeqGraph.Interop.Onnx;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Tensors;
using Tensor = SeqGraph.Tensors.Tensor;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>The char-LSTM exported to ONNX, run in ONNX Runtime and compared with SeqGraph's own forward pass and greedy sampling.</summary>
public class OnnxCharLstmTests(TextRunFixture fx) : IClassFixture<TextRunFixture>
{
    /// <summary>A model with random weights (biases too) and a made-up vocabulary.</summary>
    private static TextModel RandomModel(int vocab, int embed, int hidden, int layers, ulong seed)
    {
        var net = new CharLstm(new CharLstmConfig(vocab, embed, hidden, layers, Dropout: 0.3f), seed);
        net.Eval();
        return new TextModel(net, Enumerable.Range(0, vocab).Select(i => i == 0 ? '\n' : 'a' + i).ToArray(), 0, new TextTrainConfig());
    }

    internal static InferenceSession Session(OnnxExport export) => new(export.Model.ToByteArray());

    internal static float[] Output(IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results, string name) =>
        results.Single(r => r.Name == name).AsTensor<float>().ToArray();

    internal static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 7, 2)]
    [InlineData(5, 12, 3)]
    [InlineData(2, 4, 1)]
    public void ExportedModelComputesWhatCharLstmForwardComputes(int batch, int steps, int layers)
    {
        const int V = 11, E = 6, H = 9;
        var model = RandomModel(V, E, H, layers, (ulong)(batch * 100 + steps * 10 + layers));
        var export = CharLstmOnnx.Build(model);
        using var session = Session(export);
        var rng = new Rng(7);
        var tokens = new long[batch * steps];                    // batch-first
        for (int i = 0; i < tokens.Length; i++) tokens[i] = rng.NextInt(V);
        var h0 = new float[layers * batch * H];
        var c0 = new float[layers * batch * H];
        for (int i = 0; i < h0.Length; i++) { h0[i] = rng.NextFloat() * 2 - 1; c0[i] = rng.NextFloat() * 4 - 2; }

        var timeFirst = SequenceInput.TimeFirst(tokens.Select(t => (int)t).ToArray(), batch, steps);
        var state = new RecurrentState(
            Enumerable.Range(0, layers).Select(l => Tensor.FromArray(h0[(l * batch * H)..((l + 1) * batch * H)], batch, H)).ToArray(),
            Enumerable.Range(0, layers).Select(l => Tensor.FromArray(c0[(l * batch * H)..((l + 1) * batch * H)], batch, H)).ToArray());
        var (logits, final) = model.Model.Forward(timeFirst, steps, batch, state);
        var expected = new float[batch * steps * V];             // SeqGraph's rows are t·B + b; ONNX's [b, t, v]
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
                logits.Data.AsSpan((t * batch + b) * V, V).CopyTo(expected.AsSpan((b * steps + t) * V, V));

        using var results = session.Run(new[]
        {
            NamedOnnxValue.CreateFromTensor("tokens", new DenseTensor<long>(tokens, new[] { batch, steps })),
            NamedOnnxValue.CreateFromTensor("h0", new DenseTensor<float>(h0, new[] { layers, batch, H })),
            NamedOnnxValue.CreateFromTensor("c0", new DenseTensor<float>(c0, new[] { layers, batch, H })),
        });
        Assert.True(MaxAbsDiff(expected, Output(results, "logits")) <= 1e-5f, $"logits differ by {MaxAbsDiff(expected, Output(results, "logits"))}");
        Assert.True(MaxAbsDiff(final.H.SelectMany(t => t.Data).ToArray(), Output(results, "hn")) <= 1e-5f);
        Assert.True(MaxAbsDiff(final.C!.SelectMany(t => t.Data).ToArray(), Output(results, "cn")) <= 1e-5f);
        Assert.Equal(new long[] { batch, steps, V }, results.Single(r => r.Name == "logits").AsTensor<float>().Dimensions.ToArray().Select(d => (long)d));
    }

    [Fact]
    public void InterfaceAndMetadataAreWhatCallersCodeAgainst()
    {
        var model = RandomModel(5, 3, 4, 2, 1);
        var export = CharLstmOnnx.Build(model);
        var graph = export.Model.Graph;
        Assert.Equal(new[] { "tokens", "h0", "c0" }, graph.Input.Select(i => i.Name));
        Assert.Equal(new[] { "logits", "hn", "cn" }, graph.Output.Select(i => i.Name));
        string Dims(Interop.Onnx.Proto.ValueInfoProto v) => string.Join(",", v.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString()));
        Assert.Equal("batch,steps", Dims(graph.Input[0]));
        Assert.Equal("2,batch,4", Dims(graph.Input[1]));
        Assert.Equal("batch,steps,5", Dims(graph.Output[0]));
        Assert.Equal(2, graph.Node.Count(n => n.OpType == "LSTM"));
        var meta = export.Model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(TextCorpus.Decode(model.Vocabulary, new[] { 0, 1, 2, 3, 4 }), meta["vocabulary"]);
        Assert.Equal(string.Join(",", model.Vocabulary), meta["vocabulary_scalars"]);
        Assert.Equal("2-layer LSTM, hidden 4, embedding 3, vocabulary 5", export.Description);
        Assert.Equal(model.Model.ParameterCount, export.Parameters);
    }

    [Fact]
    public void GreedyContinuationInOnnxRuntimeIsTheOneTextSampleGives()
    {
        const string Prompt = "the king had ";
        const int Length = 300;
        var expected = TextSampling.Run(new TextSampleConfig { Checkpoint = fx.Run, Prompt = Prompt, Length = Length, Temperature = 0 }).Samples[0];

        var loaded = TextCheckpoint.LoadModel(fx.Run);
        using var session = Session(CharLstmOnnx.Build(loaded));
        var meta = CharLstmOnnx.Build(loaded).Model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        var chars = meta["vocabulary_scalars"].Split(',').Select(int.Parse).ToArray();   // a caller's view: the metadata alone maps characters
        var index = chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i);
        int layers = loaded.Model.Config.Layers, hidden = loaded.Model.Config.Hidden, vocab = chars.Length;
        var h = new float[layers * hidden];
        var c = new float[layers * hidden];
        long[] feed = Prompt.Select(ch => index[ch]).ToArray();
        var text = new System.Text.StringBuilder(Prompt);
        for (int i = 0; i < Length; i++)
        {
            using var r = session.Run(new[]
            {
                NamedOnnxValue.CreateFromTensor("tokens", new DenseTensor<long>(feed, new[] { 1, feed.Length })),
                NamedOnnxValue.CreateFromTensor("h0", new DenseTensor<float>(h, new[] { layers, 1, hidden })),
                NamedOnnxValue.CreateFromTensor("c0", new DenseTensor<float>(c, new[] { layers, 1, hidden })),
            });
            var logits = Output(r, "logits");
            int next = ArgMax(logits.AsSpan((feed.Length - 1) * vocab, vocab));
            h = Output(r, "hn");
            c = Output(r, "cn");
            text.Append(char.ConvertFromUtf32(chars[next]));
            feed = new long[] { next };
        }
        Assert.Equal(expected.Length, text.Length);
        Assert.Equal(expected, text.ToString());
        Assert.True(expected.Distinct().Count() > 3, "a degenerate continuation would prove little: " + expected);
    }

    /// <summary>The first index of the largest value.</summary>
    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    [Fact]
    public void ExportCommandWritesTheModelAndPrintsItsInterface()
    {
        var (code, stdout, stderr) = CliTests.Run("export", "--checkpoint", fx.Run);
        Assert.True(code == 0, stderr);
        string file = Path.Combine(fx.Run, "model.onnx");
        Assert.True(File.Exists(file));
        Assert.Contains("2-layer LSTM, hidden 16, embedding 8", stdout);
        Assert.Contains("inputs:  tokens int64 [batch, steps], h0 float [2, batch, 16], c0 float [2, batch, 16]", stdout);
        Assert.Contains("outputs: logits float [batch, steps, ", stdout);
        Assert.Contains("hn float [2, batch, 16], cn float [2, batch, 16]", stdout);
        Assert.Contains("carry hn/cn back as h0/c0", stdout);
        using var session = new InferenceSession(file);                 // the file on disk is a model ONNX Runtime opens
        Assert.Equal(new[] { "logits", "hn", "cn" }, session.OutputMetadata.Keys);

        var (again, _, err) = CliTests.Run("export", "--checkpoint", fx.Run);
        CliTests.AssertOneErrorLine(again, err, "--out");
        var before = File.GetLastWriteTimeUtc(file);
        var (forced, _, err2) = CliTests.Run("export", "--checkpoint", fx.Run, "--force");
        Assert.True(forced == 0, err2);
        Assert.True(File.GetLastWriteTimeUtc(file) >= before);
    }

    [Fact]
    public void ExportRefusesAMissingOrForeignFolderInOneLine()
    {
        var (code, _, err) = CliTests.Run("export", "--checkpoint", fx.File("nowhere"));
        CliTests.AssertOneErrorLine(code, err, "--checkpoint");
        string foreign = fx.File("foreign");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "model.json"), "{\"kind\": \"toaster\"}");
        File.WriteAllText(Path.Combine(foreign, "model.safetensors"), "not tensors");
        var (code2, _, err2) = CliTests.Run("export", "--checkpoint", foreign, "--out", fx.File("foreign.onnx"));
        CliTests.AssertOneErrorLine(code2, err2, "model.json");
        Assert.False(File.Exists(fx.File("foreign.onnx")));
        string empty = fx.File("empty");
        Directory.CreateDirectory(empty);
        var (code3, _, err3) = CliTests.Run("export", "--checkpoint", empty);
        CliTests.AssertOneErrorLine(code3, err3, "no saved model");
    }
}
