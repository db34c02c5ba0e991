namespace SeqGraph.Experiments.Text;

/// <summary><c>text eval</c>: loss, bits per character and accuracy of a checkpoint on a text file.</summary>
public sealed record TextEvalConfig : IExperimentConfig
{
    /// <summary>Checkpoint folder.</summary>
    public string Checkpoint { get; init; } = "";

    /// <summary>UTF-8 text file to score.</summary>
    public string Corpus { get; init; } = "";

    /// <inheritdoc/>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Checkpoint)) throw new ConfigException("--checkpoint", "--checkpoint: no folder given");
        if (string.IsNullOrWhiteSpace(Corpus)) throw new ConfigException("--corpus", "--corpus: no file given");
    }
}
