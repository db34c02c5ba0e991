namespace SeqGraph.Experiments.Text;

/// <summary><c>text sample</c>: text generated from a checkpoint, continuing a prompt or a random first character.</summary>
public sealed record TextSampleConfig : IExperimentConfig
{
    /// <summary>Checkpoint folder (model.safetensors + model.json).</summary>
    public string Checkpoint { get; init; } = "";

    /// <summary>Text to continue (null: a random first character per sample).</summary>
    public string? Prompt { get; init; }

    /// <summary>Characters to generate after the prompt.</summary>
    public int Length { get; init; } = 200;

    /// <summary>Logits are divided by this; 0 = greedy.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Draw only among the K most likely characters (0 = all).</summary>
    public int TopK { get; init; }

    /// <summary>Number of samples.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Seed of the random choices.</summary>
    public ulong Seed { get; init; }

    /// <inheritdoc/>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Checkpoint)) throw new ConfigException("--checkpoint", "--checkpoint: no folder given");
        ConfigException.NonNegative("--length", Length);
        ConfigException.Positive("--count", Count);
        if (!(Temperature >= 0) || float.IsInfinity(Temperature)) throw new ConfigException("--temperature", $"--temperature must be 0 or more (got {Temperature})");
        ConfigException.NonNegative("--top-k", TopK);
        if (TopK > 0 && Temperature == 0)
            throw new ConfigException("--top-k", "--top-k: --temperature 0 always takes the most likely character, so top-k has nothing to choose from (give --temperature > 0)");
        if (Prompt is { Length: 0 }) throw new ConfigException("--prompt", "--prompt is empty");
    }
}
