using System.Diagnostics;
using SeqGraph.IO;

namespace SeqGraph.Tests;

/// <summary>
/// The real command killed with SIGKILL at random moments of a run that checkpoints every step:
/// after every kill the folder loads (the old checkpoint or the new one, whole), and resuming it
/// to the end gives the metrics, model and samples.md (sampled every step, so kills land between a
/// step's samples and its checkpoint) of a run never killed.
/// </summary>
public sealed class CheckpointKillTests : IDisposable
{
    private readonly TempDir _dir = new();

    private const int Steps = 400;

    private static string[] Train(string corpus, string outDir, bool resume) =>
    [
        "text", "train", "--corpus", corpus, "--steps", Steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--seq", "10", "--batch", "8", "--hidden", "8", "--embed", "4", "--eval-every", "0", "--checkpoint-every", "1", "--sample-every", "1",
        "--threads", "1", .. (resume ? new[] { "--resume", outDir } : new[] { "--out", outDir }),
    ];

    [Fact]
    public void EveryKillLeavesALoadableCheckpointAndTheResumedRunEqualsOneNeverKilled()
    {
        string corpus = TextCheckpointTests.TinyCorpus(_dir);
        string killed = _dir.File("killed"), whole = _dir.File("whole");
        var random = new System.Random(20261202);
        int kills = 0, loads = 0;
        var steps = new List<long>();
        while (kills < 20)
        {
            bool resume = Checkpoint.Exists(killed);
            using var p = CliTests.Start(Train(corpus, killed, resume));
            // Each kill comes at a random moment once the run has saved a step past the last kill's
            // (so the kills land in training and saving, however slow the machine is to start it).
            long last = steps.Count > 0 ? steps[^1] : 0;
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (SavedStep(killed) <= last && DateTime.UtcNow < deadline && !p.HasExited) Thread.Sleep(2);
            Thread.Sleep(random.Next(0, 40));
            if (p.HasExited)
            {
                Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
                break;   // it finished between two kills: the rest of the test holds all the same
            }
            p.Kill();
            p.WaitForExit();
            kills++;
            var data = Checkpoint.Load(killed);   // throws if the kill left no whole checkpoint
            loads++;
            steps.Add((long)data.Sidecar["step"]!);
        }
        Assert.True(kills >= 20, $"only {kills} kills before the run finished");
        Assert.Equal(kills, loads);
        Assert.True(steps.Distinct().Count() > 1, "every kill found the same step: " + string.Join(",", steps));

        var (code, _, err) = CliTests.Run(Train(corpus, killed, resume: true));
        Assert.True(code == 0, err);
        (code, _, err) = CliTests.Run(Train(corpus, whole, resume: false));
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, Checkpoint.TensorsFileName)), File.ReadAllBytes(Path.Combine(killed, Checkpoint.TensorsFileName)));
        string[] Rows(string dir) => File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Select(l => string.Join(',', l.Split(',').Where((_, i) => i != Seconds(dir)))).ToArray();
        Assert.Equal(Rows(whole), Rows(killed));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "samples.md")), File.ReadAllText(Path.Combine(killed, "samples.md")));
    }

    /// <summary>The step model.json records now, or 0 while there is none (read as any reader would, racing the writer).</summary>
    private static long SavedStep(string dir)
    {
        try { return (long?)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, Checkpoint.SidecarFileName)))?["step"] ?? 0; }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidOperationException or FormatException) { return 0; }
    }

    private static int Seconds(string dir) => Array.FindIndex(File.ReadLines(Path.Combine(dir, "metrics.csv")).First().Split(','), c => c.Contains("second", StringComparison.Ordinal) || c.Contains("time", StringComparison.Ordinal));

    public void Dispose() => _dir.Dispose();
}
