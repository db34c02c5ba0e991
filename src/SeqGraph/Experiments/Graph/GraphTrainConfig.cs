using SeqGraph.Training;

namespace SeqGraph.Experiments.Graph;

/// <summary>
/// <c>graph train</c>: a 2-layer GCN or GAT node classifier on a citation graph, trained once per
/// seed with the <see cref="NodeTrainingOptions"/> it inherits (start from
/// <see cref="For"/> to get a model's published defaults).
/// </summary>
public record GraphTrainConfig : NodeTrainingOptions, IExperimentConfig
{
    /// <summary>Folder with &lt;name&gt;.content, the edges (a .cites file, or &lt;name&gt;.csv with a header line) and optionally a .split file (see <see cref="SeqGraph.Data.CitationGraph.Load"/>).</summary>
    public string Data { get; init; } = "";

    /// <summary>One run per seed.</summary>
    public ulong[] Seeds { get; init; } = Enumerable.Range(0, 10).Select(i => (ulong)i).ToArray();

    /// <summary>Row-normalise the features (as the papers do).</summary>
    public bool NormalizeFeatures { get; init; } = true;

    /// <summary>Threads for the engine's kernels during this run (results do not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The published defaults of <paramref name="model"/> for the data in <paramref name="data"/>.</summary>
    public static GraphTrainConfig For(GraphModel model, string data) => WithDefaultsOf(new GraphTrainConfig(), model) with { Data = data };

    /// <summary>
    /// Most bytes the run may need (<c>--max-memory</c>); null: <see cref="MemoryEstimate.DefaultLimit"/>. A limit of the
    /// machine, not a setting of the run, so not in config.json.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long? MaxMemory { get; init; }

    /// <summary>
    /// Throws a <see cref="ConfigException"/> when training on a graph of these sizes would need more
    /// than <see cref="MaxMemory"/> (see <see cref="MemoryEstimate.ForGraph"/>); <see cref="Validate"/>
    /// checks the sizes alone (a graph of one node and one feature), the run again once the data is read.
    /// </summary>
    public void CheckMemory(long nodes, long features, long featureValues, long edges, int classes)
    {
        bool gat = Model == GraphModel.Gat;
        var need = MemoryEstimate.ForGraph(nodes, features, featureValues, edges, classes, Hidden, gat ? Heads : 0, OutputHeads);
        var (option, value) = gat ? MemoryEstimate.Culprit(("--hidden", Hidden, 8), ("--heads", Heads, 8)) : ("--hidden", Hidden);
        need.Check(MaxMemory, option, value);
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) throw new ConfigException("--data", "--data: no folder given");
        if (Seeds is not { Length: > 0 }) throw new ConfigException("--seeds", "--seeds: empty list");
        if (Seeds.Distinct().Count() != Seeds.Length) throw new ConfigException("--seeds", "--seeds: a seed appears twice");
        ConfigException.Positive("--threads", Threads);
        base.Validate();
        if (MaxMemory is <= 0) throw new ConfigException("--max-memory", $"--max-memory must be positive (got {MaxMemory})");
        CheckMemory(1, 1, 1, 1, 2);
    }
}
