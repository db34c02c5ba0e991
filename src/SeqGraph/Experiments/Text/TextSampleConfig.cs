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

    /// <summary>
    /// Most bytes the sampling may need (<c>--max-memory</c>); null: <see cref="Training.MemoryEstimate.DefaultLimit"/>.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long? MaxMemory { get; init; }

    /// <summary>
    /// Throws a <see cref="ConfigException"/> when loading the checkpoint (its weights file's size)
    /// and generating <see cref="Count"/> × <see cref="Length"/> characters would need more than
    /// <see cref="MaxMemory"/>; checked before the checkpoint is read.
    /// </summary>
    public void CheckMemory()
    {
        string dir = IO.Checkpoint.FolderOfFile(Checkpoint) ?? Checkpoint;
        var tensors = new FileInfo(Path.Combine(dir, IO.Checkpoint.TensorsFileName));
        long bytes = tensors.Exists ? tensors.Length : 0;
        long characters = (long)Count * (Length + (Prompt?.Length ?? 0));
        var need = Training.MemoryEstimate.ForSampling(bytes, characters) with { LargestTensor = 2.0 * (Length + (Prompt?.Length ?? 0)) };
        if (3.0 * bytes >= 6.0 * characters) need.Check(MaxMemory, "--checkpoint", $"--checkpoint {Checkpoint} ({Training.MemoryEstimate.Show(bytes)} of weights)");
        else if (need.LargestTensor > Array.MaxLength || Count == 1) need.Check(MaxMemory, "--length", Length);
        else need.Check(MaxMemory, "--count", $"--count {Count} × --length {Length}");
    }

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
        if (MaxMemory is <= 0) throw new ConfigException("--max-memory", $"--max-memory must be positive (got {MaxMemory})");
    }
}
