namespace SeqGraph.Tests;

/// <summary>
/// Runs for the graph view's tests, made by the real command on Cora: a GCN run with two seeds
/// (the default epochs, so the view is that of a trained model), a tiny GAT run (2 heads of 4, 3 epochs) and an rnn train run (not a graph run).
/// </summary>
public sealed class GraphViewRunsFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public GraphViewRunsFixture()
    {
        Runs = _dir.File("runs");
        Directory.CreateDirectory(Runs);
        Cli("graph", "train", "--data", CoraLoaderTests.CoraDir, "--seeds", "0,1", "--threads", "2", "--out", Run("gcn"));
        Cli("graph", "train", "--data", CoraLoaderTests.CoraDir, "--model", "gat", "--seeds", "0", "--epochs", "3", "--heads", "2", "--hidden", "4",
            "--threads", "2", "--out", Run("gat"));
        Cli("rnn", "train", "--length", "5", "--steps", "5", "--hidden", "8", "--test-samples", "50", "--out", Run("rnn"));
    }

    /// <summary>The runs folder.</summary>
    public string Runs { get; }

    /// <summary>A scratch folder that is removed with the fixture.</summary>
    internal TempDir Scratch => _dir;

    /// <summary>The folder of run <paramref name="id"/>.</summary>
    public string Run(string id) => Path.Combine(Runs, id);

    /// <summary>Runs the CLI and fails with its error output when it does not succeed.</summary>
    public static void Cli(params string[] args)
    {
        var (code, _, err) = CliTests.Run(args);
        if (code != 0) throw new InvalidOperationException($"{string.Join(' ', args)} failed: {err}");
    }

    public void Dispose() => _dir.Dispose();
}
