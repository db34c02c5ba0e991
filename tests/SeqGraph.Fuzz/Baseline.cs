using System.Globalization;
using System.Text;
using SeqGraph.Cli;
using SeqGraph.Random;

namespace SeqGraph.Fuzz;

/// <summary>
/// The valid inputs every mutant starts from, made once per harness run under <c>base/</c> by the
/// real commands: a small corpus, a small graph (content, cites, split), and three tiny trained
/// runs (text train, rnn train, graph train), each a few steps.
/// </summary>
internal sealed class Baseline
{
    private Baseline(string root) => Root = root;

    /// <summary>The folder holding everything below.</summary>
    public string Root { get; }

    /// <summary>The corpus (about 4,000 characters of repeated words).</summary>
    public string Corpus => Path.Combine(Root, "tiny.txt");

    /// <summary>The graph's folder: small.content, small.cites, small.split.</summary>
    public string Data => Path.Combine(Root, "data");

    /// <summary>A text train run of 3 steps (hidden 8, 2 layers).</summary>
    public string TextRun => Path.Combine(Root, "text");

    /// <summary>An rnn train run (lstm, T=3, 3 steps).</summary>
    public string RnnRun => Path.Combine(Root, "rnn");

    /// <summary>A graph train run (gcn, 2 epochs, seed 0).</summary>
    public string GraphRun => Path.Combine(Root, "graph");

    /// <summary>The inputs <see cref="Make"/> left in <paramref name="root"/> (a worker process uses its supervisor's).</summary>
    public static Baseline Open(string root) => Directory.Exists(Path.Combine(root, "text")) ? new Baseline(root)
        : throw new DirectoryNotFoundException($"{root}: no baseline (made by the harness before its cases)");

    /// <summary>Makes the inputs in <paramref name="root"/> (created fresh).</summary>
    public static Baseline Make(string root)
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
        Directory.CreateDirectory(root);
        var b = new Baseline(root);
        File.WriteAllText(b.Corpus, TinyCorpus());
        WriteGraph(b.Data);
        string threads = "1";
        Run("text", "train", "--corpus", b.Corpus, "--steps", "3", "--seq", "8", "--batch", "4", "--hidden", "8", "--embed", "4",
            "--eval-every", "0", "--threads", threads, "--out", b.TextRun);
        Run("rnn", "train", "--model", "lstm", "--length", "3", "--hidden", "4", "--steps", "3", "--batch", "4", "--test-samples", "8",
            "--threads", threads, "--out", b.RnnRun);
        Run("graph", "train", "--data", b.Data, "--epochs", "2", "--seeds", "0", "--hidden", "4", "--threads", threads, "--out", b.GraphRun);
        return b;
    }

    /// <summary>Words drawn with a fixed seed until 4,000 characters (as the tests' tiny corpus).</summary>
    private static string TinyCorpus()
    {
        var words = new[] { "the ", "king ", "had ", "a ", "daughter ", "who ", "was ", "fair.\n", "Once ", "upon ", "time " };
        var rng = new Rng(1);
        var sb = new StringBuilder();
        while (sb.Length < 4000) sb.Append(words[rng.NextInt(words.Length)]);
        return sb.ToString();
    }

    /// <summary>Three classes of six nodes (features: a class indicator and noise), a ring in each class, two bridges, a split file.</summary>
    private static void WriteGraph(string dir)
    {
        Directory.CreateDirectory(dir);
        var content = new StringBuilder();
        var cites = new StringBuilder();
        string[] classes = ["A", "B", "C"];
        for (int c = 0; c < 3; c++)
            for (int k = 0; k < 6; k++)
            {
                var f = new int[5];
                f[c] = 1;
                f[3 + k % 2] = 1;
                content.Append(CultureInfo.InvariantCulture, $"{classes[c]}{k}\t{string.Join('\t', f)}\t{classes[c]}\n");
                cites.Append(CultureInfo.InvariantCulture, $"{classes[c]}{k}\t{classes[c]}{(k + 1) % 6}\n");
            }
        cites.Append("A0\tB0\nB0\tC0\n");
        File.WriteAllText(Path.Combine(dir, "small.content"), content.ToString());
        File.WriteAllText(Path.Combine(dir, "small.cites"), cites.ToString());
        File.WriteAllText(Path.Combine(dir, "small.split"), "train\tA0,A1,A2,B0,B1,B2,C0,C1,C2\nval\tA3,B3,C3\ntest\tA4,B4,C4,A5,B5,C5\n");
    }

    private static void Run(params string[] args)
    {
        var err = new StringWriter();
        CaseConsole.Bind(TextWriter.Null, err);
        int code = CliApp.Run(args);
        if (code != 0) throw new InvalidOperationException($"making the baseline: seqgraph {string.Join(' ', args)} exited {code}: {err}");
    }

    /// <summary>Copies folder <paramref name="from"/> (recursively) to <paramref name="to"/>.</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.EnumerateFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.EnumerateDirectories(from)) Copy(d, Path.Combine(to, Path.GetFileName(d)));
    }
}
