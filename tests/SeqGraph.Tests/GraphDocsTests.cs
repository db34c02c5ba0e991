using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SeqGraph.Tests;

/// <summary>docs/graphs.md's own-graph example, run as written: its output is what the commands print.</summary>
public class GraphDocsTests
{
    [Fact]
    public async Task OwnGraphExampleInTheDocsPrintsWhatTheDocsShow()
    {
        string doc = File.ReadAllText(Path.Combine(GraphTests.RepoRoot(), "docs", "graphs.md"));
        int at = doc.IndexOf("### Your own graph, step by step", StringComparison.Ordinal);
        Assert.True(at >= 0, "the example's heading is missing");
        var blocks = Regex.Matches(doc[at..], "```(bash)?\n(.*?)```", RegexOptions.Singleline);
        string script = blocks[0].Groups[2].Value, shown = blocks[1].Groups[2].Value;
        using var dir = new TempDir();
        string cli = Path.Combine(AppContext.BaseDirectory, "SeqGraph.Cli.dll");
        File.WriteAllText(dir.File("example.sh"), $"set -e\nseqgraph() {{ echo \"$ seqgraph $*\"; dotnet '{cli}' \"$@\" 2>/dev/null; }}\n"
            + script.Replace("cat runs/", "echo \"$ cat runs/toy/seed-0/predictions.csv\"; cat runs/", StringComparison.Ordinal));
        var psi = new ProcessStartInfo("bash", "example.sh") { WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        // Seconds are wall-clock time; everything else must match to the character.
        static string Mask(string s) => Regex.Replace(s, @"\d+\.\d\d( s per run| +│\n)", "#.##$1");
        Assert.Equal(Mask(shown), Mask(await stdout));
    }
}
