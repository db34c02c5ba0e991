using SeqGraph.Data;

namespace SeqGraph.Experiments.Text;

/// <summary><c>text eval</c>: loss, bits per character and accuracy of a checkpoint on a text file.</summary>
public sealed record TextEvalConfig : IExperimentConfig
{
    /// <summary>Checkpoint folder.</summary>
    public string Checkpoint { get; init; } = "";

    /// <summary>Text file to score.</summary>
    public string Corpus { get; init; } = "";

    /// <summary>The file's encoding.</summary>
    public TextEncoding Encoding { get; init; } = TextEncoding.Utf8;

    /// <summary>Score a Project Gutenberg header and licence too (by default they are left out).</summary>
    public bool KeepGutenberg { get; init; }

    /// <inheritdoc/>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Checkpoint)) throw new ConfigException("--checkpoint", "--checkpoint: no folder given");
        if (string.IsNullOrWhiteSpace(Corpus)) throw new ConfigException("--corpus", "--corpus: no file given");
    }
}
