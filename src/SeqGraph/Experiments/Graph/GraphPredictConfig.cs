namespace SeqGraph.Experiments.Graph;

/// <summary><c>graph predict</c>: per-node predictions of a model saved by <c>graph train</c>.</summary>
public sealed record GraphPredictConfig : IExperimentConfig
{
    /// <summary>The <c>graph train</c> run folder (it holds seed-&lt;k&gt;/model.safetensors and model.json).</summary>
    public string Run { get; init; } = "";

    /// <summary>Which seed's model; null: the lowest seed saved in the run.</summary>
    public ulong? Seed { get; init; }

    /// <summary>The data folder to predict on; null: the one the model was trained on.</summary>
    public string? Data { get; init; }

    /// <summary>The CSV file to write; null: predictions.csv in the seed's model folder.</summary>
    public string? Out { get; init; }

    /// <summary>Threads for the engine's kernels (results do not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <inheritdoc/>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Run)) throw new ConfigException("--run", "--run: no folder given");
        if (Data is not null && string.IsNullOrWhiteSpace(Data)) throw new ConfigException("--data", "--data: empty folder name");
        if (Out is not null && string.IsNullOrWhiteSpace(Out)) throw new ConfigException("--out", "--out: empty file name");
        if (Out is not null && Directory.Exists(Out)) throw new ConfigException("--out", $"--out: {Out} is a folder; give a file name for the predictions (e.g. {Path.Combine(Out, "predictions.csv")})");
        ConfigException.Positive("--threads", Threads);
    }
}
