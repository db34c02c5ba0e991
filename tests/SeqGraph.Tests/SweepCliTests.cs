using System.Text.Json.Nodes;

namespace SeqGraph.Tests;

/// <summary><c>seqgraph sweep</c> with the local executor, through the real command: layout, re-runs, failures, status, collect.</summary>
public class SweepCliTests
{
    internal static readonly string[] Tiny = ["--hidden", "8", "--steps", "30", "--batch", "16", "--test-samples", "100"];

    internal static (int Code, string Out, string Err) Sweep(string dir, string grid, params string[] more) =>
        CliTests.Run(["sweep", "rnn", "train", "--grid", grid, .. Tiny, "--out", dir, .. more]);

    private static JsonObject Json(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    // a summary without what depends on the machine
    private static string Figures(string summaryPath)
    {
        var o = Json(summaryPath);
        o.Remove("seconds");
        o.Remove("steps_per_second");
        return o.ToJsonString();
    }

    [Fact]
    public void EachTrialIsTheRunTheCommandMakesAndResultsHaveOneRowPerTrial()
    {
        using var dir = new TempDir();
        string sweep = dir.File("s");
        var (code, output, err) = Sweep(sweep, "model=rnn,lstm length=4,5 seed=0,1", "--task", "palindrome");
        Assert.True(code == 0, err);
        Assert.Contains("8 trials: 8 done", output);
        Assert.Matches(@"(?m)^rnn +T=4: \d\.\d{3}±\d\.\d{3}  T=5: ", output);
        var lines = File.ReadAllLines(Path.Combine(sweep, "results.csv"));
        Assert.Equal("trial,model,length,seed,state,task,impl,steps,converged,steps_to_converge,train_accuracy,test_accuracy,test_loss,parameters", lines[0]);
        Assert.Equal(9, lines.Length);
        Assert.StartsWith("6,lstm,4,1,done,palindrome,fused,30,0,,", lines[6]);
        foreach (string f in new[] { "sweep.json", "config.json", "summary.json", "accuracy_vs_length.svg" }) Assert.True(File.Exists(Path.Combine(sweep, f)), f);
        var spec = Json(Path.Combine(sweep, "sweep.json"));
        Assert.Equal("rnn train", (string)spec["command"]!);
        Assert.Equal("[\"--task\",\"palindrome\",\"--hidden\",\"8\",\"--batch\",\"16\",\"--steps\",\"30\",\"--test-samples\",\"100\"]", spec["args"]!.ToJsonString());
        Assert.All(spec["trials"]!.AsArray(), t => Assert.Equal("done", (string)t!["state"]!));

        // trial 6 is exactly `rnn train` with its values
        string alone = dir.File("alone");
        var direct = CliTests.Run(["rnn", "train", "--model", "lstm", "--length", "4", "--seed", "1", "--task", "palindrome", .. Tiny, "--out", alone]);
        Assert.True(direct.Code == 0, direct.Err);
        Assert.Equal(Figures(Path.Combine(alone, "summary.json")), Figures(Path.Combine(sweep, "trial-006", "summary.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(alone, "model.safetensors")), File.ReadAllBytes(Path.Combine(sweep, "trial-006", "model.safetensors")));
        var record = Json(Path.Combine(sweep, "trial-006", "trial.json"));
        Assert.Equal("done", (string)record["state"]!);
        Assert.Equal(0, (int)record["exit_code"]!);

        // the same sweep two jobs at a time: the same results, byte for byte
        string two = dir.File("two");
        var parallel = Sweep(two, "model=rnn,lstm length=4,5 seed=0,1", "--task", "palindrome", "--jobs", "2");
        Assert.True(parallel.Code == 0, parallel.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(sweep, "results.csv")), File.ReadAllText(Path.Combine(two, "results.csv")));
    }

    [Fact]
    public void AFailedTrialIsNamedAndTheSameCommandAgainRunsOnlyIt()
    {
        using var dir = new TempDir();
        string sweep = dir.File("s");
        Directory.CreateDirectory(sweep);
        File.WriteAllText(Path.Combine(sweep, "trial-003"), "in the way");
        // --force: the folder holds a file, not a run (it is kept)
        var (code, output, err) = Sweep(sweep, "length=4,5 seed=0,1", "--force");
        Assert.Equal(2, code);
        Assert.Contains("4 trials: 3 done · 1 failed", output);
        Assert.Contains("trial 3 (length=5 seed=0): failed: trial-003 is a file, not a folder", output);
        Assert.Equal("seqgraph: 1 of 4 trials failed (trial 3: trial-003 is a file, not a folder); fix the cause and run the same command again, or see seqgraph sweep status " + sweep,
            err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
        Assert.Equal(4, File.ReadAllLines(Path.Combine(sweep, "results.csv")).Length);   // header + 3 rows
        var status = CliTests.Run("sweep", "status", sweep);
        Assert.Equal(0, status.Code);
        Assert.Matches(@"(?m)^3 +5 +0 +failed +trial-003 is a file, not a folder$", status.Out);

        var stamps = new[] { 1, 2, 4 }.ToDictionary(n => n, n => File.ReadAllText(Path.Combine(sweep, $"trial-00{n}", "trial.json")));
        File.Delete(Path.Combine(sweep, "trial-003"));
        (code, output, err) = Sweep(sweep, "length=4,5 seed=0,1");
        Assert.True(code == 0, err);
        Assert.Contains("4 trials: 4 done", output);
        foreach (var (n, text) in stamps) Assert.Equal(text, File.ReadAllText(Path.Combine(sweep, $"trial-00{n}", "trial.json")));   // never run twice
        var spec = Json(Path.Combine(sweep, "sweep.json"));
        Assert.Equal("[3]", spec["submissions"]![1]!["trials"]!.ToJsonString());

        string clean = dir.File("clean");
        Assert.Equal(0, Sweep(clean, "length=4,5 seed=0,1").Code);
        Assert.Equal(File.ReadAllText(Path.Combine(clean, "results.csv")), File.ReadAllText(Path.Combine(sweep, "results.csv")));

        // nothing left: the same command runs nothing and says so
        (code, output, _) = Sweep(sweep, "length=4,5 seed=0,1");
        Assert.Equal(0, code);
        Assert.Equal("[]", Json(Path.Combine(sweep, "sweep.json"))["submissions"]![2]!["trials"]!.ToJsonString());
        foreach (var (n, text) in stamps) Assert.Equal(text, File.ReadAllText(Path.Combine(sweep, $"trial-00{n}", "trial.json")));
    }

    [Fact]
    public void StatusAndCollectTellKilledAndMissingTrialsApart()
    {
        using var dir = new TempDir();
        string sweep = dir.File("s");
        Assert.Equal(0, Sweep(sweep, "length=4,5 seed=0,1").Code);
        // trial 2 killed part-way: its files, no summary, no writer; trial 4 never ran
        File.Delete(Path.Combine(sweep, "trial-002", "summary.json"));
        File.Delete(Path.Combine(sweep, "trial-002", "trial.json"));
        Directory.Delete(Path.Combine(sweep, "trial-004"), recursive: true);
        var status = CliTests.Run("sweep", "status", sweep);
        Assert.Equal(0, status.Code);
        Assert.Contains("2 done · 1 failed · 1 pending", status.Out);
        Assert.Matches(@"(?m)^2 +4 +1 +failed +stopped without a summary \(killed\?\)$", status.Out);
        Assert.Matches(@"(?m)^4 +5 +1 +pending$", status.Out);
        var json = JsonNode.Parse(CliTests.Run("sweep", "status", sweep, "--json").Out)!;
        Assert.Equal("{\"done\":2,\"diverged\":0,\"interrupted\":0,\"failed\":1,\"running\":0,\"pending\":1}", json["states"]!.ToJsonString());

        var collect = CliTests.Run("sweep", "collect", sweep);
        Assert.Equal(0, collect.Code);
        Assert.Contains("4 trials: 2 done · 1 failed · 1 pending", collect.Out);
        var rows = File.ReadAllLines(Path.Combine(sweep, "results.csv")).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(["1", "3"], rows);
        var summary = Json(Path.Combine(sweep, "summary.json"));
        Assert.Equal("[2,4]", new JsonArray(summary["not_done"]!.AsArray().Select(n => (JsonNode?)JsonValue.Create((int)n!["trial"]!)).ToArray()).ToJsonString());
    }

    [Fact]
    public void AnotherSweepInTheFolderIsRefusedUnlessForced()
    {
        using var dir = new TempDir();
        string sweep = dir.File("s");
        Assert.Equal(0, Sweep(sweep, "seed=0,1").Code);
        var (code, _, err) = Sweep(sweep, "seed=0,1,2");
        CliTests.AssertOneErrorLine(code, err, $"--out: {sweep} holds another sweep (rnn train over seed=0,1); choose another folder, or pass --force to replace it");
        var forced = Sweep(sweep, "seed=0,1,2", "--force");
        Assert.True(forced.Code == 0, forced.Err);
        Assert.Contains("3 trials: 3 done", forced.Out);
        // a run folder that is not a sweep is not taken over either
        string run = dir.File("run");
        Assert.Equal(0, CliTests.Run(["rnn", "train", .. Tiny, "--out", run]).Code);
        (code, _, err) = Sweep(run, "seed=0,1");
        CliTests.AssertOneErrorLine(code, err, $"--out: {run} already holds a run");
    }

    [Theory]
    [InlineData("lenght=4,5", "--grid: 'rnn train' has no option --lenght", "did you mean '--length'?")]
    [InlineData("out=a,b", "--grid: out is set by the sweep itself (each trial has its own folder)", "")]
    [InlineData("threads=1,2", "--grid: threads is set by the sweep itself (give --threads to the sweep)", "")]
    [InlineData("hidden=8,0", "trial 2 (hidden=0): --hidden", "")]
    [InlineData("model=rnn,transformer", "trial 2 (model=transformer): --model: unknown model 'transformer'", "")]
    public void ABadGridIsOneLineBeforeAnyTrialRuns(string grid, string contains, string alsoContains)
    {
        using var dir = new TempDir();
        string sweep = dir.File("s");
        var (code, _, err) = CliTests.Run("sweep", "rnn", "train", "--grid", grid, "--steps", "5", "--out", sweep);
        CliTests.AssertOneErrorLine(code, err, contains);
        Assert.Contains(alsoContains, err);
        Assert.False(Directory.Exists(sweep));
    }

    [Fact]
    public void AGridFileAddsToTheGridAndAMissingOneIsNamed()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("grid.txt"), "# two seeds\nseed: 0, 1\n");
        var (code, output, err) = Sweep(dir.File("s"), "length=4", "--grid-file", dir.File("grid.txt"));
        Assert.True(code == 0, err);
        Assert.Contains("2 trials: 2 done", output);
        Assert.Equal("length=4 seed=0,1", (string)JsonNode.Parse(File.ReadAllText(dir.File("s/summary.json")))!["grid"]!);
        (code, _, err) = Sweep(dir.File("t"), "length=4", "--grid-file", dir.File("nope.txt"));
        CliTests.AssertOneErrorLine(code, err, "--grid-file: ");
        Assert.Contains("nope.txt", err);
    }

    [Fact]
    public void AnOptionBothFixedAndInTheGridIsRefused()
    {
        using var dir = new TempDir();
        var (code, _, err) = CliTests.Run("sweep", "rnn", "train", "--grid", "hidden=8,16", "--hidden", "4", "--out", dir.File("s"));
        CliTests.AssertOneErrorLine(code, err, "--grid: --hidden is given both as an option and in --grid");
    }

    [Fact]
    public async Task AStoppedSweepEndsItsTrialInterruptedAndTheSameCommandFinishesIt()
    {
        using var dir = new TempDir();
        string sweep = dir.File("s");
        // the second trial cannot converge (T=60), so it is still training when the signal lands
        string[] args = ["sweep", "rnn", "train", "--grid", "length=4,60", "--hidden", "8", "--batch", "16", "--test-samples", "100", "--steps", "100000", "--log-every", "1", "--out", sweep];
        using (var p = CliTests.Start(args))
        {
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEndAsync();
            CliTests.WaitForLines(Path.Combine(sweep, "trial-002", "metrics.csv"), 5);
            using (var kill = System.Diagnostics.Process.Start("kill", $"-TERM {p.Id}")!) kill.WaitForExit();
            Assert.True(p.WaitForExit(60_000), "the sweep did not stop after SIGTERM");
            Assert.Equal(130, p.ExitCode);
            Assert.Contains("2 trials: 1 done · 1 interrupted", await stdout);
            Assert.Contains("seqgraph: interrupted; the trials that ended are in", await stderr);
        }
        Assert.True((bool)Json(Path.Combine(sweep, "trial-002", "summary.json"))["interrupted"]!);
        Assert.Matches(@"(?m)^2 +60 +interrupted ", CliTests.Run("sweep", "status", sweep).Out);
        // again, with a budget it can finish: a different sweep (--steps differs), so the folder is refused…
        var (code, _, err) = CliTests.Run([.. args[..^2].Select(a => a == "100000" ? "20" : a), "--out", sweep]);
        CliTests.AssertOneErrorLine(code, err, "holds another sweep");
        // …and run-trial finishes the interrupted trial of this one, leaving the done one alone
        string done = File.ReadAllText(Path.Combine(sweep, "trial-001", "trial.json"));
        var again = CliTests.Run("sweep", "run-trial", sweep, "1");
        Assert.Equal(0, again.Code);
        Assert.Equal("trial 1 (length=4) is done: " + (string)Json(Path.Combine(sweep, "trial-001", "trial.json"))["message"]! + "; not run again\n", again.Out);
        Assert.Equal(done, File.ReadAllText(Path.Combine(sweep, "trial-001", "trial.json")));
    }
}
