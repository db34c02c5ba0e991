using System.Text.Json.Nodes;
using SeqGraph.Cli;
using SeqGraph.Data;
using SeqGraph.IO;
using SeqGraph.Tensors;
using SeqGraph.Training;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>
/// A NaN or an infinity stops a run at its step, through the real command: exit 3, one line naming
/// the step, what went non-finite and the likely cause, the summary marked diverged, and no
/// checkpoint with a non-finite value (the last good one kept, loadable and resumable).
/// </summary>
public sealed class DivergenceTests
{
    // Adam at 1e30 on a 16-unit RNN: finite huge losses for 4 steps, then a NaN gradient at step 5.
    private static readonly string[] RnnAt1e30 = ["--optimizer", "adam", "--lr", "1e30", "--hidden", "16", "--steps", "30", "--log-every", "1", "--test-samples", "10", "--threads", "1"];

    private static string DivergedLine(string err)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("seqgraph: ", StringComparison.Ordinal)).ToList();
        return Assert.Single(lines);
    }

    private static JsonObject Summary(string run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, RunFolder.SummaryFileName)))!.AsObject();

    private static void AssertFinite(string checkpoint)
    {
        foreach (var (name, t) in Checkpoint.Load(checkpoint).Tensors) Assert.True(Finite.All(t.Data), $"{checkpoint}: {name} is not finite");
    }

    [Fact]
    public void RnnTrainStopsAtTheStepWithExit3AndSavesNoModel()
    {
        using var dir = new TempDir();
        string run = dir.File("run");
        var (code, output, err) = CliTests.Run([.. "rnn train".Split(' '), .. RnnAt1e30, "--out", run, "--json"]);
        Assert.Equal(CliRunner.Diverged, code);
        Assert.Equal("seqgraph: diverged at step 5: the gradient norm is NaN (learning rate 1e+30 is likely too high; try a smaller --lr)", DivergedLine(err));
        var json = JsonNode.Parse(output)!["diverged"]!;
        Assert.Equal((5, "gradient"), ((int)json["step"]!, (string)json["what"]!));
        var summary = Summary(run);
        Assert.Equal(json.ToJsonString(), summary["diverged"]!.ToJsonString());
        Assert.Equal(4, (int)summary["steps"]!);   // step 5 was not applied
        Assert.False(Checkpoint.Exists(run));     // the weights that gave a NaN are not a model
        var rows = File.ReadAllLines(Path.Combine(run, RunFolder.MetricsFileName)).Skip(1).ToList();
        Assert.Equal(4, rows.Count);
        Assert.DoesNotContain("NaN", string.Concat(rows));
        Assert.True(File.Exists(Path.Combine(run, "loss.svg")));
        Assert.Equal("diverged", RunDescription.Status(summary, DateTime.UtcNow, DateTime.UtcNow, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void ASweepRecordsTheDivergedTrialAndGoesOn()
    {
        using var dir = new TempDir();
        string run = dir.File("sweep");
        var (code, _, err) = CliTests.Run([.. "rnn sweep --models rnn,lstm --lengths 5 --seeds 0".Split(' '), .. RnnAt1e30.Where((_, i) => i < 8 || i >= 10), "--out", run]);
        Assert.Equal(CliRunner.Diverged, code);
        Assert.StartsWith("seqgraph: trial 1 (model=rnn length=5 seed=0): diverged at step 5: the gradient norm is NaN", DivergedLine(err));
        var rows = File.ReadAllLines(Path.Combine(run, "results.csv")).Select(r => r.Split(',')).ToList();
        int steps = Array.IndexOf(rows[0], "steps");
        Assert.Equal(["1", "rnn", "5", "0", "diverged"], rows[1][..5]);
        Assert.Equal(["2", "lstm", "5", "0", "done"], rows[2][..5]);
        Assert.Equal("30", rows[2][steps]);   // the next trial ran its 30 steps
        Assert.False(Checkpoint.Exists(Path.Combine(run, "trial-001")));
        Assert.True(Checkpoint.Exists(Path.Combine(run, "trial-002")));
        Assert.Equal(5, (int)Summary(Path.Combine(run, "trial-001"))["diverged"]!["step"]!);
        Assert.Null(Summary(Path.Combine(run, "trial-002"))["diverged"]);
        Assert.Equal(5, (int)Summary(run)["diverged"]!["step"]!);
    }


    [Fact]
    public void TextTrainKeepsTheLastGoodCheckpointWhichLoadsAndResumes()
    {
        using var dir = new TempDir();
        string corpus = TextCheckpointTests.TinyCorpus(dir), run = dir.File("run");
        string[] args = ["text", "train", "--corpus", corpus, "--out", run, "--steps", "20", "--seq", "10", "--batch", "8", "--hidden", "16", "--embed", "8",
            "--eval-every", "0", "--checkpoint-every", "1", "--lr", "1e30", "--threads", "1"];
        var (code, _, err) = CliTests.Run(args);
        Assert.Equal(CliRunner.Diverged, code);
        // step 7's update was applied, then its greedy sample (the 1/3 mark) met NaN logits
        Assert.Equal("seqgraph: diverged at step 7: the model's outputs are not finite (a NaN or an infinity at character 1 of the sample): its weights are too large or damaged (learning rate 1e+30 is likely too high; try a smaller --lr)",
            DivergedLine(err));
        Assert.Equal("outputs", (string)Summary(run)["diverged"]!["what"]!);
        AssertFinite(run);
        var saved = TextCheckpoint.LoadModel(run);
        Assert.Equal(6, saved.Step);
        // the checkpoint is the state after step 6, bit for bit: six steps of the same run in this process
        var trainer = new TextTrainer(saved.Config, TextCorpus.Load(corpus, saved.Config.CorpusOptions()));
        for (int i = 0; i < 6; i++) trainer.TrainStep();
        var mine = Checkpoint.ModuleTensors(trainer.Model);
        foreach (var (name, t) in Checkpoint.ModuleTensors(saved.Model)) Assert.Equal(mine[name].Data, t.Data);
        // resumable: the same divergence at the same step, and the checkpoint is still step 6
        var resumed = CliTests.Run("text", "train", "--resume", run, "--steps", "20");
        Assert.Equal(CliRunner.Diverged, resumed.Code);
        Assert.StartsWith("seqgraph: diverged at step 7: ", DivergedLine(resumed.Err));
        Assert.Equal(6, TextCheckpoint.LoadModel(run).Step);

        // without clipping Adam's update overflows at step 2: the save of step 2 is refused, step 1's stays
        string run2 = dir.File("run2");
        var noClip = CliTests.Run([.. args.Select(a => a == run ? run2 : a), "--clip", "0"]);
        Assert.Equal(CliRunner.Diverged, noClip.Code);
        Assert.Equal("seqgraph: diverged at step 2: the weights are not finite (embedding.weight holds a NaN or an infinity; it is not saved) (learning rate 1e+30 is likely too high; try a smaller --lr, or --clip)",
            DivergedLine(noClip.Err));
        AssertFinite(run2);
        Assert.Equal(1, TextCheckpoint.LoadModel(run2).Step);
    }

    // 60 nodes in a chain, two classes; every feature value 3e38, so the first layer overflows without normalisation.
    private static string HugeFeatureGraph(TempDir dir, string value = "3e38", bool edges = true, bool split = false)
    {
        string data = dir.File("graph");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "g.content"), string.Concat(Enumerable.Range(0, 60).Select(i => $"n{i}\t{i % 3}\t{value}\t{(i % 2 == 0 ? "Even" : "Odd")}\n")));
        File.WriteAllText(Path.Combine(data, "g.cites"), edges ? string.Concat(Enumerable.Range(1, 59).Select(i => $"n{i - 1}\tn{i}\n")) : "");
        if (split)   // training nodes of class Even only
            File.WriteAllText(Path.Combine(data, "g.split"), $"train\t{Ids(Enumerable.Range(0, 10).Select(i => 2 * i))}\nval\t{Ids(Enumerable.Range(20, 20))}\ntest\t{Ids(Enumerable.Range(40, 20))}\n");
        return data;
    }

    private static string Ids(IEnumerable<int> nodes) => string.Join(",", nodes.Select(i => $"n{i}"));

    [Theory]
    [InlineData("gcn")]
    [InlineData("gat")]
    public void GraphTrainWithNaNFromEpochOneExits3WithoutAnAccuracy(string model)
    {
        using var dir = new TempDir();
        string data = HugeFeatureGraph(dir), run = dir.File("run");
        var (code, output, err) = CliTests.Run("graph", "train", "--model", model, "--data", data, "--raw-features", "--seeds", "0,1", "--epochs", "5", "--out", run, "--threads", "1");
        Assert.Equal(CliRunner.Diverged, code);
        Assert.Equal("seqgraph: diverged at epoch 1 of seed 0: the loss is NaN (at the first epoch, before any update: the node features are likely too large (they are not row-normalised: drop --raw-features))",
            DivergedLine(err));
        Assert.DoesNotContain("test accuracy", output);
        var summary = Summary(run);
        Assert.Equal((1, "loss"), ((int)summary["diverged"]!["step"]!, (string)summary["diverged"]!["what"]!));
        Assert.Null(summary["test_accuracy_mean"]);
        Assert.Empty(summary["runs"]!.AsArray());
        Assert.Empty(GraphTrainingSeeds(run));   // no epoch had a finite validation loss: nothing to keep
    }

    [Fact]
    public void AnUpdateThatLeavesTheWeightsNonFiniteIsADivergenceNeverAnInternalError()
    {
        // Found in review: the checks run before each update, and Adam's last update at --lr 3e38 overflowed
        // the weights with a finite loss and gradient; the model save then refused them (exit 1, no summary).
        using var dir = new TempDir();
        string run = dir.File("rnn");
        var (code, _, err) = CliTests.Run("rnn", "train", "--optimizer", "adam", "--lr", "3e38", "--steps", "1", "--test-samples", "10", "--out", run);
        Assert.Equal(CliRunner.Diverged, code);
        Assert.Equal("seqgraph: diverged at step 1: its update made rnn.weight_ih_l0 non-finite (learning rate 3e+38 is likely too high; try a smaller --lr)", DivergedLine(err));
        Assert.Equal("weights", (string)Summary(run)["diverged"]!["what"]!);
        Assert.False(Checkpoint.Exists(run));

        string graph = dir.File("graph");
        (code, _, err) = CliTests.Run("graph", "train", "--data", CoraLoaderTests.CoraDir, "--lr", "3e38", "--epochs", "1", "--seeds", "1", "--out", graph, "--threads", "1");
        Assert.Equal(CliRunner.Diverged, code);
        Assert.Equal("seqgraph: diverged at epoch 1 of seed 1: its update made conv1.weight non-finite (learning rate 3e+38 is likely too high; try a smaller --lr)", DivergedLine(err));
        Assert.Equal("weights", (string)Summary(graph)["diverged"]!["what"]!);
    }

    private static IReadOnlyList<(ulong, string)> GraphTrainingSeeds(string run) => SeqGraph.Experiments.Graph.GraphTraining.SavedSeeds(run);

    [Fact]
    public void GraphTrainWarnsOfNoEdgesAndOfAClassMissingFromTraining()
    {
        using var dir = new TempDir();
        string data = HugeFeatureGraph(dir, value: "1", edges: false, split: true), run = dir.File("run");
        var (code, _, err) = CliTests.Run("graph", "train", "--data", data, "--seeds", "0", "--epochs", "3", "--out", run, "--threads", "1");
        Assert.Equal(0, code);
        string[] expected =
        [
            "g.cites: the graph has no edges between nodes, so the model sees each node's own features only (no message passing)",
            "g: class 'Odd' has no node in the training split, so the model is never taught it (its nodes are only scored)",
        ];
        Assert.Equal(expected.Select(w => "seqgraph: warning: " + w), err.Split('\n').Where(l => l.StartsWith("seqgraph: warning: ", StringComparison.Ordinal)));
        Assert.Equal(expected, Summary(run)["warnings"]!.AsArray().Select(w => (string)w!));
    }

    [Fact]
    public void SamplingOrScoringAModelWithHugeWeightsIsBadInputNamingTheFile()
    {
        using var dir = new TempDir();
        string corpus = TextCheckpointTests.TinyCorpus(dir), run = dir.File("run");
        Assert.Equal(0, CliTests.Run("text", "train", "--corpus", corpus, "--out", run, "--steps", "3", "--seq", "10", "--batch", "8", "--hidden", "16", "--embed", "8", "--eval-every", "0").Code);
        var data = Checkpoint.Load(run);
        string file = Path.Combine(run, Checkpoint.TensorsFileName);
        // every weight ±1e30: the sampler's logits overflow
        Checkpoint.Save(run, Scaled(data.Tensors, _ => true, x => x < 0 ? -1e30f : 1e30f), data.Sidecar);
        var sample = CliTests.Run("text", "sample", "--checkpoint", run, "--length", "40");
        CliTests.AssertOneErrorLine(sample.Code, sample.Err, $"{file}: the model's outputs are not finite (a NaN or an infinity at character 1 of the sample)");
        Assert.Equal("", sample.Out);
        // the head at 3e38: every logit overflows, a row of ±∞ (before: "softmax of a row that is all −∞", no file named)
        Checkpoint.Save(run, Scaled(data.Tensors, n => n.StartsWith("head.", StringComparison.Ordinal), _ => 3e38f), data.Sidecar);
        var eval = CliTests.Run("text", "eval", "--checkpoint", run, "--corpus", corpus);
        Assert.Equal(2, eval.Code);
        Assert.Equal($"seqgraph: error: {file}: the model's outputs are not finite (a NaN or an infinity at predictions 1–3968): its weights are too large or damaged", DivergedLine(eval.Err));
    }

    private static Dictionary<string, Tensor> Scaled(IReadOnlyDictionary<string, Tensor> tensors, Func<string, bool> which, Func<float, float> value) =>
        tensors.ToDictionary(kv => kv.Key, kv =>
        {
            var t = kv.Value.Clone();
            if (which(kv.Key))
                for (int i = 0; i < t.Data.Length; i++) t.Data[i] = value(t.Data[i]);
            return t;
        });

    [Fact]
    public async Task ADivergedRunFromThePageIsAFailureWithTheLine()
    {
        using var runs = new TempDir();
        var queue = new RunQueue(new CliRunLauncher(), runs.Path);
        var values = new Dictionary<string, string>();
        for (int i = 0; i < RnnAt1e30.Length; i += 2) values[RnnAt1e30[i]] = RnnAt1e30[i + 1];
        Assert.True(queue.TryEnqueue("rnn train", values, out int id));
        var until = DateTime.UtcNow.AddMinutes(1);
        while (queue.StateOf(id) is RunQueue.Queued or RunQueue.Running && DateTime.UtcNow < until) await Task.Delay(20);
        var item = queue.List().Single(i => (int)i!["id"]! == id)!;
        Assert.Equal(RunQueue.Failed, (string)item["state"]!);
        Assert.Equal("diverged at step 5: the gradient norm is NaN (learning rate 1e+30 is likely too high; try a smaller --lr)", (string)item["error"]!);
        await queue.StopAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void CheckpointSaveRefusesNonFiniteTensorsAndWritesNothing()
    {
        using var dir = new TempDir();
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            foreach (int at in new[] { 0, 17, 40 })   // inside a vector lane and in the tail
            {
                var t = new Tensor(new float[41], 41);
                t.Data[at] = bad;
                Assert.False(Finite.All(t.Data));
                string folder = dir.File($"c{at}{bad}");
                var e = Assert.Throws<InvalidOperationException>(() => Checkpoint.Save(folder, new Dictionary<string, Tensor> { ["w"] = t }, new JsonObject()));
                Assert.Contains("'w' holds a NaN or an infinity", e.Message);
                Assert.False(File.Exists(Path.Combine(folder, Checkpoint.TensorsFileName)) || File.Exists(Path.Combine(folder, Checkpoint.SidecarFileName)));
            }
        Assert.True(Finite.All(new Tensor(new float[41], 41).Data));
    }
}
