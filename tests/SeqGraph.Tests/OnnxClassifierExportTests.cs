using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Interop.Onnx;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using Xunit.Abstractions;

namespace SeqGraph.Tests;

/// <summary>Every <c>rnn train</c> model exported to ONNX and run in ONNX Runtime against <see cref="SequenceClassifier.Forward"/>.</summary>
public class OnnxClassifierExportTests(ITestOutputHelper output)
{
    /// <summary>A classifier whose every parameter is redrawn from U(−1, 1): larger than the default init, so every gate matters.</summary>
    private static SequenceClassifier RandomModel(RecurrentModel kind, int vocab, int classes, int hidden, int embed, int layers, ulong seed)
    {
        var rng = new Rng(seed);
        var model = new SequenceClassifier(kind.Cell(), vocab, classes, hidden, rng, embed, layers, kind.Bidirectional());
        foreach (var p in model.Parameters())
            for (int i = 0; i < p.Size; i++) p.Data[i] = rng.NextFloat() * 2 - 1;
        model.Eval();
        return model;
    }

    private static InferenceSession Session(OnnxExport export) => new(export.Model.ToByteArray());

    private static float Compare(SequenceClassifier model, InferenceSession session, int batch, int steps, ulong seed)
    {
        var tokens = OnnxRnnExportCliTests.RandomTokens(new Rng(seed), batch * steps, model.Vocabulary);
        var logits = OnnxRnnExportCliTests.RunOnnx(session, tokens, batch, steps);
        Assert.Equal(batch * model.Head.Weight.Shape[0], logits.Length);
        return OnnxGraphExportTests.MaxAbsDiff(OnnxRnnExportCliTests.Forward(model, tokens, batch, steps), logits);
    }

    public static TheoryData<RecurrentModel, int, int> Models()
    {
        var data = new TheoryData<RecurrentModel, int, int>();
        foreach (var m in RecurrentModels.All)
            foreach (int layers in new[] { 1, 2, 3 })
                foreach (int embed in new[] { 0, 5 })
                    data.Add(m, layers, embed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ExportedClassifierComputesWhatForwardComputes(RecurrentModel kind, int layers, int embed)
    {
        var model = RandomModel(kind, vocab: 7, classes: 4, hidden: 6, embed, layers, (ulong)((int)kind * 31 + layers * 7 + embed));
        var export = SequenceClassifierOnnx.Build(model);
        using var session = Session(export);
        foreach (var (batch, steps) in new[] { (1, 1), (3, 5), (4, 11) })
        {
            float diff = Compare(model, session, batch, steps, (ulong)(batch * 13 + steps));
            output.WriteLine($"{kind.Name()} layers {layers} embed {embed} B={batch} T={steps}: max abs diff {diff:g3}");
            Assert.True(diff <= 1e-5f, $"{kind.Name()} layers {layers} embed {embed}, B={batch} T={steps}: max abs diff {diff}");
        }
        Assert.Equal(model.ParameterCount, export.Parameters);
        Assert.Equal(new[] { "tokens" }, export.Model.Graph.Input.Select(i => i.Name));
        Assert.Equal(new[] { "logits" }, export.Model.Graph.Output.Select(i => i.Name));
    }

    [Theory]
    [InlineData(CellType.PeepholeLstm, 1)]
    [InlineData(CellType.PeepholeLstm, 2)]
    [InlineData(CellType.Gru, 2)]
    [InlineData(CellType.Rnn, 2)]
    public void BidirectionalStacksOfEveryCellMatchToo(CellType cell, int layers)
    {
        // rnn train has only a bidirectional LSTM, but Recurrent runs any cell both ways: the reverse paths are checked here
        var rng = new Rng(5);
        var model = new SequenceClassifier(cell, 6, 3, 5, rng, 4, layers, bidirectional: true);
        foreach (var p in model.Parameters())
            for (int i = 0; i < p.Size; i++) p.Data[i] = rng.NextFloat() * 2 - 1;
        using var session = Session(SequenceClassifierOnnx.Build(model));
        foreach (var (batch, steps) in new[] { (1, 1), (2, 6), (5, 9) })
        {
            float diff = Compare(model, session, batch, steps, (ulong)(batch + steps));
            output.WriteLine($"bidirectional {cell} layers {layers} B={batch} T={steps}: max abs diff {diff:g3}");
            Assert.True(diff <= 1e-5f, $"bidirectional {cell} layers {layers}, B={batch} T={steps}: max abs diff {diff}");
        }
    }

    [Theory]
    [InlineData(RecurrentModel.Rnn, "RNN", 2)]
    [InlineData(RecurrentModel.Lstm, "LSTM", 2)]
    [InlineData(RecurrentModel.Bilstm, "LSTM", 2)]
    [InlineData(RecurrentModel.Gru, "GRU", 2)]
    [InlineData(RecurrentModel.PeepholeLstm, "Scan", 2)]
    [InlineData(RecurrentModel.Bilstm, "LSTM", 1)]
    public void EachLayerIsOneStandardNode(RecurrentModel kind, string op, int layers)
    {
        var model = RandomModel(kind, 5, 3, 4, 0, layers, 1);
        var export = SequenceClassifierOnnx.Build(model);
        int perLayer = op == "Scan" ? model.Rnn.Directions : 1;
        Assert.Equal(layers * perLayer, export.Model.Graph.Node.Count(n => n.OpType == op));
        if (kind == RecurrentModel.Bilstm)
            Assert.All(export.Model.Graph.Node.Where(n => n.OpType == "LSTM"), n => Assert.Equal("bidirectional", n.Attribute.Single(a => a.Name == "direction").S.ToStringUtf8()));
        Assert.StartsWith($"{layers}-layer ", export.Description);
        Assert.EndsWith("vocabulary 5, 3 classes", export.Description);
    }

    [Fact]
    public void ExportCommandWritesAnRnnTrainRunThatScoresLikeTheSavedModel()
    {
        using var dir = new TempDir();
        string run = dir.File("run");
        var (code, _, err) = CliTests.Run("rnn", "train", "--task", "palindrome", "--length", "4", "--model", "bilstm", "--layers", "2",
            "--input", "embed:6", "--hidden", "8", "--batch", "16", "--steps", "10", "--test-samples", "50", "--out", run);
        Assert.True(code == 0, err);
        string file = dir.File("classifier.onnx");
        var (code2, stdout, err2) = CliTests.Run("export", "--checkpoint", run, "--out", file);
        Assert.True(code2 == 0, err2);
        Assert.Contains("2-layer bidirectional LSTM, hidden 8, embedding 6", stdout);
        Assert.Contains("inputs:  tokens int64 [batch, steps]", stdout);
        Assert.Contains("outputs: logits float [batch, ", stdout);

        var (_, model) = RnnTraining.LoadModel(run);
        model.Eval();
        using var session = new InferenceSession(file);
        float diff = Compare(model, session, 9, 4, 3);
        Assert.True(diff <= 1e-5f, $"max abs diff {diff}");

        var (code3, _, err3) = CliTests.Run("export", "--checkpoint", run, "--out", file);
        CliTests.AssertOneErrorLine(code3, err3, "--force");
    }

    [Fact]
    public void ExportRefusesAForeignOrEmptyFolderInOneLineAndWritesNothing()
    {
        using var dir = new TempDir();
        string foreign = dir.File("foreign");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "model.json"), "{\"kind\": \"toaster\"}");
        File.WriteAllText(Path.Combine(foreign, "model.safetensors"), "not tensors");
        var (code, _, err) = CliTests.Run("export", "--checkpoint", foreign, "--out", dir.File("foreign.onnx"));
        CliTests.AssertOneErrorLine(code, err, "model.json");
        Assert.Contains("\"format\" is missing", err);
        Assert.False(File.Exists(dir.File("foreign.onnx")));
        string empty = dir.File("empty");
        Directory.CreateDirectory(empty);
        var (code2, _, err2) = CliTests.Run("export", "--checkpoint", empty);
        CliTests.AssertOneErrorLine(code2, err2, "no saved model");
        Assert.Empty(Directory.GetFiles(empty));
    }
}
