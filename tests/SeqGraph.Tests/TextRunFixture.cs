namespace SeqGraph.Tests;

/// <summary>A small text model trained once through the real command, shared by <see cref="TextSampleCliTests"/>.</summary>
public sealed class TextRunFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public TextRunFixture()
    {
        Corpus = TextCheckpointTests.TinyCorpus(_dir);
        Run = _dir.File("run");
        var (code, _, err) = CliTests.Run("text", "train", "--corpus", Corpus, "--out", Run, "--steps", "20", "--seq", "10", "--batch", "8",
            "--hidden", "16", "--embed", "8", "--eval-every", "10");
        if (code != 0) throw new InvalidOperationException("text train failed: " + err);
    }

    public string Corpus { get; }

    public string Run { get; }

    public string File(string name) => _dir.File(name);

    public void Dispose() => _dir.Dispose();
}
