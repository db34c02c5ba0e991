using System.Text.Json;

namespace SeqGraph.Tests;

/// <summary>The <c>seqgraph graph …</c> commands run as a user would.</summary>
public class GraphCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "seqgraph-graphcli-" + Guid.NewGuid().ToString("N"));

    public GraphCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void InspectExample6PrintsTheReadmeMatrixAndFourLayers()
    {
        var (code, output, err) = CliTests.Run("graph", "inspect", "--edges", GraphTests.Example6, "--from", "C", "--to", "E");
        Assert.True(code == 0, err);
        const string tilde = "    A B C D E F\nA [ 1 1 0 0 1 1 ]\nB [ 1 1 0 1 0 0 ]\nC [ 0 0 1 1 0 0 ]\nD [ 0 1 1 1 0 1 ]\nE [ 1 0 0 0 1 0 ]\nF [ 1 0 0 1 0 1 ]\n";
        Assert.Contains("Ã = A + I (adjacency with self-loops)\n" + tilde, output);
        Assert.Contains("C [ 0.000 0.000 0.500 0.354 0.000 0.000 ]", output);     // Â row C: 1/2, 1/√8
        Assert.Contains("C [ 3 2 0 1 4 2 ]", output);                               // hop distances from C
        Assert.Contains("4 layers are needed for information from C to reach E", output);
    }

    [Fact]
    public void InspectJsonGivesMatricesAndLayers()
    {
        var (code, output, _) = CliTests.Run("graph", "inspect", "--edges", GraphTests.Example6, "--from", "A", "--to", "C", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("gcn_layers_needed").GetInt32());
        Assert.Equal("[1,1,0,1,0,0]", root.GetProperty("tilde_adjacency")[1].GetRawText());
        Assert.Equal(0.289, root.GetProperty("normalized_adjacency")[0][1].GetDouble());
    }

    [Fact]
    public void GcnRefusesAttentionHeadsItWouldIgnore()
    {
        var outDir = Path.Combine(_dir, "heads");
        var (code, _, err) = CliTests.Run("graph", "train", "--data", CoraLoaderTests.CoraDir, "--model", "gcn", "--heads", "4", "--out", outDir);
        Assert.Equal(2, code);
        Assert.Equal("seqgraph: error: --heads: only gat has attention heads (a gcn run does not use --heads)", err.Trim());
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void TrainWritesConfigSummaryAndMetrics()
    {
        var outDir = Path.Combine(_dir, "run");
        var (code, output, err) = CliTests.Run("graph", "train", "--data", CoraLoaderTests.CoraDir, "--model", "gcn",
            "--epochs", "30", "--seeds", "0,1", "--out", outDir, "--json");
        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(output);
        var s = summary.RootElement;
        Assert.Equal("gcn", s.GetProperty("model").GetString());
        Assert.Equal("cora", s.GetProperty("dataset").GetString());
        Assert.Equal(2, s.GetProperty("seeds").GetArrayLength());
        Assert.InRange(s.GetProperty("test_accuracy_mean").GetDouble(), 0.6, 1.0);
        Assert.True(s.GetProperty("seconds_per_run").GetDouble() > 0);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(s.GetProperty("test_accuracy_mean").GetDouble(), written.RootElement.GetProperty("test_accuracy_mean").GetDouble());
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "config.json")));
        Assert.Equal(0.01, config.RootElement.GetProperty("lr").GetDouble(), 6);           // the model's default, resolved
        Assert.Equal(16, config.RootElement.GetProperty("hidden").GetInt32());
        var lines = File.ReadAllLines(Path.Combine(outDir, "metrics_seed1.csv"));
        Assert.Equal(31, lines.Length);
        Assert.StartsWith("epoch,train_loss", lines[0]);
        var embedding = File.ReadAllText(Path.Combine(outDir, "embedding.svg"));
        Assert.Equal(2708 + 7, embedding.Split("<circle").Length - 1);                     // every node plus the 7-class legend
        Assert.Contains("validation", File.ReadAllText(Path.Combine(outDir, "accuracy.svg")));
        Assert.Contains("cross-entropy", File.ReadAllText(Path.Combine(outDir, "loss.svg")));
    }

    [Fact]
    public void SeedsAcceptRangesListsAndMixtures()
    {
        Assert.Equal(new ulong[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, SeqGraph.Cli.Commands.GraphCommand.ParseSeeds("0..9"));
        Assert.Equal(new ulong[] { 3, 1, 2 }, SeqGraph.Cli.Commands.GraphCommand.ParseSeeds("3,1,2"));
        Assert.Equal(new ulong[] { 0, 1, 2, 7 }, SeqGraph.Cli.Commands.GraphCommand.ParseSeeds("0..2, 7, 1"));
        Assert.Throws<SeqGraph.Cli.UsageException>(() => SeqGraph.Cli.Commands.GraphCommand.ParseSeeds("a..3"));
        Assert.Throws<SeqGraph.Cli.UsageException>(() => SeqGraph.Cli.Commands.GraphCommand.ParseSeeds("1..2..3"));
    }

    [Theory]
    [InlineData("graph", "train", "--data", "no-such-folder", "--out", "OUT")]
    [InlineData("graph", "train", "--data", "CORA", "--model", "mlp", "--out", "OUT")]
    [InlineData("graph", "train", "--data", "CORA", "--hidden", "-3", "--out", "OUT")]
    [InlineData("graph", "train", "--data", "CORA", "--dropout", "1.5", "--out", "OUT")]
    [InlineData("graph", "train", "--data", "CORA", "--seeds", "5..2", "--out", "OUT")]
    [InlineData("graph", "train", "--data", "CORA", "--out", "/proc/seqgraph-cannot-write-here")]
    [InlineData("graph", "train", "--data", "BROKEN", "--out", "OUT")]
    [InlineData("graph", "inspect", "--edges", "no-such-file.cites")]
    [InlineData("graph", "inspect", "--edges", "EXAMPLE6", "--from", "C", "--to", "Z")]
    public void BadInputGivesOneLineAndExitCode2(params string[] args)
    {
        var broken = Path.Combine(_dir, "broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "x.content"), "a\t1\t0\t1\nb\t1\t1\n");
        File.WriteAllText(Path.Combine(broken, "x.cites"), "a\tb\n");
        args = args.Select(a => a switch
        {
            "CORA" => CoraLoaderTests.CoraDir,
            "BROKEN" => broken,
            "EXAMPLE6" => GraphTests.Example6,
            "OUT" => Path.Combine(_dir, "out"),
            _ => a,
        }).ToArray();
        var (code, output, err) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("seqgraph: error:", lines[0]);
        if (args.Contains(broken)) Assert.Contains("x.content:2", lines[0]);
    }
}
