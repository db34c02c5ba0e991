using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using SeqGraph.Experiments.Text;

namespace SeqGraph.Tests;

/// <summary><c>text sample</c> (streaming, interactive, speed) and <c>text eval</c> (progress) through the real executable, and what a checkpoint path may be.</summary>
public class TextSampleCliTests(TextRunFixture fx) : IClassFixture<TextRunFixture>
{
    [Fact]
    public async Task SampleStreamsTheTextWhileItIsStillSampling()
    {
        // 5 million characters take minutes: before streaming, not one byte came out before all of them were drawn
        using var p = CliTests.Start("text", "sample", "--checkpoint", fx.Run, "--prompt", "the king", "--length", "5000000", "--seed", "4");
        var stderr = p.StandardError.ReadToEndAsync();
        var received = new StringBuilder();
        var buffer = new char[4096];
        bool runningAtFirstChunk = false;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (received.Length < 3000)
            {
                int n = await p.StandardOutput.ReadAsync(buffer, timeout.Token);
                Assert.True(n > 0, "stdout ended early");
                if (received.Length == 0) runningAtFirstChunk = !p.HasExited;
                received.Append(buffer, 0, n);
            }
        }
        Assert.True(runningAtFirstChunk, "the first text arrived only after the process ended");
        Assert.False(p.HasExited);
        CliTests.Interrupt(p, wait: false);
        string rest = await p.StandardOutput.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), "sampling did not stop after SIGINT");
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("seqgraph: interrupted", await stderr);

        // what was streamed is the start of the seeded sample, exactly
        string streamed = received.Append(rest).ToString();
        Assert.StartsWith("the king", streamed);
        int generated = streamed.Length - "the king".Length;
        Assert.True(generated < 5_000_000);
        var expected = TextSampling.Run(new TextSampleConfig { Checkpoint = fx.Run, Prompt = "the king", Length = generated, Seed = 4 });
        Assert.Equal(expected.Samples[0], streamed);
    }

    [Fact]
    public void StreamedSamplesEqualTheJsonSamplesWithTheirSeparators()
    {
        var streamed = CliTests.Run("text", "sample", "--checkpoint", fx.Run, "--length", "3000", "--count", "3", "--seed", "11", "--top-k", "6");
        var json = CliTests.Run("text", "sample", "--checkpoint", fx.Run, "--length", "3000", "--count", "3", "--seed", "11", "--top-k", "6", "--json");
        Assert.True(streamed.Code == 0, streamed.Err);
        Assert.True(json.Code == 0, json.Err);
        var samples = JsonNode.Parse(json.Out)!["samples"]!.AsArray().Select(s => (string)s!).ToArray();
        Assert.Equal(3, samples.Length);
        Assert.All(samples, s => Assert.Equal(3001, s.Length));
        Assert.Equal(string.Join("\n\n----\n", samples) + "\n", streamed.Out);
    }

    [Fact]
    public void JsonSpeedLeavesOutTheWarmUp()
    {
        var (code, output, err) = CliTests.Run("text", "sample", "--checkpoint", fx.Run, "--length", "1500", "--count", "2", "--json");
        Assert.True(code == 0, err);
        var j = JsonNode.Parse(output)!;
        Assert.Equal(1000, (int)j["warmup_characters"]!);
        Assert.True((double)j["warmup_seconds"]! > 0);
        Assert.True((double)j["chars_per_second"]! > 0);
        // too short to time anything after the warm-up: no speed rather than one that is mostly compiling
        var shortRun = CliTests.Run("text", "sample", "--checkpoint", fx.Run, "--length", "300", "--count", "2", "--json");
        var s = JsonNode.Parse(shortRun.Out)!;
        Assert.Null(s["chars_per_second"]);
        Assert.Equal(600, (int)s["warmup_characters"]!);
    }

    [Fact]
    public void JsonSpeedIsTimedAfterTheFirstThousandCharacters()
    {
        var result = TextSampling.Run(new TextSampleConfig { Checkpoint = fx.Run, Length = 1200, Seed = 2 });
        Assert.Equal(TextSampleSession.WarmupCharacters, result.WarmupCharacters);
        Assert.NotNull(result.CharsPerSecond);
        var all = TextSampling.Run(new TextSampleConfig { Checkpoint = fx.Run, Length = 1000, Seed = 2 });
        Assert.Null(all.CharsPerSecond);
        Assert.Equal(1000, all.WarmupCharacters);
        Assert.Equal(result.Samples[0][..1001], all.Samples[0]);
    }

    [Fact]
    public async Task InteractiveContinuesEachLineLikeTheOneShotPromptWithSeedPlusK()
    {
        string[] lines = { "the king", "", "Once upon", "who was" };
        using var p = CliTests.Start("text", "sample", "--checkpoint", fx.Run, "--interactive", "--length", "80", "--seed", "7", "--count", "2");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        foreach (var l in lines) p.StandardInput.Write(l + "\n");
        p.StandardInput.Close();
        string output = await stdout, errors = await stderr;
        Assert.True(p.WaitForExit(60_000));
        Assert.True(p.ExitCode == 0, errors);
        Assert.Equal("", errors);    // no prompt marker when standard input is not a terminal

        // the k-th non-empty line is continued as --prompt LINE --seed 7+k
        var expected = new StringBuilder();
        int k = 0;
        foreach (var l in lines.Where(l => l.Length > 0))
        {
            var one = CliTests.Run("text", "sample", "--checkpoint", fx.Run, "--prompt", l, "--length", "80", "--seed", (7 + k++).ToString(), "--count", "2");
            Assert.Equal(0, one.Code);
            expected.Append(one.Out);
        }
        Assert.Equal(expected.ToString(), output);
        Assert.StartsWith("the king", output);
    }

    [Fact]
    public async Task InteractiveSkipsALineTheModelCannotReadAndGoesOn()
    {
        using var p = CliTests.Start("text", "sample", "--checkpoint", fx.Run, "--interactive", "--length", "20");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write("Zebra\nthe king\n");
        p.StandardInput.Close();
        string output = await stdout, errors = await stderr;
        Assert.True(p.WaitForExit(60_000));
        Assert.Equal(0, p.ExitCode);
        Assert.Equal("seqgraph: line 1: the prompt contains characters the model never saw: 'Z' (U+005A) 'b' (U+0062); skipped\n", errors);
        var one = CliTests.Run("text", "sample", "--checkpoint", fx.Run, "--prompt", "the king", "--length", "20", "--seed", "1");
        Assert.Equal(one.Out, output);

        var both = CliTests.Run("text", "sample", "--checkpoint", fx.Run, "--interactive", "--prompt", "x");
        CliTests.AssertOneErrorLine(both.Code, both.Err, "--interactive");
    }

    [Fact]
    public void EvalShowsProgressOnStderr()
    {
        // 100,000 characters are 13 chunks of 64 streams × 128 steps
        string big = fx.File("big.txt");
        string tiny = System.IO.File.ReadAllText(fx.Corpus);
        var sb = new StringBuilder();
        while (sb.Length < 100_000) sb.Append(tiny);
        System.IO.File.WriteAllText(big, sb.ToString(0, 100_000));
        var (code, output, err) = CliTests.Run("text", "eval", "--checkpoint", fx.Run, "--corpus", big, "--json");
        Assert.True(code == 0, err);
        long scored = (long)JsonNode.Parse(output)!["characters"]!;
        Assert.Equal(99_968, scored);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("eval chars ", StringComparison.Ordinal)).ToArray();
        Assert.True(lines.Length >= 2, err);  // redirected: the first chunk, then a line every 10 s and the end
        Assert.StartsWith("eval chars 8192/99968 ", lines[0]);
        Assert.StartsWith("eval chars 99968/99968 ", lines[^1]);
    }

    [Fact]
    public void EvalReportsEveryChunkThroughTheLibrary()
    {
        var seen = new List<TextEvalProgress>();
        var r = TextEvaluation.Run(new TextEvalConfig { Checkpoint = fx.Run, Corpus = fx.Corpus }, null, SeqGraph.Experiments.Reporter.Create<TextEvalProgress>(seen.Add));
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal(r.Characters, s.Total));
        Assert.Equal(r.Characters, seen[^1].Characters);
        Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First.Characters < pair.Second.Characters));
    }

    [Fact]
    public void ACheckpointFileIsTakenAsItsFolder()
    {
        var folder = CliTests.Run("text", "sample", "--checkpoint", fx.Run, "--prompt", "the king", "--length", "50", "--seed", "3");
        var file = CliTests.Run("text", "sample", "--checkpoint", Path.Combine(fx.Run, "model.safetensors"), "--prompt", "the king", "--length", "50", "--seed", "3");
        Assert.True(file.Code == 0, file.Err);
        Assert.Equal(folder.Out, file.Out);
        var ev = CliTests.Run("text", "eval", "--checkpoint", Path.Combine(fx.Run, "model.json"), "--corpus", fx.Corpus);
        Assert.True(ev.Code == 0, ev.Err);
        Assert.StartsWith("loss ", ev.Out);

        var other = CliTests.Run("text", "sample", "--checkpoint", fx.Corpus);
        CliTests.AssertOneErrorLine(other.Code, other.Err, "is a file, not a checkpoint");
    }

    [Fact]
    public void ARunOfAnotherKindSaysWhatItIs()
    {
        string rnn = fx.File("rnn-run"), gradients = fx.File("grad-run"), graph = fx.File("graph-run");
        Assert.Equal(0, CliTests.Run("rnn", "train", "--length", "4", "--hidden", "8", "--batch", "16", "--steps", "3", "--test-samples", "10", "--out", rnn).Code);
        Assert.Equal(0, CliTests.Run("rnn", "gradients", "--models", "rnn", "--length", "5", "--hidden", "8", "--after-steps", "1", "--out", gradients).Code);
        Assert.Equal(0, CliTests.Run("graph", "train", "--data", CoraLoaderTests.CoraDir, "--epochs", "2", "--seeds", "0", "--out", graph).Code);

        var s = CliTests.Run("text", "sample", "--checkpoint", rnn);
        CliTests.AssertOneErrorLine(s.Code, s.Err, $"{rnn} is an rnn train run, not a text model");
        var e = CliTests.Run("text", "eval", "--checkpoint", gradients, "--corpus", fx.Corpus);
        CliTests.AssertOneErrorLine(e.Code, e.Err, $"{gradients} is an rnn gradients run, not a text model");
        var g = CliTests.Run("text", "sample", "--checkpoint", graph);
        CliTests.AssertOneErrorLine(g.Code, g.Err, $"{graph} is a graph train run, not a text model");
        var resume = CliTests.Run("text", "train", "--resume", rnn, "--steps", "5");
        CliTests.AssertOneErrorLine(resume.Code, resume.Err, $"{rnn} is an rnn train run, not a text model");
    }

    [Fact]
    public void AnEmptyOrMissingFolderSaysSo()
    {
        string empty = fx.File("empty");
        Directory.CreateDirectory(empty);
        var e = CliTests.Run("text", "sample", "--checkpoint", empty);
        CliTests.AssertOneErrorLine(e.Code, e.Err, $"{empty} is empty: there is no checkpoint in it");
        string missing = fx.File("missing");
        var m = CliTests.Run("text", "eval", "--checkpoint", missing, "--corpus", fx.Corpus);
        CliTests.AssertOneErrorLine(m.Code, m.Err, $"{missing} does not exist");
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void ResumeTakesACheckpointFileAndRefusesAMissingFolderWithoutMakingIt()
    {
        string copy = fx.File("resume-copy");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(fx.Run)) System.IO.File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var r = CliTests.Run("text", "train", "--resume", Path.Combine(copy, "model.safetensors"), "--steps", "22");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(22, (int)JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(copy, "summary.json")))!["steps"]!);

        string missing = fx.File("resume-missing");
        var m = CliTests.Run("text", "train", "--resume", missing, "--steps", "5");
        CliTests.AssertOneErrorLine(m.Code, m.Err, $"{missing} does not exist");
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void SettingsTheModelOrSamplerWouldIgnoreAreRefused()
    {
        string run = fx.File("dropout-one-layer");
        var t = CliTests.Run("text", "train", "--corpus", fx.Corpus, "--layers", "1", "--dropout", "0.2", "--steps", "2", "--out", run);
        CliTests.AssertOneErrorLine(t.Code, t.Err, "--dropout: dropout is applied between LSTM layers, and --layers 1 has none");
        Assert.False(Directory.Exists(run));
        var s = CliTests.Run("text", "sample", "--checkpoint", fx.Run, "--temperature", "0", "--top-k", "5");
        CliTests.AssertOneErrorLine(s.Code, s.Err, "--top-k: --temperature 0 always takes the most likely character");
    }

    [Fact]
    public void ResumingFromABestCheckpointTakesItAlongAsTheBest()
    {
        // stopped before its first step, the resumed run validates nothing: best/ can only come from the checkpoint resumed
        string best = Path.Combine(fx.Run, "best"), run = fx.File("from-best");
        int step = (int)JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(best, "model.json")))!["step"]!;
        var result = TextTraining.Resume(best, c => c with { Steps = step + 5 }, SeqGraph.IO.RunFolder.Create(run), null, new CancellationToken(true));
        Assert.True(result.Interrupted);
        Assert.Equal(step, result.BestStep);
        var sidecar = JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(run, "best", "model.json")))!;
        Assert.Equal(step, (int)sidecar["step"]!);

        // through the CLI: a best/ is continued into a new folder only, and --steps must go past the checkpoint
        var into = CliTests.Run("text", "train", "--resume", best, "--steps", (step + 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        CliTests.AssertOneErrorLine(into.Code, into.Err, "is a run's best checkpoint; continue it into a new folder with --out");
        Assert.False(Directory.Exists(Path.Combine(best, "best")));
        var none = CliTests.Run("text", "train", "--resume", best, "--out", fx.File("from-best-2"), "--steps", step.ToString(System.Globalization.CultureInfo.InvariantCulture));
        CliTests.AssertOneErrorLine(none.Code, none.Err, $"--steps: the checkpoint in {best} is already at step {step}; give more");
    }

    [Fact]
    public void ABestCheckpointResumedIntoItsOwnRunWithForceReplacesTheRun()
    {
        // the replaced --out holds the checkpoint being resumed: it is read before the old run is cleared
        string copy = fx.File("force-over-own");
        Directory.CreateDirectory(Path.Combine(copy, "best"));
        foreach (var f in Directory.GetFiles(fx.Run)) System.IO.File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        foreach (var f in Directory.GetFiles(Path.Combine(fx.Run, "best"))) System.IO.File.Copy(f, Path.Combine(copy, "best", Path.GetFileName(f)));
        int step = (int)JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(copy, "best", "model.json")))!["step"]!;
        var r = CliTests.Run("text", "train", "--resume", Path.Combine(copy, "best"), "--out", copy, "--force",
            "--steps", (step + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(step + 2, (int)JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(copy, "summary.json")))!["steps"]!);
        Assert.True(System.IO.File.Exists(Path.Combine(copy, "best", "model.safetensors")));
    }
}
