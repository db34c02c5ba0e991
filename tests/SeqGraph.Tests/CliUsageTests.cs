using System.Text.Json.Nodes;
using SeqGraph.IO;

namespace SeqGraph.Tests;

/// <summary>CLI-wide behaviour through the real executable: typos, values that do not parse, help, UTF-8 output, unused options.</summary>
public class CliUsageTests
{
    private static string OneErrorLine(params string[] args)
    {
        var (code, stdout, err) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        return lines[0];
    }

    [Theory]
    [InlineData("seqgraph: error: unknown command 'txet' (did you mean 'text'?)", "txet")]
    [InlineData("seqgraph: error: unknown command 'rnn trian' (did you mean 'rnn train'?)", "rnn", "trian")]
    [InlineData("seqgraph: error: unknown command 'graph trian' (did you mean 'graph train'?)", "graph", "trian")]
    [InlineData("seqgraph: error: unknown command 'bench gemn' (did you mean 'bench gemm'?)", "bench", "gemn")]
    [InlineData("seqgraph: error: unknown command 'xyzzy' (choose rnn, bench, graph, text, export, import, serve, sweep)", "xyzzy")]
    [InlineData("seqgraph: error: 'seqgraph rnn' needs a command: train, sweep, gradients, params (see 'seqgraph rnn --help')", "rnn")]
    [InlineData("seqgraph: error: unknown option '--lrr' for 'seqgraph rnn train' (did you mean '--lr'?)", "rnn", "train", "--lrr", "0.1")]
    [InlineData("seqgraph: error: unknown option '--stpes' for 'seqgraph rnn sweep' (did you mean '--steps'?)", "rnn", "sweep", "--stpes", "3")]
    [InlineData("seqgraph: error: unknown option '--colour' for 'seqgraph rnn params' (see 'seqgraph rnn params --help')", "rnn", "params", "--colour")]
    public void TyposNameTheNearestCommandOrOption(string expected, params string[] args) =>
        Assert.Equal(expected, OneErrorLine(args));

    [Theory]
    [InlineData("seqgraph: error: --lr: 'abc' is not a number", "rnn", "train", "--lr", "abc")]
    [InlineData("seqgraph: error: --steps: '1.5' is not an integer", "rnn", "train", "--steps", "1.5")]
    [InlineData("seqgraph: error: --hidden: 99999999999 is too large", "rnn", "sweep", "--hidden", "99999999999")]
    [InlineData("seqgraph: error: --threads: 'two' is not an integer", "bench", "gemm", "--threads", "two")]
    [InlineData("seqgraph: error: --lr: 'fast' is not a number", "graph", "train", "--lr", "fast")]
    [InlineData("seqgraph: error: --seed must be ≥ 0 (got -1)", "text", "sample", "--checkpoint", "x", "--seed", "-1")]
    [InlineData("seqgraph: error: --lr needs a value", "rnn", "train", "--lr")]
    [InlineData("seqgraph: error: --corpus is required (see 'seqgraph bench text --help')", "bench", "text")]
    public void ValuesThatDoNotParseAreDescribedWithoutDotNetTypeNames(string expected, params string[] args)
    {
        string line = OneErrorLine(args);
        Assert.Equal(expected, line);
        Assert.DoesNotContain("System.", line);
    }

    [Fact]
    public void OptionsACommandDoesNotUseAreRejected()
    {
        // rnn gradients trains --after-steps steps with the fused layers: --steps, --impl, … would be ignored
        Assert.Equal("seqgraph: error: unknown option '--steps' for 'seqgraph rnn gradients' (see 'seqgraph rnn gradients --help')",
            OneErrorLine("rnn", "gradients", "--steps", "5"));
        foreach (var option in new[] { "--impl", "--window", "--test-samples", "--target-accuracy", "--log-every" })
            Assert.Contains($"unknown option '{option}'", OneErrorLine("rnn", "gradients", option, "1"));
    }

    [Theory]
    [InlineData("seqgraph: error: --momentum: adam has no momentum term (it applies to sgd and rmsprop)", "rnn", "train", "--optimizer", "adam", "--momentum", "0.9")]
    [InlineData("seqgraph: error: --forget-bias: gru has no forget gate (it applies to lstm, peephole-lstm and bilstm)", "rnn", "train", "--model", "gru", "--forget-bias", "2")]
    [InlineData("seqgraph: error: --forget-bias: rnn and gru have no forget gate (it applies to lstm, peephole-lstm and bilstm)", "rnn", "sweep", "--models", "rnn,gru", "--forget-bias", "default")]
    public void SettingsTheChosenModelOrOptimizerWouldIgnoreAreRejected(string expected, params string[] args) =>
        Assert.Equal(expected, OneErrorLine(args));

    [Fact]
    public void ConfigJsonRecordsOnlyTheSettingsTheRunUsed()
    {
        using var dir = new TempDir();
        var (code, _, err) = CliTests.Run("rnn", "gradients", "--models", "rnn", "--length", "4", "--after-steps", "2", "--hidden", "8", "--batch", "8",
            "--lr", "0.01", "--out", dir.File("grad"));
        Assert.True(code == 0, err);
        var train = JsonNode.Parse(File.ReadAllText(dir.File("grad/config.json")))!["train"]!.AsObject();
        foreach (var unused in new[] { "model", "impl", "steps", "target_accuracy", "window", "test_samples", "log_every" })
            Assert.False(train.ContainsKey(unused), $"gradients config.json records {unused}");
        Assert.Equal(0.01f, (float)train["lr"]!);
        Assert.Equal(4, (int)train["length"]!);

        (code, _, err) = CliTests.Run("rnn", "sweep", "--models", "rnn", "--lengths", "3,4", "--seeds", "0", "--hidden", "8", "--batch", "8",
            "--steps", "2", "--test-samples", "10", "--out", dir.File("sweep"));
        Assert.True(code == 0, err);
        // the sweep records the options given, as typed, and its grid; each trial its own rnn train config
        var sweep = JsonNode.Parse(File.ReadAllText(dir.File("sweep/config.json")))!.AsObject();
        var given = sweep["args"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal(["--hidden", "8", "--batch", "8", "--steps", "2", "--test-samples", "10"], given);
        Assert.Equal(["model", "length", "seed"], sweep["grid"]!.AsArray().Select(a => (string)a!["name"]!));
        var trial = RunJson.Read<SeqGraph.Experiments.Rnn.RnnTrainConfig>(dir.File("sweep/trial-002/config.json"));
        Assert.Equal(4, trial.Length);
        Assert.Equal(2, trial.Steps);
    }

    [Fact]
    public void HelpShowsEachDefaultOnce()
    {
        foreach (var command in new[] { new[] { "rnn", "train" }, new[] { "rnn", "sweep" }, new[] { "rnn", "gradients" }, new[] { "bench", "gemm" },
                     new[] { "bench", "rnn" }, new[] { "bench", "text" }, new[] { "graph", "train" }, new[] { "text", "train" } })
        {
            var (code, stdout, _) = CliTests.Run([.. command, "--help"]);
            Assert.Equal(0, code);
            var threads = stdout.Split('\n').Single(l => l.TrimStart().StartsWith("--threads", StringComparison.Ordinal));
            Assert.EndsWith("Threads for the engine's kernels (default: all cores)", threads.TrimEnd());
            foreach (var line in stdout.Split('\n'))
                Assert.False(line.Contains("(default", StringComparison.Ordinal) && line.Contains("[default:", StringComparison.Ordinal), $"{string.Join(' ', command)}: {line}");
        }
    }

    [Fact]
    public void JsonOnStdoutIsReadableUtf8EvenUnderTheCLocale()
    {
        var (code, stdout, err) = CliTests.RunWithEnvironment(new() { ["LANG"] = "C", ["LC_ALL"] = "C" }, "rnn", "params", "--model", "bilstm", "--json");
        Assert.True(code == 0, err);
        Assert.Contains("\"formula\":\"2·4n(d+n+1) + K(2n+1) with d=10, n=128, K=10\"", stdout);
        Assert.DoesNotContain("\\u", stdout);
    }

    [Fact]
    public void CheckpointSidecarsAreReadableUtf8()
    {
        using var dir = new TempDir();
        var tensors = new Dictionary<string, SeqGraph.Tensors.Tensor> { ["w"] = SeqGraph.Tensors.Tensor.Zeros(2) };
        Checkpoint.Save(dir.File("ck"), tensors, new JsonObject { ["vocabulary_text"] = "é·∂+<" });
        Assert.Contains("\"vocabulary_text\": \"é·∂+<\"", File.ReadAllText(dir.File("ck/model.json")));
        Assert.Equal("é·∂+<", (string)Checkpoint.Load(dir.File("ck")).Sidecar["vocabulary_text"]!);
    }

    [Theory]
    [InlineData("seqgraph: error: --steps is given more than once (see 'seqgraph rnn train --help')", "rnn", "train", "--steps", "1", "--steps", "2")]
    [InlineData("seqgraph: error: --lr is given more than once (see 'seqgraph rnn train --help')", "rnn", "train", "--lr", "0.1", "--lr=0.2")]
    [InlineData("seqgraph: error: --seeds is given more than once (see 'seqgraph graph train --help')", "graph", "train", "--data", "x", "--seeds", "0", "--seeds", "1")]
    public void AnOptionGivenTwiceIsNamed(string expected, params string[] args) =>
        Assert.Equal(expected, OneErrorLine(args));

    [Fact]
    public void OutFoldersThatCannotTakeARunSayWhatTheyAre()
    {
        using var dir = new TempDir();
        string file = dir.File("notes.txt");
        File.WriteAllText(file, "mine");
        Assert.Equal($"seqgraph: error: --out: {file} is a file; give a folder for the run",
            OneErrorLine("rnn", "train", "--steps", "2", "--out", file));
        string mine = dir.File("mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "data.txt"), "mine");
        Assert.Equal($"seqgraph: error: --out: {mine} already holds files (data.txt); choose another folder, or pass --force to write into it (they are kept)",
            OneErrorLine("rnn", "train", "--steps", "2", "--out", mine));
        string corpus = TextCheckpointTests.TinyCorpus(dir), text = dir.File("text");
        Assert.Equal(0, CliTests.Run("text", "train", "--corpus", corpus, "--steps", "2", "--seq", "8", "--batch", "4", "--hidden", "8", "--out", text).Code);
        Assert.EndsWith($"pass --force to replace it, or continue it with --resume {text}",
            OneErrorLine("text", "train", "--corpus", corpus, "--steps", "4", "--out", text));
        Assert.Equal($"seqgraph: error: {dir.Path} is a folder, expected a file", OneErrorLine("text", "train", "--corpus", dir.Path, "--steps", "2"));
        Assert.Equal($"seqgraph: error: '{corpus}' is a file; give the data folder that holds it", OneErrorLine("graph", "train", "--data", corpus));
    }
}
