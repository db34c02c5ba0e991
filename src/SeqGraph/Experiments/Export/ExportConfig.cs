namespace SeqGraph.Experiments.Export;

/// <summary><c>seqgraph export</c>: a saved model (any checkpoint SeqGraph writes) in another framework's format.</summary>
public sealed record ExportConfig : IExperimentConfig
{
    /// <summary>
    /// The checkpoint: a folder holding model.safetensors and model.json (a text run or its best/,
    /// an rnn train run, a sweep's trial-a sweep's models/&lt;run&gt;/lt;na sweep's models/&lt;run&gt;/gt;/, a graph run's seed-&lt;k&gt;/; a graph run folder
    /// means its lowest seed), or one of those two files.
    /// </summary>
    public string Checkpoint { get; init; } = "";

    /// <summary>The format to write.</summary>
    public ExportFormat Format { get; init; } = ExportFormat.Onnx;

    /// <summary>The file to write; null: model.onnx (ONNX) or pytorch.safetensors (PyTorch) in the checkpoint's folder.</summary>
    public string? Out { get; init; }

    /// <summary>Replace an existing output file.</summary>
    public bool Force { get; init; }

    /// <inheritdoc/>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Checkpoint)) throw new ConfigException("--checkpoint", "--checkpoint: no folder given");
        if (!Enum.IsDefined(Format)) throw new ConfigException("--format", $"--format: unknown format {Format}");
        if (Out is not null && string.IsNullOrWhiteSpace(Out)) throw new ConfigException("--out", "--out: empty file name");
        if (Out is not null && Directory.Exists(Out))
            throw new ConfigException("--out", $"--out: {Out} is a folder; give a file name (e.g. {System.IO.Path.Combine(Out, Format == ExportFormat.Onnx ? "model.onnx" : "pytorch.safetensors")})");
    }
}
