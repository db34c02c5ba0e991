using System.Globalization;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Tests;

/// <summary>
/// <c>rnn sweep</c> is <c>sweep rnn train</c> over model × length × seed: the same sweep folder, the
/// same results.csv, and the same test accuracies as the library's in-memory <see cref="RnnSweep"/>
/// (the trainings the old rnn sweep ran, point by point).
/// </summary>
public class RnnSweepCommandTests
{
    private static readonly string[] Fixed = ["--hidden", "8", "--batch", "16", "--steps", "30", "--test-samples", "100"];

    [Fact]
    public void RnnSweepIsTheGenericSweepWithTheOldResults()
    {
        using var dir = new TempDir();
        string shorthand = dir.File("rnn-sweep"), generic = dir.File("sweep");
        var (code, stdout, err) = CliTests.Run([.. "rnn sweep --models rnn,lstm --lengths 4,5 --seeds 0,1".Split(' '), .. Fixed, "--out", shorthand]);
        Assert.True(code == 0, err);
        var (code2, stdout2, err2) = CliTests.Run([.. "sweep rnn train --grid".Split(' '), "model=rnn,lstm length=4,5 seed=0,1", .. Fixed, "--out", generic]);
        Assert.True(code2 == 0, err2);

        // one layout: sweep.json, a run folder per trial, results.csv, the charts, summary.json
        foreach (string f in new[] { "sweep.json", "results.csv", "summary.json", "accuracy_vs_length.svg", "trial-001/summary.json", "trial-008/model.safetensors" })
            Assert.True(File.Exists(Path.Combine(shorthand, f)), $"rnn sweep wrote no {f}");
        Assert.Equal(File.ReadAllText(Path.Combine(generic, "results.csv")), File.ReadAllText(Path.Combine(shorthand, "results.csv")));
        Assert.Equal(stdout2.Replace(generic, "DIR", StringComparison.Ordinal), stdout.Replace(shorthand, "DIR", StringComparison.Ordinal));
        Assert.Matches(@"^rnn +T=4: \d\.\d{3}±\d\.\d{3}  T=5: ", stdout);

        // the same trainings as the in-memory library sweep, in its order (model, length, seed)
        var old = RnnSweep.Run(new RnnSweepConfig
        {
            Models = [RecurrentModel.Rnn, RecurrentModel.Lstm], Lengths = [4, 5], Seeds = [0, 1],
            Train = new RnnTrainConfig { Hidden = 8, Batch = 16, Steps = 30, TestSamples = 100, Threads = 1 },
        });
        var rows = File.ReadAllLines(Path.Combine(shorthand, "results.csv"));
        var header = rows[0].Split(',');
        int model = Array.IndexOf(header, "model"), length = Array.IndexOf(header, "length"), seed = Array.IndexOf(header, "seed"), acc = Array.IndexOf(header, "test_accuracy");
        Assert.True(acc > 0, rows[0]);
        var fromCsv = rows.Skip(1).Select(r => r.Split(',')).Select(c => (c[model], int.Parse(c[length], CultureInfo.InvariantCulture), ulong.Parse(c[seed], CultureInfo.InvariantCulture), double.Parse(c[acc], CultureInfo.InvariantCulture))).ToList();
        var fromLibrary = old.Trials.Select(t => (t.Model.Name(), t.Length, t.Seed, t.TestAccuracy)).ToList();
        Assert.Equal(fromLibrary, fromCsv);
        // and the printed means are the library's means
        foreach (var p in old.Results)
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"T={p.Length}: {p.TestAccuracyMean:F3}±{p.TestAccuracyStd:F3}"), stdout);
    }

    [Fact]
    public void RnnSweepAgainRunsOnlyTheUnfinishedTrials()
    {
        using var dir = new TempDir();
        string run = dir.File("s");
        string[] args = [.. "rnn sweep --models rnn --lengths 3,4 --seeds 0 --hidden 8 --batch 16 --steps 5 --test-samples 50 --out".Split(' '), run];
        var (code, _, err) = CliTests.Run(args);
        Assert.True(code == 0, err);
        string first = Path.Combine(run, "trial-001", "summary.json");
        var written = File.GetLastWriteTimeUtc(first);
        Directory.Delete(Path.Combine(run, "trial-002"), recursive: true);
        (code, var stdout, err) = CliTests.Run(args);
        Assert.True(code == 0, err);
        Assert.Equal(written, File.GetLastWriteTimeUtc(first));   // a finished trial is never run twice
        Assert.True(File.Exists(Path.Combine(run, "trial-002", "summary.json")));
        Assert.Contains("2 trials: 2 done", stdout);
        Assert.Matches(@"^rnn +T=3: \d\.\d{3}±\d\.\d{3}  T=4: ", stdout);   // one model: its line is still named after it
        // 5 steps: no trial converged, yet steps_to_converge and its chart are there (as rnn sweep always wrote them);
        // diverged, null in every trial, is not a column
        var header = File.ReadLines(Path.Combine(run, "results.csv")).First().Split(',');
        Assert.Contains("steps_to_converge", header);
        Assert.DoesNotContain("diverged", header);
        Assert.True(File.Exists(Path.Combine(run, "steps_vs_length.svg")));
    }
}
