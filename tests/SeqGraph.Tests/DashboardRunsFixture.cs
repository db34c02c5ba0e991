namespace SeqGraph.Tests;

/// <summary>
/// A runs folder made by the real commands, one short run of each kind (rnn train, rnn sweep,
/// rnn gradients, text, graph) plus an interrupted text run, and a folder outside it holding a
/// secret that no request may reach. Shared by the dashboard tests.
/// </summary>
public sealed class DashboardRunsFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public DashboardRunsFixture()
    {
        Runs = _dir.File("runs");
        Outside = _dir.File("outside");
        Directory.CreateDirectory(Runs);
        Directory.CreateDirectory(Outside);
        System.IO.File.WriteAllText(Path.Combine(Outside, "secret.json"), "{\"secret\": \"" + Secret + "\"}");
        string corpus = TextCheckpointTests.TinyCorpus(_dir);
        Cli("rnn", "train", "--length", "5", "--steps", "30", "--hidden", "16", "--test-samples", "200", "--out", Run("rnn"));
        Cli("rnn", "sweep", "--models", "rnn", "--lengths", "4,5", "--seeds", "0", "--steps", "10", "--hidden", "8", "--test-samples", "100", "--out", Run("sweep"));
        Cli("rnn", "gradients", "--models", "rnn", "--length", "5", "--after-steps", "3", "--hidden", "8", "--out", Run("grad"));
        Cli("text", "train", "--corpus", corpus, "--steps", "10", "--seq", "10", "--batch", "8", "--hidden", "8", "--embed", "4", "--eval-every", "5", "--out", Run("text"));
        Cli("graph", "train", "--data", CoraLoaderTests.CoraDir, "--seeds", "0", "--epochs", "5", "--out", Run("group/gcn"));
        using (var p = CliTests.Start("text", "train", "--corpus", corpus, "--out", Run("stopped"), "--steps", "1000000", "--seq", "10", "--batch", "8",
                   "--hidden", "8", "--embed", "4", "--eval-every", "0", "--checkpoint-every", "0"))
        {
            CliTests.WaitForLines(Path.Combine(Run("stopped"), "metrics.csv"), 3);
            CliTests.Interrupt(p);
            if (p.ExitCode != 130) throw new InvalidOperationException($"the interrupted run exited {p.ExitCode}");
        }
        // Links inside the runs folder that point out of it: a folder link and a file link in a real run.
        Directory.CreateSymbolicLink(Path.Combine(Runs, "escape"), Outside);
        System.IO.File.CreateSymbolicLink(Path.Combine(Run("rnn"), "leak.json"), Path.Combine(Outside, "secret.json"));
    }

    /// <summary>What the file outside the runs folder holds; no response may contain it.</summary>
    public const string Secret = "outside-the-runs-folder-7f3a";

    public string Runs { get; }

    public string Outside { get; }

    public string Run(string id) => Path.Combine(Runs, id.Replace('/', Path.DirectorySeparatorChar));

    private static void Cli(params string[] args)
    {
        var (code, _, err) = CliTests.Run(args);
        if (code != 0) throw new InvalidOperationException($"{string.Join(' ', args)} failed: {err}");
    }

    public void Dispose() => _dir.Dispose();
}
