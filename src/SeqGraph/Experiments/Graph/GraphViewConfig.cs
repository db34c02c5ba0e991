namespace SeqGraph.Experiments.Graph;

/// <summary>The graph view of a <c>graph train</c> run: which run and seed (the dashboard's graph tab).</summary>
public sealed record GraphViewConfig : IExperimentConfig
{
    /// <summary>The <c>graph train</c> run folder (it holds seed-&lt;k&gt;/model.safetensors and model.json).</summary>
    public string Run { get; init; } = "";

    /// <summary>Which seed's model; null: the lowest seed saved in the run.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Threads for the engine's kernels (results do not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <inheritdoc/>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Run)) throw new ConfigException("--run", "--run: no folder given");
        ConfigException.Positive("--threads", Threads);
    }
}
