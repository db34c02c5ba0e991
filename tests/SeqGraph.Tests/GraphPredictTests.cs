using System.Globalization;
using System.Text.Json.Nodes;
using SeqGraph.IO;

namespace SeqGraph.Tests;

/// <summary><c>graph train</c>'s saved models, <c>graph predict</c>, embedding.svg and Ctrl-C, through the real command.</summary>
public class GraphPredictTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args) => CliTests.Run(args);

    private static string[][] ReadCsv(string path) => File.ReadAllLines(path).Select(l => l.Split(',')).ToArray();

    /// <summary>Accuracy over the rows of one split, computed from the CSV as the trainer computes it.</summary>
    private static float CsvAccuracy(string[][] rows, string split)
    {
        var nodes = rows.Skip(1).Where(r => r[4] == split).ToList();
        return (float)nodes.Count(r => r[1] == r[3]) / nodes.Count;
    }

    [Fact]
    public void TrainSavesEachSeedsBestModelAndPredictReproducesItsTestAccuracy()
    {
        using var dir = new TempDir();
        string run = dir.File("run");
        var (code, output, err) = Cli("graph", "train", "--data", CoraLoaderTests.CoraDir, "--epochs", "40", "--seeds", "0,1", "--out", run, "--json");
        Assert.True(code == 0, err);
        var summary = JsonNode.Parse(output)!;
        Assert.Contains("seed 0 (1/2) epoch 1 val", err);                                  // per-epoch progress on stderr

        // seed-<k>/ holds the selected epoch's parameters under PyTorch Geometric's names and shapes.
        using (var file = Safetensors.Read(Path.Combine(run, "seed-1", "model.safetensors")))
        {
            Assert.Equal(new[] { "conv1.bias", "conv1.lin.weight", "conv2.bias", "conv2.lin.weight" }, file.Names.Order(StringComparer.Ordinal));
            Assert.Equal(new long[] { 16, 1433 }, file.Info("conv1.lin.weight").Shape);
            Assert.Equal(new long[] { 7, 16 }, file.Info("conv2.lin.weight").Shape);
        }
        var sidecar = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "seed-1", "model.json")))!;
        Assert.Equal("node-classifier", (string)sidecar["kind"]!);
        Assert.Equal("gcn", (string)sidecar["train"]!["model"]!);
        Assert.Equal(1433, (int)sidecar["features"]!);
        Assert.Equal((int)summary["runs"]![1]!["best_epoch"]!, (int)sidecar["epoch"]!);

        foreach (int k in new[] { 0, 1 })
        {
            string csv = dir.File($"pred{k}.csv");
            (code, output, err) = Cli("graph", "predict", "--run", run, "--seed", k.ToString(CultureInfo.InvariantCulture), "--out", csv);
            Assert.True(code == 0, err);
            var rows = ReadCsv(csv);
            Assert.Equal("node,predicted,probability,label,split", string.Join(',', rows[0]));
            Assert.Equal(2709, rows.Length);
            Assert.Equal(1000, rows.Count(r => r[4] == "test"));
            float reported = (float)(double)summary["runs"]![k]!["test_accuracy"]!;
            Assert.Equal(reported, CsvAccuracy(rows, "test"));                               // exactly the run's figure
            Assert.Equal((float)(double)summary["runs"]![k]!["val_accuracy"]!, CsvAccuracy(rows, "val"));
            Assert.All(rows.Skip(1), r => Assert.InRange(double.Parse(r[2], CultureInfo.InvariantCulture), 1.0 / 7, 1.0));
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"test {100 * reported:F1} % of 1,000"), output);
        }

        // Without --seed and --out: the lowest seed, into its own folder.
        (code, output, err) = Cli("graph", "predict", "--run", run);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(run, "seed-0", "predictions.csv")));
        Assert.Equal(File.ReadAllText(dir.File("pred0.csv")), File.ReadAllText(Path.Combine(run, "seed-0", "predictions.csv")));
    }

    [Fact]
    public void OwnSmallGraphTrainsWithAScaledSplitAndPredictsItsUnlabelledNodes()
    {
        using var dir = new TempDir();
        string data = dir.File("small"), run = dir.File("run");
        GraphDataTests.WriteSmallGraph(data, perClass: 10, unlabelled: 4);
        foreach (var model in new[] { "gcn", "gat" })
        {
            string out1 = run + model;
            string[] heads = model == "gat" ? ["--heads", "2"] : [];
            var (code, output, err) = Cli(["graph", "train", "--data", data, "--model", model, "--epochs", "15", "--seeds", "3", "--hidden", "4", .. heads, "--out", out1, "--json"]);
            Assert.True(code == 0, err);
            var summary = JsonNode.Parse(output)!;
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(out1, "config.json")))!;
            Assert.Equal((34, 30, 18, 4, 8), ((int)config["nodes"]!, (int)config["labelled_nodes"]!, (int)config["train_nodes"]!, (int)config["val_nodes"]!, (int)config["test_nodes"]!));
            Assert.Equal(model == "gcn" ? "used in the normalisation" : "ignored by gat", (string)config["edge_weights"]!);
            string csv = dir.File(model + ".csv");
            (code, _, err) = Cli("graph", "predict", "--run", out1, "--out", csv);
            Assert.True(code == 0, err);
            var rows = ReadCsv(csv);
            Assert.Equal(35, rows.Length);
            var unlabelled = rows.Where(r => r[0].StartsWith('u')).ToList();
            Assert.Equal(4, unlabelled.Count);
            Assert.All(unlabelled, r => Assert.True(r[1] is "A" or "B" or "C" && r[3] == "" && r[4] == ""));
            Assert.Equal((float)(double)summary["runs"]![0]!["test_accuracy"]!, CsvAccuracy(rows, "test"));
            var svg = File.ReadAllText(Path.Combine(out1, "embedding.svg"));
            Assert.Contains(">unlabelled</text>", svg);
        }
        using var gat = Safetensors.Read(Path.Combine(run + "gat", "seed-3", "model.safetensors"));
        Assert.Equal(new long[] { 1, 2, 4 }, gat.Info("conv1.att_src").Shape);
        Assert.Equal(new long[] { 8, 6 }, gat.Info("conv1.lin.weight").Shape);
    }

    [Fact]
    public void PredictsANewGraphWhoseNodesHaveNoLabels()
    {
        using var dir = new TempDir();
        string data = dir.File("small"), run = dir.File("run"), fresh = dir.File("fresh");
        GraphDataTests.WriteSmallGraph(data, perClass: 10, unlabelled: 0);
        var (code, _, err) = Cli("graph", "train", "--data", data, "--epochs", "20", "--seeds", "0", "--out", run);
        Assert.True(code == 0, err);
        Directory.CreateDirectory(fresh);
        File.WriteAllText(Path.Combine(fresh, "fresh.content"), "x\t1\t0\t0\t1\t0\t0\t\ny\t0\t1\t0\t0\t1\t0\t-1\nz\t0\t0\t1\t0\t0\t1\t\n");
        File.WriteAllText(Path.Combine(fresh, "fresh.csv"), "source,target\nx,y\n");
        string csv = dir.File("fresh.csv");
        (code, var output, err) = Cli("graph", "predict", "--run", run, "--data", fresh, "--out", csv);
        Assert.True(code == 0, err);
        var rows = ReadCsv(csv);
        Assert.Equal(new[] { "x", "y", "z" }, rows.Skip(1).Select(r => r[0]));
        Assert.All(rows.Skip(1), r => Assert.True(r[1] is "A" or "B" or "C" && r[3] == "" && r[4] == ""));
        Assert.Contains("3 nodes predicted, 0 with a label", output);
        Assert.Contains("accuracy: train –, validation –, test –", output);
    }

    [Theory]
    [InlineData("--run", "NO-RUN", "--run: folder")]
    [InlineData("--run", "EMPTY", "holds no saved graph model")]
    [InlineData("--run", "RUN", "--seed", "7", "--seed: ")]
    [InlineData("--run", "RUN", "--data", "OTHER", "--data: other has 2 features per node, but the model was trained on 6")]
    [InlineData("--run", "RUN", "--out", "NO-DIR", "--out: cannot write")]
    public void PredictBadInputGivesOneLineAndExitCode2(params string[] args)
    {
        using var dir = new TempDir();
        string data = dir.File("small"), run = dir.File("run");
        GraphDataTests.WriteSmallGraph(data, perClass: 10, unlabelled: 0);
        var (code, _, err) = Cli("graph", "train", "--data", data, "--epochs", "3", "--seeds", "0", "--out", run);
        Assert.True(code == 0, err);
        Directory.CreateDirectory(dir.File("empty"));
        Directory.CreateDirectory(dir.File("other"));
        File.WriteAllText(dir.File("other/other.content"), "a\t1\t0\tA\nb\t0\t1\tB\nc\t1\t1\tA\n");
        File.WriteAllText(dir.File("other/other.cites"), "a\tb\n");
        File.WriteAllText(dir.File("other/other.split"), "train\ta\nval\tb\ntest\tc\n");
        string expected = args[^1];
        args = args[..^1].Select(a => a switch
        {
            "NO-RUN" => dir.File("none"), "EMPTY" => dir.File("empty"), "RUN" => run, "OTHER" => dir.File("other"),
            "NO-DIR" => dir.File("no/such/dir/p.csv"), _ => a,
        }).Prepend("predict").Prepend("graph").ToArray();
        (code, var output, err) = Cli(args);
        Assert.Equal("", output);
        CliTests.AssertOneErrorLine(code, err, expected);
    }

    [Fact]
    public async Task CtrlCWritesSummaryPlotsAndTheModelsTrainedSoFar()
    {
        using var dir = new TempDir();
        string run = dir.File("run");
        using var p = CliTests.Start("graph", "train", "--data", CoraLoaderTests.CoraDir,
                     "--epochs", "30", "--seeds", "0..999", "--out", run, "--json");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        CliTests.WaitForLines(Path.Combine(run, "metrics_seed2.csv"), 1);
        CliTests.Interrupt(p);
        Assert.Equal(130, p.ExitCode);
        var summary = JsonNode.Parse(await stdout)!;
        Assert.True((bool)summary["interrupted"]!);
        int finished = summary["runs"]!.AsArray().Count;
        Assert.True(finished >= 2, $"{finished} seeds finished");
        foreach (var f in new[] { "summary.json", "accuracy.svg", "loss.svg", "embedding.svg" }) Assert.True(File.Exists(Path.Combine(run, f)), $"missing {f}");
        for (int k = 0; k < finished; k++)
        {
            var model = JsonNode.Parse(File.ReadAllText(Path.Combine(run, $"seed-{k}", "model.json")))!;
            Assert.False((bool)model["interrupted"]!);
        }
        // The seed that was running when the signal came is saved too, marked interrupted (unless it had just finished).
        string partial = Path.Combine(run, $"seed-{finished}", "model.json");
        if (File.Exists(partial)) Assert.True((bool)JsonNode.Parse(File.ReadAllText(partial))!["interrupted"]!);
        Assert.Contains("seqgraph: interrupted", await stderr);
    }

    [Fact]
    public void ForceReplacesAnEarlierRunWholeAndKeepsAFolderThatHeldNoRun()
    {
        using var dir = new TempDir();
        string data = dir.File("small"), run = dir.File("run");
        GraphDataTests.WriteSmallGraph(data);
        Assert.Equal(0, Cli("graph", "train", "--data", data, "--epochs", "5", "--seeds", "0,1", "--out", run).Code);
        var (code, _, err) = Cli("graph", "train", "--data", data, "--epochs", "5", "--seeds", "5", "--out", run, "--force");
        Assert.True(code == 0, err);
        Assert.False(Directory.Exists(Path.Combine(run, "seed-0")), "the replaced run's models are gone");
        Assert.False(File.Exists(Path.Combine(run, "metrics_seed1.csv")));
        Assert.True(File.Exists(Path.Combine(run, "seed-5", "model.safetensors")));
        (code, var output, err) = Cli("graph", "predict", "--run", run, "--json");
        Assert.True(code == 0, err);
        Assert.Contains("\"seed\":5", output);

        string mine = dir.File("mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "notes.txt"), "keep me");
        Assert.Equal(0, Cli("graph", "train", "--data", data, "--epochs", "5", "--seeds", "0", "--out", mine, "--force").Code);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(mine, "notes.txt")));
    }

    [Fact]
    public async Task CtrlCDuringTheFirstSeedSaysNoSeedFinishedAndWritesNoNaN()
    {
        using var dir = new TempDir();
        string run = dir.File("run");
        using var p = CliTests.Start("graph", "train", "--data", CoraLoaderTests.CoraDir, "--model", "gat", "--seeds", "0", "--out", run);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        string metrics = Path.Combine(run, "metrics_seed0.csv");
        CliTests.WaitForLines(metrics, 4);
        CliTests.Interrupt(p);
        Assert.Equal(130, p.ExitCode);
        string output = await stdout;
        Assert.Equal($"GAT on cora: no seed finished, so there is no accuracy to report\nresults in {run}\n", output);
        Assert.Contains("seqgraph: interrupted", await stderr);
        Assert.DoesNotContain("NaN", File.ReadAllText(Path.Combine(run, "summary.json")));
        foreach (var f in new[] { "accuracy.svg", "loss.svg", "embedding.svg", "seed-0/model.safetensors" }) Assert.True(File.Exists(Path.Combine(run, f)), $"missing {f}");
    }
}
