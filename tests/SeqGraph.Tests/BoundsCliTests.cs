using System.Diagnostics;

namespace SeqGraph.Tests;

/// <summary>
/// Issue 15, bounds: sizes refused before anything is allocated, non-regular files refused without
/// being opened, edge lists read strictly — each through the real command, as one error line naming
/// the option or the file, with exit code 2.
/// </summary>
public class BoundsCliTests
{
    /// <summary>Runs the CLI and kills it after <paramref name="seconds"/> (a FIFO read would wait forever).</summary>
    private static (int Code, string Err, TimeSpan Took) RunWithin(int seconds, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var p = CliTests.Start(args);
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(seconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.Fail($"seqgraph {string.Join(' ', args)} did not finish within {seconds} s");
        }
        return (p.ExitCode, stderr.Result, clock.Elapsed);
    }

    private static void AssertRefused(string contains, params string[] args)
    {
        var (code, err, took) = RunWithin(30, args);
        CliTests.AssertOneErrorLine(code, err, contains);
        Assert.DoesNotContain("internal error", err);
        Assert.True(took < TimeSpan.FromSeconds(20), $"took {took}");
    }

    [Theory]
    [InlineData("--hidden 100000: one tensor of this run would hold", "rnn", "train", "--hidden", "100000", "--steps", "1")]
    [InlineData("--layers 64: this run needs about", "rnn", "train", "--layers", "64", "--hidden", "4000", "--steps", "1", "--max-memory", "16G")]
    [InlineData("more than --max-memory 1 GB; use smaller sizes or raise --max-memory", "rnn", "train", "--batch", "100000", "--hidden", "512", "--steps", "1", "--max-memory", "1G")]
    [InlineData("--lengths: more than 10,000 values", "rnn", "sweep", "--lengths", "1:2000000000:1")]
    [InlineData("--lengths: more than 10,000 values", "rnn", "sweep", "--lengths", "2147483640:2147483647:1,1..20000")]
    [InlineData("--hidden 100000: ", "rnn", "gradients", "--hidden", "100000")]
    [InlineData("--length 2000000000: one tensor of this run would hold", "text", "sample", "--checkpoint", "nowhere", "--length", "2000000000")]
    [InlineData("--max-memory: 'lots' is not a size (e.g. 16G, 512M)", "rnn", "train", "--max-memory", "lots")]
    public void SizesBeyondWhatTheRunCanHoldAreRefusedBeforeAllocating(string contains, params string[] args)
    {
        using var dir = new TempDir();
        AssertRefused(contains, args[0] == "text" ? args : [.. args, "--out", dir.File("run")]);
        Assert.False(Directory.Exists(dir.File("run")), "a refused run leaves no folder");
    }

    [Fact]
    public void TextSizesAreRefusedBeforeTheCorpusIsReadAndAHugeVocabularyIsNamedAsTheCorpus()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("c.txt"), string.Concat(Enumerable.Repeat("the quick brown fox. ", 500)));
        AssertRefused("--hidden 20000: this run needs about", "text", "train", "--corpus", dir.File("c.txt"), "--hidden", "20000", "--steps", "1", "--out", dir.File("a"));
        AssertRefused("--seq 20000: this run needs about", "text", "train", "--corpus", dir.File("c.txt"), "--seq", "20000", "--steps", "1", "--max-memory", "2G", "--out", dir.File("b"));
        // 70,000 distinct characters: each is a row of the embedding and of the output layer
        var cjk = new System.Text.StringBuilder();
        for (int c = 0x4E00; cjk.Length < 70_000 * 2; c++) cjk.Append(char.ConvertFromUtf32(c >= 0xD800 ? c + 0x800 : c)).Append(char.ConvertFromUtf32(0x4E00 + c % 50));
        File.WriteAllText(dir.File("cjk.txt"), cjk.ToString());
        AssertRefused($"--corpus {dir.File("cjk.txt")} (", "text", "train", "--corpus", dir.File("cjk.txt"), "--hidden", "16", "--steps", "1", "--max-memory", "200M", "--out", dir.File("c"));
        AssertRefused("distinct characters, each a row of the embedding and the output layer): this run needs about", "text", "train", "--corpus", dir.File("cjk.txt"),
            "--hidden", "16", "--steps", "1", "--max-memory", "200M", "--out", dir.File("c"));
    }

    [Fact]
    public void GatHeadsBeyondMemoryAreRefusedOnceTheGraphIsRead()
    {
        using var dir = new TempDir();
        AssertRefused("--heads 100000: ", "graph", "train", "--data", CoraLoaderTests.CoraDir, "--model", "gat", "--heads", "100000", "--seeds", "0", "--out", dir.File("g"));
    }

    [Fact]
    public void AFolderOrANamedPipeGivenAsAFileIsRefusedAtOnce()
    {
        using var dir = new TempDir();
        string fifo = dir.File("pipe.txt");
        using (var mk = Process.Start("mkfifo", fifo)) mk.WaitForExit();
        Assert.True(File.Exists(fifo));
        // before: opening the pipe for reading waited for a writer forever
        AssertRefused($"{fifo} is not a regular file (a named pipe)", "text", "train", "--corpus", fifo, "--steps", "1", "--out", dir.File("r"));
        AssertRefused($"{fifo} is not a regular file (a named pipe)", "graph", "inspect", "--edges", fifo);
        AssertRefused($"{fifo} is not a regular file (a named pipe)", "import", "--state-dict", fifo, "--out", dir.File("i"));
        Directory.CreateDirectory(dir.File("folder.txt"));
        AssertRefused($"{dir.File("folder.txt")} is a folder, expected a file", "text", "train", "--corpus", dir.File("folder.txt"), "--steps", "1", "--out", dir.File("r2"));
        AssertRefused($"{dir.File("folder.txt")} is a folder, expected a file", "graph", "inspect", "--edges", dir.File("folder.txt"));
        // a checkpoint whose model.json is a pipe
        Directory.CreateDirectory(dir.File("ck"));
        File.WriteAllBytes(dir.File("ck/model.safetensors"), new byte[16]);
        using (var mk = Process.Start("mkfifo", dir.File("ck/model.json"))) mk.WaitForExit();
        AssertRefused("model.json is not a regular file (a named pipe)", "text", "sample", "--checkpoint", dir.File("ck"));
    }

    [Fact]
    public void EdgeListsAreStrictUtf8AndIntegerIdsAreIntegers()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("bad.txt"), [.. "a b\nb c\n"u8, 0xC3, 0x28, .. " a\n"u8]);
        AssertRefused($"{dir.File("bad.txt")}:3: not valid UTF-8 (byte 0xC3 at offset 8)", "graph", "inspect", "--edges", dir.File("bad.txt"));

        // 1, 01 and +1 are one node (as PyTorch Geometric and networkx's nodetype=int read them)
        File.WriteAllText(dir.File("ids.txt"), "1 2\n01 3\n+3 2\n");
        var (code, stdout, err) = CliTests.Run("graph", "inspect", "--edges", dir.File("ids.txt"), "--json");
        Assert.True(code == 0, err);
        var g = System.Text.Json.Nodes.JsonNode.Parse(stdout)!;
        Assert.Equal(["1", "2", "3"], g["nodes"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(3, (int)g["edges"]!);
        // names that are not all integers are strings: 01 and 1 are two nodes
        File.WriteAllText(dir.File("names.txt"), "1 a\n01 a\n");
        (code, stdout, err) = CliTests.Run("graph", "inspect", "--edges", dir.File("names.txt"), "--json");
        Assert.True(code == 0, err);
        Assert.Equal(["01", "1", "a"], System.Text.Json.Nodes.JsonNode.Parse(stdout)!["nodes"]!.AsArray().Select(n => (string)n!));
    }
}
