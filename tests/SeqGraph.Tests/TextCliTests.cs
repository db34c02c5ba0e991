namespace SeqGraph.Tests;

/// <summary>The text commands through the real executable.</summary>
public class TextCliTests
{
    private static void AssertOneErrorLine(int code, string err, string contains)
    {
        Assert.Equal(2, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("seqgraph: error:", lines[0]);
        Assert.Contains(contains, lines[0]);
    }

    [Fact]
    public void TrainSampleEvalAndErrors()
    {
        using var dir = new TempDir();
        string corpus = TextCheckpointTests.TinyCorpus(dir);
        string run = dir.File("run");
        var (code, output, err) = CliTests.Run("text", "train", "--corpus", corpus, "--out", run, "--steps", "20", "--seq", "10", "--batch", "8",
            "--hidden", "16", "--embed", "8", "--eval-every", "10", "--json");
        Assert.True(code == 0, err);
        var summary = System.Text.Json.Nodes.JsonNode.Parse(output)!;
        Assert.Equal(20, (int)summary["steps"]!);
        Assert.True((double)summary["val_bpc"]! > 0);
        foreach (var f in new[] { "config.json", "metrics.csv", "summary.json", "samples.md", "loss.svg", "accuracy.svg", "model.safetensors", "model.json" })
            Assert.True(File.Exists(Path.Combine(run, f)), f);

        var g1 = CliTests.Run("text", "sample", "--checkpoint", run, "--prompt", "the king", "--length", "40", "--temperature", "0", "--count", "1");
        var g2 = CliTests.Run("text", "sample", "--checkpoint", run, "--prompt", "the king", "--length", "40", "--temperature", "0", "--count", "1", "--seed", "9");
        Assert.Equal(0, g1.Code);
        Assert.StartsWith("the king", g1.Out);
        Assert.Equal(g1.Out, g2.Out);
        Assert.Equal("the king".Length + 40, g1.Out.TrimEnd('\n').Length);
        // --prompt - reads the prompt from standard input (its final line break dropped); --count defaults to 1
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "SeqGraph.Cli.dll"), "text", "sample", "--checkpoint", run, "--prompt", "-", "--length", "40", "--temperature", "0" })
            psi.ArgumentList.Add(a);
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            p.StandardInput.Write("the king\n");
            p.StandardInput.Close();
            string piped = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            Assert.Equal(g1.Out, piped);
        }

        var s1 = CliTests.Run("text", "sample", "--checkpoint", run, "--length", "60", "--count", "2", "--seed", "3", "--top-k", "5");
        var s2 = CliTests.Run("text", "sample", "--checkpoint", run, "--length", "60", "--count", "2", "--seed", "3", "--top-k", "5");
        Assert.Equal(0, s1.Code);
        Assert.Equal(s1.Out, s2.Out);

        File.WriteAllText(dir.File("other.txt"), "the king had a Zera\n");
        var ev = CliTests.Run("text", "eval", "--checkpoint", run, "--corpus", dir.File("other.txt"), "--json");
        Assert.True(ev.Code == 0, ev.Err);
        var evj = System.Text.Json.Nodes.JsonNode.Parse(ev.Out)!;
        Assert.Equal(1, (int)evj["unknown_characters"]!);

        // on resume, an option that contradicts the checkpoint is an error naming it (the same value is fine)
        var r1 = CliTests.Run("text", "train", "--resume", run, "--hidden", "64", "--steps", "25");
        AssertOneErrorLine(r1.Code, r1.Err, "--hidden: the checkpoint in");
        Assert.Contains("was trained with 16, not 64", r1.Err);
        var r2 = CliTests.Run("text", "train", "--resume", run, "--lr-decay", "0.5", "--steps", "25");
        AssertOneErrorLine(r2.Code, r2.Err, "--lr-decay:");
        var r3 = CliTests.Run("text", "train", "--resume", run, "--hidden", "16", "--steps", "22", "--json");
        Assert.True(r3.Code == 0, r3.Err);
        Assert.Equal(22, (int)System.Text.Json.Nodes.JsonNode.Parse(r3.Out)!["steps"]!);

        var e1 = CliTests.Run("text", "sample", "--checkpoint", run, "--prompt", "Zebra");
        AssertOneErrorLine(e1.Code, e1.Err, "never saw");
        File.WriteAllBytes(dir.File("bad.txt"), new byte[] { 0x61, 0x62, 0xFF, 0x63 });
        var e2 = CliTests.Run("text", "train", "--corpus", dir.File("bad.txt"), "--out", dir.File("r2"), "--steps", "1");
        AssertOneErrorLine(e2.Code, e2.Err, "invalid UTF-8 at byte offset 2");
        var e3 = CliTests.Run("text", "train", "--corpus", dir.File("missing.txt"), "--out", dir.File("r3"), "--steps", "1");
        AssertOneErrorLine(e3.Code, e3.Err, "missing.txt");
        var st = Path.Combine(run, "model.safetensors");
        File.WriteAllBytes(st, File.ReadAllBytes(st)[..^8]);
        var e4 = CliTests.Run("text", "sample", "--checkpoint", run);
        AssertOneErrorLine(e4.Code, e4.Err, "model.safetensors");
        var e5 = CliTests.Run("text", "train", "--corpus", corpus, "--out", dir.File("r5"), "--seq", "0");
        AssertOneErrorLine(e5.Code, e5.Err, "--seq");
    }
}
