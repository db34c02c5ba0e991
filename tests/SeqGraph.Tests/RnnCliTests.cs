using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace SeqGraph.Tests;

/// <summary>The rnn commands through the real executable: files written, JSON summaries, bad input.</summary>
public class RnnCliTests
{
    [Fact]
    public void TrainWritesEveryFileAndAJsonSummary()
    {
        using var dir = new TempDir();
        string outDir = dir.File("run");
        var (code, stdout, err) = CliTests.Run("rnn", "train", "--task", "palindrome", "--length", "4", "--model", "gru",
            "--hidden", "16", "--batch", "32", "--steps", "40", "--test-samples", "200", "--out", outDir, "--json");
        Assert.True(code == 0, err);
        var summary = JsonNode.Parse(stdout)!;
        foreach (var key in new[] { "model", "task", "length", "seed", "steps", "converged", "steps_to_converge", "train_accuracy", "test_accuracy", "test_loss", "seconds", "parameters" })
            Assert.True(summary[key] is not null || key == "steps_to_converge", $"summary lacks {key}");
        Assert.Equal("gru", (string)summary["model"]!);
        Assert.Equal(3L * 16 * (10 + 16 + 1) + 10 * 17, (long)summary["parameters"]!);
        foreach (var f in new[] { "config.json", "metrics.csv", "summary.json", "loss.svg", "accuracy.svg" })
            Assert.True(File.Exists(Path.Combine(outDir, f)), $"missing {f}");
        var header = File.ReadLines(Path.Combine(outDir, "metrics.csv")).First();
        Assert.Equal("step,loss,accuracy,grad_norm,seconds", header);
        Assert.Equal("gru", (string)JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "config.json")))!["model"]!);
        XDocument.Load(Path.Combine(outDir, "loss.svg"));
    }

    [Fact]
    public void SweepAndGradientsWriteTheirResults()
    {
        using var dir = new TempDir();
        var (code, stdout, err) = CliTests.Run("rnn", "sweep", "--task", "palindrome", "--models", "rnn,lstm", "--lengths", "3:4:1",
            "--seeds", "0..1", "--hidden", "8", "--batch", "16", "--steps", "5", "--test-samples", "50", "--out", dir.File("sweep"), "--json");
        Assert.True(code == 0, err);
        Assert.Equal(8, (int)JsonNode.Parse(stdout)!["states"]!["done"]!);
        var rows = File.ReadAllLines(dir.File("sweep/results.csv"));
        Assert.Equal(1 + 8, rows.Length);
        Assert.StartsWith("trial,model,length,seed,state,", rows[0]);
        XDocument.Load(dir.File("sweep/accuracy_vs_length.svg"));
        XDocument.Load(dir.File("sweep/steps_vs_length.svg"));

        (code, stdout, err) = CliTests.Run("rnn", "gradients", "--models", "rnn,lstm", "--length", "6", "--after-steps", "3",
            "--hidden", "8", "--batch", "16", "--out", dir.File("grad"), "--json");
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(dir.File("grad/gradnorms.csv"));
        Assert.Equal("model,phase,t,norm", lines[0]);
        Assert.Equal(1 + 2 * 2 * 5, lines.Length);   // 2 models × (init, trained) × 5 input steps
        Assert.All(lines.Skip(1), l => Assert.True(double.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture) > 0));
        XDocument.Load(dir.File("grad/gradnorms.svg"));
    }

    [Fact]
    public void TrainSaysWhatConvergedMeans()
    {
        using var dir = new TempDir();
        string outDir = dir.File("run");
        var (code, stdout, err) = CliTests.Run("rnn", "train", "--length", "4", "--model", "lstm", "--hidden", "16", "--batch", "32", "--optimizer", "adam",
            "--lr", "0.01", "--steps", "400", "--test-samples", "500", "--seed", "3", "--out", outDir);
        Assert.True(code == 0, err);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        int first = (int)summary["steps_to_converge"]!, last = (int)summary["steps"]!;
        Assert.Equal(first + 19, last);   // the 20-step window at 100% starts at steps_to_converge; training stopped at its end
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches($@"^lstm on palindrome T=4: converged, 100% training accuracy over steps {first}–{last}; test accuracy 1\.0000 \(loss \d\.\d{{4}}\), \d+\.\d s, 1,898 parameters$", lines[0]);
        Assert.Equal($"results and model in {outDir}", lines[1]);
    }

    [Fact]
    public void SweepProgressCountsRuns()
    {
        using var dir = new TempDir();
        var (code, _, err) = CliTests.Run("rnn", "sweep", "--models", "rnn", "--lengths", "3,4", "--seeds", "0", "--hidden", "8", "--batch", "16",
            "--steps", "5", "--test-samples", "20", "--out", dir.File("sweep"));
        Assert.True(code == 0, err);
        // stderr is redirected here: the first report and the last are printed as lines
        Assert.Matches(@"sweep 0/2 \(0 %\) \d+s trial 1 model=rnn length=3 seed=0", err);
        Assert.Matches(@"sweep 2/2 \(100 %\) \d+s trial 2 model=rnn length=4 seed=0: done", err);
    }

    [Fact]
    public void ParamsPrintsTheClosedForm()
    {
        var (code, stdout, _) = CliTests.Run("rnn", "params", "--model", "lstm", "--input", "10", "--hidden", "128", "--classes", "10", "--json");
        Assert.Equal(0, code);
        var j = JsonNode.Parse(stdout)!;
        Assert.Equal(72458L, (long)j["total"]!);
        Assert.Equal(72458L, (long)j["closed_form"]!);
    }

    [Fact]
    public void TablesWrittenToAPipeAreTextWithoutEscapeCodes()
    {
        // A terminal type that supports colour, but stdout is a pipe: the table must be plain text.
        var (code, stdout, _) = CliTests.RunWithEnvironment(new() { ["TERM"] = "xterm-256color" },
            "rnn", "params", "--model", "lstm", "--input", "10", "--hidden", "128", "--classes", "10");
        Assert.Equal(0, code);
        Assert.Contains("72,458", stdout);
        Assert.Contains("weight_hh_l0", stdout);
        Assert.DoesNotContain('\u001b', stdout);
    }

    [Theory]
    [InlineData("rnn", "train", "--length", "1")]
    [InlineData("rnn", "train", "--task", "sorting")]
    [InlineData("rnn", "train", "--model", "transformer")]
    [InlineData("rnn", "train", "--hidden", "-5")]
    [InlineData("rnn", "train", "--batch", "0")]
    [InlineData("rnn", "train", "--input", "embed:x")]
    [InlineData("rnn", "train", "--lr", "-1")]
    [InlineData("rnn", "sweep", "--lengths", "5:1:1")]
    [InlineData("rnn", "sweep", "--models", "rnn,cnn")]
    [InlineData("rnn", "train", "--task", "baum-sweet", "--length", "40")]
    public void BadInputGivesOneLineAndExitCode2(params string[] args)
    {
        var (code, stdout, err) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("seqgraph: error:", lines[0]);
    }

    [Fact]
    public void UnwritableOutFolderIsAClearError()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("file"), "x");
        var (code, _, err) = CliTests.Run("rnn", "train", "--steps", "1", "--out", dir.File("file/sub"));
        Assert.Equal(2, code);
        Assert.StartsWith("seqgraph: error:", err.Trim());
        Assert.Contains("file", err);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task CtrlCEndsARunWithACompleteSummaryMarkedInterrupted()
    {
        using var dir = new TempDir();
        string outDir = dir.File("run");
        using var p = CliTests.Start("rnn", "train", "--length", "6", "--hidden", "16", "--batch", "16",
                     "--steps", "1000000", "--window", "1000000", "--log-every", "1", "--test-samples", "100", "--out", outDir, "--json");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var metrics = Path.Combine(outDir, "metrics.csv");
        CliTests.WaitForLines(metrics, 5);
        CliTests.Interrupt(p);
        Assert.Equal(130, p.ExitCode);
        var summary = JsonNode.Parse(await stdout)!;
        Assert.True((bool)summary["interrupted"]!);
        Assert.True((int)summary["steps"]! >= 4);
        Assert.Equal(summary.ToJsonString(), JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!.ToJsonString());
        foreach (var f in new[] { "config.json", "loss.svg", "accuracy.svg", "model.safetensors", "model.json" }) Assert.True(File.Exists(Path.Combine(outDir, f)), $"missing {f}");
        Assert.Contains("seqgraph: interrupted", await stderr);
        // the model trained so far is saved, and is the one the summary's test accuracy was measured on
        var sidecar = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "model.json")))!;
        Assert.True((bool)sidecar["interrupted"]!);
        Assert.Equal((int)summary["steps"]!, (int)sidecar["steps"]!);
        var (config, model) = SeqGraph.Experiments.Rnn.RnnTraining.LoadModel(outDir);
        Assert.Equal((double)summary["test_accuracy"]!, SeqGraph.Experiments.Rnn.RnnTraining.Evaluate(config, model).Accuracy);
    }

    [Fact]
    public void AFolderThatHoldsARunIsNotOverwrittenWithoutForce()
    {
        using var dir = new TempDir();
        string outDir = dir.File("run");
        string[] args = { "rnn", "train", "--length", "4", "--hidden", "8", "--batch", "16", "--steps", "3", "--test-samples", "10", "--out", outDir };
        var first = CliTests.Run(args);
        Assert.True(first.Code == 0, first.Err);
        string summary = File.ReadAllText(Path.Combine(outDir, "summary.json"));
        var again = CliTests.Run(args);
        Assert.Equal(2, again.Code);
        Assert.StartsWith($"seqgraph: error: --out: {outDir} already holds a run (accuracy.svg, config.json, loss.svg, metrics.csv, …); choose another folder, pass --force to replace it", again.Err.Trim());
        Assert.Equal(summary, File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var forced = CliTests.Run(args.Append("--force").ToArray());
        Assert.True(forced.Code == 0, forced.Err);
    }
}
