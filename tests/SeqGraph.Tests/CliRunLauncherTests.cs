using System.Text.RegularExpressions;
using SeqGraph.Cli;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>
/// The CLI's launcher for the dashboard: its forms are the commands' own options with the
/// defaults <c>--help</c> prints, a bad value is refused with the very line the real CLI prints,
/// and a run folder is fresh and inside the runs folder.
/// </summary>
public sealed partial class CliRunLauncherTests
{
    private static readonly CliRunLauncher Launcher = new();

    [GeneratedRegex(@"^\s+(?:-\S+, )*(--[a-z][a-z0-9-]*)(?: <[^>]+>)?(?: \(REQUIRED\))?\s{2,}.*?(?:\[default: (.*)\])?$")]
    private static partial Regex HelpLine();

    [Theory]
    [InlineData("rnn train")]
    [InlineData("rnn sweep")]
    [InlineData("graph train")]
    [InlineData("text train")]
    public void AFormHasTheCommandsOptionsWithTheDefaultsItsHelpPrints(string experiment)
    {
        var (code, help, _) = CliTests.Run([.. experiment.Split(' '), "--help"]);
        Assert.Equal(0, code);
        var listed = help.Split('\n').Select(l => HelpLine().Match(l.TrimEnd('\r'))).Where(m => m.Success)
            .Where(m => m.Groups[1].Value is not ("--help" or "--json" or "--verbose"))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Success ? m.Groups[2].Value : null);
        var form = Assert.Single(Launcher.Forms, f => f.Experiment == experiment);
        Assert.Equal(listed.Keys.Order(), form.Fields.Select(f => f.Name).Order());
        // a flag's default is off (help prints none for flags)
        foreach (var field in form.Fields)
            Assert.True(listed[field.Name] == field.Default || field.Kind == "flag" && listed[field.Name] is null && field.Default == "false",
                $"{field.Name}: help says {listed[field.Name]}, the form {field.Default}");
        Assert.Equal(Launcher.Forms.Select(f => f.Experiment), ["rnn train", "rnn sweep", "rnn gradients", "text train", "graph train"]);
    }

    [Fact]
    public void FieldsSayTheirKindAndChoices()
    {
        var fields = Launcher.Forms.Single(f => f.Experiment == "rnn train").Fields.ToDictionary(f => f.Name);
        Assert.Equal("integer", fields["--hidden"].Kind);
        Assert.Equal("number", fields["--lr"].Kind);
        Assert.Equal("flag", fields["--force"].Kind);
        Assert.Equal(["rnn", "lstm", "peephole-lstm", "gru", "bilstm"], fields["--model"].Choices);
        Assert.Null(fields["--input"].Choices);
        Assert.Null(fields["--threads"].Default);
        var graph = Launcher.Forms.Single(f => f.Experiment == "graph train").Fields.ToDictionary(f => f.Name);
        Assert.True(graph["--data"].Required);
        Assert.Equal(["gcn", "gat"], graph["--model"].Choices);
    }

    [Theory]
    [InlineData("--hidden", "abc")]
    [InlineData("--hidden", "0")]
    [InlineData("--lr", "fast")]
    [InlineData("--model", "transformer")]
    public void ABadValueIsRefusedWithTheLineTheCliPrints(string option, string value)
    {
        using var runs = new TempDir();
        var (code, _, err) = CliTests.Run("rnn", "train", option, value, "--out", Path.Combine(runs.Path, "cli"));
        Assert.Equal(2, code);
        var e = Assert.Throws<RunFormException>(() => Launcher.Prepare("rnn train", new Dictionary<string, string> { [option] = value }, runs.Path));
        Assert.Equal(err.Trim(), "seqgraph: error: " + e.Message);
        Assert.Equal(option, e.Option);
        Assert.Empty(Directory.EnumerateFileSystemEntries(runs.Path));
    }

    [Fact]
    public void AnOutFolderOutsideTheRunsFolderIsRefused()
    {
        using var runs = new TempDir();
        using var elsewhere = new TempDir();
        string outside = Path.Combine(elsewhere.Path, "run");
        var e = Assert.Throws<RunFormException>(() => Launcher.Prepare("rnn train", new Dictionary<string, string> { ["--out"] = outside }, runs.Path));
        Assert.Equal("--out", e.Option);
        Assert.StartsWith("--out: ", e.Message);
        Assert.False(Directory.Exists(outside));
        e = Assert.Throws<RunFormException>(() => Launcher.Prepare("rnn train", new Dictionary<string, string> { ["--out"] = Path.Combine(runs.Path, "..", "up") }, runs.Path));
        Assert.Equal("--out", e.Option);
        Assert.Empty(Directory.EnumerateFileSystemEntries(runs.Path));
        Assert.Equal("unknown option '--hiden' for 'seqgraph rnn train' (did you mean '--hidden'?)",
            Assert.Throws<RunFormException>(() => Launcher.Prepare("rnn train", new Dictionary<string, string> { ["--hiden"] = "4" }, runs.Path)).Message);
        Assert.StartsWith("unknown experiment 'rnn fly'", Assert.Throws<RunFormException>(() => Launcher.Prepare("rnn fly", new Dictionary<string, string>(), runs.Path)).Message);
    }

    [Fact]
    public void AnOutFolderThroughALinkInTheRunsFolderIsRefusedAndNothingIsWrittenOutside()
    {
        using var runs = new TempDir();
        using var elsewhere = new TempDir();
        Directory.CreateSymbolicLink(Path.Combine(runs.Path, "escape"), elsewhere.Path);
        File.CreateSymbolicLink(Path.Combine(runs.Path, "dangling"), Path.Combine(elsewhere.Path, "none"));
        File.WriteAllText(Path.Combine(runs.Path, "notes.txt"), "a file");
        foreach (var (given, step) in new[] { ("escape/x", "escape"), (Path.Combine(runs.Path, "escape", "x"), "escape"), ("escape", "escape"), ("dangling", "dangling"), ("notes.txt/x", "notes.txt") })
        {
            var values = new Dictionary<string, string> { ["--out"] = given, ["--hidden"] = "4", ["--steps"] = "2", ["--test-samples"] = "10" };
            var e = Assert.Throws<RunFormException>(() => Launcher.Prepare("rnn train", values, runs.Path));
            Assert.Equal("--out", e.Option);
            Assert.Equal($"--out: {step} in the runs folder is a link or a file, not a folder; give a folder inside the runs folder, or leave --out empty for a fresh one", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere.Path));
        Assert.Equal(["dangling", "escape", "notes.txt"], Directory.EnumerateFileSystemEntries(runs.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ARelativeOutFolderIsTakenInsideTheRunsFolder()
    {
        using var runs = new TempDir();
        var run = Launcher.Prepare("rnn train", new Dictionary<string, string> { ["--out"] = "mine/first" }, runs.Path);
        Assert.Equal(Path.Combine(runs.Path, "mine", "first"), run.Folder);
        Assert.True(Directory.Exists(run.Folder));
        Assert.StartsWith("Run folder inside the runs folder (a relative one is taken there",
            Launcher.Forms.Single(f => f.Experiment == "rnn train").Fields.Single(f => f.Name == "--out").Description);
        Assert.Equal("--out", Assert.Throws<RunFormException>(() => Launcher.Prepare("rnn train", new Dictionary<string, string> { ["--out"] = "../up" }, runs.Path)).Option);
    }

    [Fact]
    public void RunsWithTheSameSettingsGetFreshFoldersInsideTheRunsFolder()
    {
        using var runs = new TempDir();
        var values = new Dictionary<string, string> { ["--hidden"] = "4", ["--steps"] = "3", ["--test-samples"] = "10" };
        var a = Launcher.Prepare("rnn train", values, runs.Path);
        var b = Launcher.Prepare("rnn train", values, runs.Path);
        Assert.NotEqual(a.Folder, b.Folder);
        Assert.Equal(runs.Path, Path.GetDirectoryName(a.Folder));
        Assert.Equal(runs.Path, Path.GetDirectoryName(b.Folder));
        Assert.Equal("rnn-palindrome-rnn-T5-s0", Path.GetFileName(a.Folder));
        var steps = new List<long>();
        var outcome = a.Run(SeqGraph.Experiments.Reporter.Create<RunProgress>(p => steps.Add(p.Done)), CancellationToken.None);
        Assert.False(outcome.Interrupted);
        Assert.Equal(3, steps[^1]);
        Assert.Equal(steps.Order(), steps);
        Assert.True(File.Exists(Path.Combine(a.Folder, "summary.json")));
        var given = Path.Combine(runs.Path, "mine");
        Assert.Equal(given, Launcher.Prepare("rnn train", new Dictionary<string, string> { ["--out"] = given }, runs.Path).Folder);
    }

    [Fact]
    public void EveryFormStartsItsExperimentAndCancelInterruptsIt()
    {
        using var runs = new TempDir();
        string corpus = TextCheckpointTests.TinyCorpus(runs);
        var forms = new (string Experiment, Dictionary<string, string> Values, string Result)[]
        {
            ("rnn sweep", new() { ["--models"] = "rnn", ["--lengths"] = "5", ["--seeds"] = "0", ["--steps"] = "5", ["--hidden"] = "4", ["--test-samples"] = "20" }, "1 trials: 1 done"),
            ("rnn gradients", new() { ["--models"] = "rnn", ["--length"] = "5", ["--after-steps"] = "2", ["--hidden"] = "4" }, "rnn ‖∂L/∂h(1)‖/‖∂L/∂h(T)‖ at init "),
            ("text train", new() { ["--corpus"] = corpus, ["--steps"] = "4", ["--seq"] = "8", ["--batch"] = "4", ["--hidden"] = "8", ["--embed"] = "4", ["--eval-every"] = "2" }, "4 steps; validation "),
            ("graph train", new() { ["--data"] = CoraLoaderTests.CoraDir, ["--seeds"] = "0", ["--epochs"] = "3" }, "1 seed(s); test accuracy "),
        };
        foreach (var (experiment, values, result) in forms)
        {
            var run = Launcher.Prepare(experiment, values, runs.Path);
            var reports = new List<RunProgress>();
            var outcome = run.Run(SeqGraph.Experiments.Reporter.Create<RunProgress>(reports.Add), CancellationToken.None);
            Assert.False(outcome.Interrupted, experiment);
            Assert.StartsWith(result, outcome.Result);
            Assert.NotEmpty(reports);
            Assert.True(File.Exists(Path.Combine(run.Folder, "summary.json")), experiment);
        }
        // cancelled before its first step, a run writes its summary marked interrupted
        var stopped = Launcher.Prepare("rnn train", new Dictionary<string, string> { ["--hidden"] = "4", ["--test-samples"] = "10" }, runs.Path);
        var end = stopped.Run(SeqGraph.Experiments.Reporter.Create<RunProgress>(_ => { }), new CancellationToken(true));
        Assert.True(end.Interrupted);
        Assert.Contains("\"interrupted\": true", File.ReadAllText(Path.Combine(stopped.Folder, "summary.json")));
        var graph = Assert.Throws<RunFormException>(() => Launcher.Prepare("graph train", new Dictionary<string, string>(), runs.Path));
        Assert.Equal("--data", graph.Option);
    }
}
