using System.Diagnostics;
using System.Globalization;
using SeqGraph.Experiments.Graph;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Experiments.Text;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>
/// One writer per run folder: every experiment that writes a run folder takes its lock before it
/// writes or deletes anything and releases it when it ends; a second writer, in this process or
/// another, is refused at once naming the holder; a lock left by a killed process is taken.
/// </summary>
public sealed class RunLockTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static void AssertRefused(string dir, Action run)
    {
        var e = Assert.Throws<ConfigException>(run);
        Assert.Equal("--out", e.Option);
        Assert.Matches($@"^--out .*: another seqgraph \(pid {Environment.ProcessId}, holder test, since \d\d:\d\d:\d\d UTC\) is writing this run; wait for it to end or choose another folder$", e.Message);
        // nothing of the earlier run deleted, nothing written
        Assert.Equal(["config.json", "keep.txt"], Directory.GetFiles(dir).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(dir, "config.json")));
    }

    [Fact]
    public void EveryExperimentThatWritesARunFolderIsRefusedWhileAnotherHoldsItAndReleasesItWhenItEnds()
    {
        string dir = _dir.File("run");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), "{}");   // an earlier run, which --force would replace
        File.WriteAllText(Path.Combine(dir, "keep.txt"), "x");
        string corpus = TextCheckpointTests.TinyCorpus(_dir);
        var rnn = new RnnTrainConfig { Hidden = 4, Batch = 4, Steps = 2, TestSamples = 8, Threads = 1 };
        var text = new TextTrainConfig { Corpus = corpus, Seq = 8, Batch = 4, Hidden = 8, Embed = 4, Steps = 2, EvalEvery = 0, Threads = 1 };
        var graph = GraphTrainConfig.For(GraphModel.Gcn, CoraLoaderTests.CoraDir) with { Epochs = 1, Seeds = [0], Threads = 1 };
        string saved = _dir.File("saved");
        TextTraining.Run(text, RunFolder.Create(saved));

        using (RunLock.Take(dir, "holder test"))
        {
            Assert.StartsWith($"--out {dir}: another seqgraph (pid {Environment.ProcessId}, holder test", RunLock.Busy(dir));
            AssertRefused(dir, () => RnnTraining.Run(rnn, RunFolder.Create(dir, replace: true)));
            AssertRefused(dir, () => RnnGradients.Run(new RnnGradientsConfig { Models = [RecurrentModel.Rnn], AfterSteps = 1, Train = rnn }, RunFolder.Create(dir, replace: true)));
            AssertRefused(dir, () => TextTraining.Run(text, RunFolder.Create(dir, replace: true)));
            AssertRefused(dir, () => TextTraining.Resume(saved, c => c with { Steps = 3 }, RunFolder.Create(dir, replace: true)));
            AssertRefused(dir, () => GraphTraining.Run(graph, RunFolder.Create(dir, replace: true)));
        }
        Assert.Null(RunLock.Busy(dir));

        // released when a run ends, in this process too (the dashboard runs one run after another)
        var folder = RunFolder.Create(dir, replace: true);
        RnnTraining.Run(rnn, folder);
        Assert.Null(RunLock.Busy(dir));
        RnnTraining.Run(rnn, RunFolder.Create(dir, replace: true));
        TextTraining.Resume(saved, c => c with { Steps = 3 }, RunFolder.Create(dir, replace: true));   // a resume locks the folder it writes, not the one it reads
        Assert.Null(RunLock.Busy(dir));
        Assert.False(File.Exists(Path.Combine(dir, RunLock.HolderFileName)));
        Assert.True(File.Exists(Path.Combine(dir, "summary.json")));
        // two writers in one process: the second's first write is refused, the first goes on
        var first = RunFolder.Create(dir);
        using (first.Hold("first"))
        {
            first.Start();
            var second = RunFolder.Create(dir);
            using (second.Hold("second"))
                Assert.Contains("(pid " + Environment.ProcessId + ", first, since", Assert.Throws<ConfigException>(() => second.WriteText("x.txt", "")).Message);
            first.WriteText("x.txt", "first");
        }
        Assert.Equal("first", File.ReadAllText(Path.Combine(dir, "x.txt")));
    }

    private static string[] TextTrain(string corpus, int steps, params string[] more) =>
    [
        "text", "train", "--corpus", corpus, "--steps", steps.ToString(CultureInfo.InvariantCulture), "--seq", "10", "--batch", "8",
        "--hidden", "8", "--embed", "4", "--eval-every", "50", "--checkpoint-every", "10", "--threads", "1", "--seed", "7", .. more,
    ];

    private static string[] Rows(string dir)
    {
        var lines = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        int seconds = Array.IndexOf(lines[0].Split(','), "seconds");
        return lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != seconds))).ToArray();
    }

    [Fact]
    public void ASecondWriterIsRefusedAtOnceAndTheFirstRunEqualsALoneOneAndAKilledWritersLockIsTaken()
    {
        string corpus = TextCheckpointTests.TinyCorpus(_dir);
        string busy = _dir.File("busy"), alone = _dir.File("alone");
        // the same run alone, at the same time (its own folder); 4000 steps (~8 s) so the first is still
        // writing while the two refused writers start on a loaded machine (1000 steps now end in ~2 s)
        const int steps = 4000;
        using var lone = CliTests.Start(TextTrain(corpus, steps, "--out", alone));
        using (var p = CliTests.Start(TextTrain(corpus, steps, "--out", busy)))
        {
            CliTests.WaitForLines(Path.Combine(busy, "metrics.csv"), 3);
            Assert.False(p.HasExited, "the first run ended before the second could start: make it longer");
            foreach (var second in new[] { TextTrain(corpus, steps, "--out", busy, "--force"), TextTrain(corpus, steps + 100, "--resume", busy) })
            {
                var clock = Stopwatch.StartNew();
                var (code, _, err) = CliTests.Run(second);
                CliTests.AssertOneErrorLine(code, err, $": another seqgraph (pid {p.Id}, text train, since ");
                Assert.Contains(busy + ":", err);
                Assert.EndsWith("is writing this run; wait for it to end or choose another folder", err.TrimEnd());
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"refused only after {clock.Elapsed}");
            }
            Assert.False(p.HasExited, "the first run ended while the second writers were refused: make it longer");
            Assert.True(p.WaitForExit(120_000));
            Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        }
        Assert.True(lone.WaitForExit(120_000));
        Assert.True(lone.ExitCode == 0, lone.StandardError.ReadToEnd());
        Assert.Equal(Rows(alone), Rows(busy));
        Assert.Equal(1 + steps / 10, Rows(busy).Length);

        // killed while writing: its .lock stays behind, and the next writer takes it at once
        string killed = _dir.File("killed");
        using (var p = CliTests.Start(TextTrain(corpus, 100_000, "--out", killed)))
        {
            CliTests.WaitForLines(Path.Combine(killed, "metrics.csv"), 4);
            Assert.NotNull(RunLock.Busy(killed));
            p.Kill();
            p.WaitForExit();
        }
        Assert.True(File.Exists(Path.Combine(killed, RunLock.FileName)));
        Assert.Null(RunLock.Busy(killed));
        long step = (long)Checkpoint.Load(killed).Sidecar["step"]!;
        var (c, _, e) = CliTests.Run(TextTrain(corpus, (int)step + 5, "--resume", killed));
        Assert.True(c == 0, e);
        Assert.Null(RunLock.Busy(killed));
    }

    public void Dispose() => _dir.Dispose();
}
