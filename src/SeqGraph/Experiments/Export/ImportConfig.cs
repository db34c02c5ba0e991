namespace SeqGraph.Experiments.Export;

/// <summary><c>seqgraph import</c>: a model from another framework as a SeqGraph checkpoint.</summary>
public sealed record ImportConfig : IExperimentConfig
{
    /// <summary>The format read; only <see cref="ExportFormat.Pytorch"/> can be imported.</summary>
    public ExportFormat Format { get; init; } = ExportFormat.Pytorch;

    /// <summary>The state_dict (safetensors) of PyTorch's char-LSTM (embedding, lstm, head).</summary>
    public string StateDict { get; init; } = "";

    /// <summary>Its JSON description; null: the state_dict's name with .json.</summary>
    public string? Description { get; init; }

    /// <summary>The checkpoint folder to write (model.safetensors + model.json).</summary>
    public string Out { get; init; } = "";

    /// <summary>Replace a checkpoint already in <see cref="Out"/>.</summary>
    public bool Force { get; init; }

    /// <summary>The training settings the checkpoint records (the model sizes are the imported ones); null: the defaults of <c>text train</c>.</summary>
    public Training.TextTrainConfig? Train { get; init; }

    /// <inheritdoc/>
    public void Validate()
    {
        if (!Enum.IsDefined(Format)) throw new ConfigException("--format", $"--format: unknown format {Format}");
        if (Format != ExportFormat.Pytorch) throw new ConfigException("--format", $"--format: {Format.ToString().ToLowerInvariant()} models cannot be imported; import reads a PyTorch state_dict (--format pytorch)");
        if (string.IsNullOrWhiteSpace(StateDict)) throw new ConfigException("--state-dict", "--state-dict: no file given");
        if (Description is not null && string.IsNullOrWhiteSpace(Description)) throw new ConfigException("--config", "--config: empty file name");
        if (string.IsNullOrWhiteSpace(Out)) throw new ConfigException("--out", "--out: no folder given");
        if (File.Exists(Out)) throw new ConfigException("--out", $"--out: {Out} is a file; give a folder for the checkpoint");
    }
}
