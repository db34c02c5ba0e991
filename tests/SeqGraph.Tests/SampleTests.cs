using System.Text.RegularExpressions;
using SeqGraph.Experiments.Text;
using SeqGraph.IO;
using SeqGraph.Training;

namespace SeqGraph.Tests;

/// <summary>
/// The projects under samples/ are built with the tests (project references); these run their
/// real executables as a user would and check what they print, and check that every C# block of
/// docs/library.md is code that stands in a sample, so the guide compiles.
/// </summary>
public class SampleTests
{
    /// <summary>The repository's root folder (the one with SeqGraph.slnx).</summary>
    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SeqGraph.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static (int Code, string Out, string Err) RunSample(string name, params string[] args) => CliTests.RunProgram(name, new(), args);

    [Fact]
    public void TheCoupledGateLstmSampleLearnsPalindromesThroughTheLibrarysTrainer()
    {
        var (code, stdout, err) = RunSample("CoupledLstm", "5");
        Assert.True(code == 0, stdout + err);
        var m = Regex.Match(stdout, @"palindromes of 5 digits: converged at step (\d+), test accuracy ([0-9.]+), ([0-9,]+) parameters");
        Assert.True(m.Success, stdout);
        Assert.True(double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) >= 0.99);
        // embedding 10×16, three gates of 48 over 16 inputs and 48 states plus bias, head 48→10
        Assert.Equal($"{10 * 16 + 3 * 48 * (16 + 48 + 1) + 10 * 49:N0}", m.Groups[3].Value);
        Assert.Contains("step 10: loss", stdout);
    }

    [Fact]
    public void TheTextSampleContinuesAPromptFromACheckpoint()
    {
        using var dir = new TempDir();
        string corpus = dir.File("tiny.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("the cat sat on the mat. the dog sat on the log. ", 60)));
        var run = dir.File("run");
        TextTraining.Run(new TextTrainConfig { Corpus = corpus, Seq = 16, Batch = 16, Hidden = 32, Embed = 16, Steps = 150, EvalEvery = 0, Seed = 3, Threads = 1 },
            RunFolder.Create(run));

        var (code, stdout, err) = RunSample("SampleText", run, "the ", "40");
        Assert.True(code == 0, stdout + err);
        var parts = stdout.Split("----\n");
        Assert.Equal(4, parts.Length);                       // greedy, two samples, and the empty tail
        Assert.StartsWith("the ", parts[0]);
        Assert.Equal(4 + 40, parts[0].TrimEnd('\n').Length);
        // the step-by-step loop is the sampler's greedy decoding
        var greedy = TextSampling.Run(new TextSampleConfig { Checkpoint = run, Prompt = "the ", Length = 40, Temperature = 0, Count = 1 });
        Assert.Equal(greedy.Samples[0], parts[0].TrimEnd('\n'));
        Assert.Equal(greedy.Samples[0], SampleText.TextSample.Continue(run, "the ", 40));

        (code, _, err) = RunSample("SampleText");
        Assert.Equal(2, code);
        Assert.StartsWith("usage:", err);
    }

    [Fact]
    public void TheExperimentsSampleRunsEveryExperimentFromCode()
    {
        using var dir = new TempDir();
        string data = Path.GetFullPath(Path.Combine(CoraLoaderTests.CoraDir, "..", ".."));
        var (code, stdout, err) = RunSample("Experiments", data, dir.Path);
        Assert.True(code == 0, stdout + err);
        Assert.Contains("gradient check passed", stdout);
        Assert.Matches(@"rnn train: converged True, test accuracy (0\.99|1\.0)", stdout);
        Assert.Matches(@"Lstm T=5: [01]\.\d{3} ± \d\.\d{3}", stdout);
        Assert.Matches(@"Rnn: ‖∂L/∂h\(1\)‖ / ‖∂L/∂h\(T\)‖ = [0-9.E+-]+ at init", stdout);
        Assert.Matches(@"GCN: test accuracy (7[5-9]|8\d)\.\d %", stdout);
        Assert.Contains("4 GCN layers carry information from C to E", stdout);
        Assert.Matches(@"100 steps, validation [0-9.]+ bits/char; whole file [0-9.]+ bits/char", stdout);
        foreach (var f in new[] { "rnn/summary.json", "rnn/loss.svg", "text/model.safetensors", "text/samples.md", "text/summary.json" })
            Assert.True(File.Exists(dir.File(f)), $"missing {f}");
    }

    [Fact]
    public void EveryCodeBlockOfTheLibraryGuideAndThePackageReadmeStandsInASample()
    {
        string root = RepoRoot();
        string guide = File.ReadAllText(Path.Combine(root, "docs", "library.md")) + File.ReadAllText(Path.Combine(root, "src", "SeqGraph", "README.md"));
        var sources = Directory.EnumerateFiles(Path.Combine(root, "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => Normalize(File.ReadAllText(f))).ToList();
        var blocks = Regex.Matches(guide, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 10, $"only {blocks.Count} C# blocks in docs/library.md and the package readme");
        foreach (var block in blocks)
        {
            string code = Normalize(block);
            Assert.True(sources.Any(s => s.Contains(code, StringComparison.Ordinal)), $"docs/library.md has code that no sample contains:\n{block}");
        }
    }

    // Whitespace-insensitive, so the guide may indent differently.
    private static string Normalize(string code) => Regex.Replace(code, @"\s+", " ").Trim();
}
