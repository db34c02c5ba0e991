using System.Text.Json.Nodes;
using SeqGraph.Experiments;
using SeqGraph.Experiments.Graph;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Experiments.Text;
using SeqGraph.IO;
using SeqGraph.Nn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Optim;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>The run model: configs to and from JSON, validation naming the option, statistics, metrics by column name, the experiments as library calls.</summary>
public class ExperimentTests
{
    [Fact]
    public void ConfigsRoundTripThroughTheirJson()
    {
        var rnn = new RnnTrainConfig { Model = RecurrentModel.PeepholeLstm, Init = InitScheme.KaimingNormal, Optimizer = OptimizerKind.Adam, Lr = 3e-4f, ForgetBias = null, Seed = ulong.MaxValue };
        var back = RunJson.Deserialize<RnnTrainConfig>(RunJson.Serialize(rnn), "config.json");
        Assert.Equal(rnn, back);
        var node = (JsonObject)RunJson.ToNode(rnn);
        Assert.Equal("peephole-lstm", (string)node["model"]!);
        Assert.Equal("kaiming-normal", (string)node["init"]!);
        Assert.Equal("adam", (string)node["optimizer"]!);
        Assert.Equal(0.0003, (double)node["lr"]!, 9);
        Assert.Null(node["label"]);

        var sweep = new RnnSweepConfig { Models = new[] { RecurrentModel.Gru }, Lengths = new[] { 3, 4 }, Seeds = new ulong[] { 5 }, Train = rnn };
        var sweepBack = RunJson.Deserialize<RnnSweepConfig>(RunJson.Serialize(sweep), "config.json");
        Assert.Equal(sweep.Train, sweepBack.Train);
        Assert.Equal(sweep.Lengths, sweepBack.Lengths);
        Assert.Equal(sweep.Models, sweepBack.Models);
        Assert.Equal(sweep.Seeds, sweepBack.Seeds);

        var graph = GraphTrainConfig.For(GraphModel.Gat, "data/cora");
        var graphBack = RunJson.Deserialize<GraphTrainConfig>(RunJson.Serialize(graph), "config.json");
        Assert.Equal(graph with { Seeds = graphBack.Seeds }, graphBack);
        Assert.Equal(graph.Seeds, graphBack.Seeds);
        Assert.Equal(0.005f, graphBack.Lr);

        var text = new TextTrainConfig { Corpus = "a.txt", Steps = 7, Minutes = 1.5, Hidden = 32 };
        Assert.Equal(text, RunJson.Deserialize<TextTrainConfig>(RunJson.Serialize(text), "config.json"));
    }

    [Fact]
    public void ReadingIsStrict()
    {
        var e = Assert.Throws<InvalidDataException>(() => RunJson.Deserialize<RnnTrainConfig>("{\"hiden\": 3}", "config.json"));
        Assert.StartsWith("config.json:", e.Message);
        Assert.Contains("hiden", e.Message);
        e = Assert.Throws<InvalidDataException>(() => RunJson.Deserialize<RnnTrainConfig>("{\"model\": \"transformer\"}", "config.json"));
        Assert.Contains("model", e.Message);
        e = Assert.Throws<InvalidDataException>(() => RunJson.FromNode<TextTrainConfig>(JsonNode.Parse("{\"corpus\": \"x\"}"), "model.json", requireAll: true));
        Assert.Contains("is missing", e.Message);
        // a hand-written config may leave out what it keeps at the default
        Assert.Equal(64, RunJson.Deserialize<RnnTrainConfig>("{\"hidden\": 64}", "config.json").Hidden);
    }

    [Theory]
    [InlineData("hidden", "--hidden must be positive (got 0)")]
    [InlineData("length", "--length: task 'palindrome' needs a length T in 2..1000000, got 1")]
    [InlineData("momentum", "--momentum must be in [0, 1) (got 1)")]
    [InlineData("task", "--task: unknown task 'palindrom' (choose palindrome, binary-palindrome, random-combinations, baum-sweet)")]
    public void ValidationNamesTheOption(string field, string message)
    {
        var c = field switch
        {
            "hidden" => new RnnTrainConfig { Hidden = 0 },
            "length" => new RnnTrainConfig { Length = 1 },
            "momentum" => new RnnTrainConfig { Momentum = 1 },
            _ => new RnnTrainConfig { Task = "palindrom" },
        };
        var e = Assert.Throws<ConfigException>(c.Validate);
        Assert.Equal(message, e.Message);
        Assert.StartsWith(e.Option, e.Message);
    }

    [Fact]
    public void StandardDeviationIsTheSampleOne()
    {
        var (m, s) = Statistics.MeanStd(new[] { 1.0, 2.0, 3.0, 4.0 });
        Assert.Equal(2.5, m);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), s, 12);   // numpy std(ddof=1)
        Assert.Equal((7.0, 0.0), Statistics.MeanStd(new[] { 7.0 }));
        var (em, es) = Statistics.MeanStd(Array.Empty<double>());
        Assert.True(double.IsNaN(em) && double.IsNaN(es));
    }

    [Fact]
    public void MetricsAreReadByColumnName()
    {
        using var dir = new TempDir();
        var folder = RunFolder.Create(dir.Path);
        using (var w = folder.OpenMetrics("m.csv", "step", "val", "loss"))
        {
            w.Append(1, double.NaN, 0.5);
            w.Append(2, 0.25, 0.4);
        }
        var t = MetricsTable.Read(folder.PathOf("m.csv"));
        Assert.Equal(new[] { 0.5, 0.4 }, t.Column("loss"));
        var (x, y) = t.Series("step", "val", scale: 2);
        Assert.Equal(new[] { 2.0 }, x);
        Assert.Equal(new[] { 0.5 }, y);
        Assert.Contains("columns: step, val, loss", Assert.Throws<KeyNotFoundException>(() => t.Column("accuracy")).Message);
    }

    [Fact]
    public void SweepAndGradientsRunAsLibraryCalls()
    {
        using var dir = new TempDir();
        var train = new RnnTrainConfig { Hidden = 8, Batch = 16, Steps = 5, TestSamples = 50, Threads = 1 };
        var progress = new List<RnnSweepProgress>();
        var sweep = RnnSweep.Run(new RnnSweepConfig { Models = new[] { RecurrentModel.Rnn, RecurrentModel.Lstm }, Lengths = new[] { 3, 4 }, Seeds = new ulong[] { 0, 1 }, Train = train },
            Reporter.Create<RnnSweepProgress>(progress.Add));
        Assert.Equal(8, sweep.Runs);
        Assert.Equal(4, sweep.Results.Count);
        Assert.Equal(8, progress.Count(p => p.Finished is not null));
        var point = sweep.Results[0];
        var accs = sweep.Trials.Where(t => t.Model == point.Model && t.Length == point.Length).Select(t => t.TestAccuracy).ToArray();
        Assert.Equal(Statistics.MeanStd(accs).Std, point.TestAccuracyStd);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));   // in memory: nothing written

        var grad = RnnGradients.Run(new RnnGradientsConfig { Models = new[] { RecurrentModel.Rnn, RecurrentModel.Lstm }, AfterSteps = 3, Train = train with { Length = 6 } });
        Assert.Equal(2, grad.Models.Count);
        Assert.All(grad.Models, m => Assert.Equal(5, m.Init.Length));
        Assert.All(grad.Models, m => Assert.Equal(m.Init[0] / m.Init[^1], m.InitFirstOverLast));
    }

    [Fact]
    public void TextAndGraphRunConfigsReadBack()
    {
        using var dir = new TempDir();
        string corpus = dir.File("tiny.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 80)));
        var text = new TextTrainConfig { Corpus = corpus, Seq = 8, Batch = 4, Hidden = 8, Embed = 4, Steps = 3, EvalEvery = 0, Threads = 1 };
        TextTraining.Run(text, RunFolder.Create(dir.File("text")));
        var textBack = RunJson.Read<TextTraining.RunConfig>(dir.File("text/config.json"));
        Assert.Equal(text.Hidden, textBack.Hidden);
        Assert.Equal(text.Steps, textBack.Steps);
        Assert.True(textBack.VocabularySize > 5);
        // evaluation and sampling stop on cancellation (Ctrl-C) instead of running to the end
        var cancelled = new CancellationToken(true);
        Assert.Throws<OperationCanceledException>(() => TextEvaluation.Run(new TextEvalConfig { Checkpoint = dir.File("text"), Corpus = corpus }, null, null, cancelled));
        Assert.Throws<OperationCanceledException>(() => TextSampling.Run(new TextSampleConfig { Checkpoint = dir.File("text"), Length = 5000 }, null, null, cancelled));

        var graph = GraphTrainConfig.For(GraphModel.Gcn, CoraLoaderTests.CoraDir) with { Epochs = 3, Seeds = new ulong[] { 4 }, Threads = 1 };
        GraphTraining.Run(graph, RunFolder.Create(dir.File("graph")));
        var graphBack = RunJson.Read<GraphTraining.RunConfig>(dir.File("graph/config.json"));
        Assert.Equal(graph.Seeds, graphBack.Seeds);
        Assert.Equal(graph.Epochs, graphBack.Epochs);
        Assert.Equal(2708, graphBack.Nodes);
    }

    [Fact]
    public void AGraphRunStoppedBeforeOrDuringASeedKeepsOnlyFinishedSeeds()
    {
        using var dir = new TempDir();
        var config = GraphTrainConfig.For(GraphModel.Gcn, CoraLoaderTests.CoraDir) with { Epochs = 50, Seeds = new ulong[] { 0, 1, 2 }, Threads = 1 };
        var none = GraphTraining.Run(config, RunFolder.Create(dir.File("none")), null, new CancellationToken(true));
        Assert.True(none.Interrupted);
        Assert.Empty(none.Runs);
        Assert.True(File.Exists(dir.File("none/summary.json")));

        using var stop = new CancellationTokenSource();
        var r = GraphTraining.Run(config, RunFolder.Create(dir.File("mid")), Reporter.Create<GraphTrainProgress>(p =>
        {
            if (p.Seed == 1 && p.Epoch?.Epoch == 10) stop.Cancel();
        }), stop.Token);
        Assert.True(r.Interrupted);
        Assert.Equal(new ulong[] { 0 }, r.Seeds);
        Assert.Equal(50, r.EpochsPerRun);
        Assert.True(File.Exists(dir.File("mid/accuracy.svg")));

        // stopped during the first seed: no figure to average (null, not NaN), and that seed's plots so far
        using var early = new CancellationTokenSource();
        var first = GraphTraining.Run(config, RunFolder.Create(dir.File("first")), Reporter.Create<GraphTrainProgress>(p =>
        {
            if (p.Seed == 0 && p.Epoch?.Epoch == 10) early.Cancel();
        }), early.Token);
        Assert.True(first.Interrupted);
        Assert.Empty(first.Runs);
        Assert.Null(first.TestAccuracyMean);
        Assert.Null(first.SecondsPerRun);
        string summary = File.ReadAllText(dir.File("first/summary.json"));
        Assert.DoesNotContain("NaN", summary);
        Assert.Contains("\"test_accuracy_mean\": null", summary);
        Assert.Contains("seed 0, interrupted", File.ReadAllText(dir.File("first/accuracy.svg")));
        Assert.True(File.Exists(dir.File("first/embedding.svg")));
        Assert.True(File.Exists(dir.File("first/seed-0/model.safetensors")));
    }

    [Fact]
    public void SizesThatCannotBeAllocatedOrLoadedAreConfigErrors()
    {
        var e = Assert.Throws<ConfigException>(new RnnTrainConfig { Batch = 100_000, Length = 100_000 }.Validate);
        Assert.Equal("--batch", e.Option);
        e = Assert.Throws<ConfigException>(new TextTrainConfig { Corpus = "x", Steps = 1, Layers = 65 }.Validate);
        Assert.Equal("--layers must be at most 64 (got 65)", e.Message);
        e = Assert.Throws<ConfigException>(new RnnSweepConfig { Lengths = new[] { 5, 5 } }.Validate);
        Assert.Equal("--lengths: a length appears twice", e.Message);
        e = Assert.Throws<ConfigException>(new RnnSweepConfig { Lengths = new[] { 1 } }.Validate);
        Assert.StartsWith("--lengths: task 'palindrome' needs a length", e.Message);
    }
}
