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

    /// <inheritdoc/>
    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) throw new ConfigException("--data", "--data: no folder given");
        if (Seeds is not { Length: > 0 }) throw new ConfigException("--seeds", "--seeds: empty list");
        if (Seeds.Distinct().Count() != Seeds.Length) throw new ConfigException("--seeds", "--seeds: a seed appears twice");
        ConfigException.Positive("--threads", Threads);
        base.Validate();
    }
}
