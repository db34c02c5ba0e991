using System.Text.Json.Nodes;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Rnn;

/// <summary>
/// <c>rnn sweep</c>: every model × length × seed trained as <see cref="Train"/> says (its model,
/// length and seed are replaced by each point's), with accuracy and steps to converge against
/// length, mean ± standard deviation over the seeds.
/// </summary>
public sealed record RnnSweepConfig : IExperimentConfig
{
    /// <summary>The models, in plot order.</summary>
    public RecurrentModel[] Models { get; init; } = { RecurrentModel.Rnn, RecurrentModel.Lstm };

    /// <summary>The sequence lengths.</summary>
    public int[] Lengths { get; init; } = { 5, 10, 15, 20, 25, 30, 35, 40 };

    /// <summary>The seeds of each point.</summary>
    public ulong[] Seeds { get; init; } = { 0, 1, 2 };

    /// <summary>The training settings shared by every run.</summary>
    public RnnTrainConfig Train { get; init; } = new();

    /// <inheritdoc/>
    public void Validate()
    {
        if (Models is not { Length: > 0 }) throw new ConfigException("--models", "--models: empty list");
        if (Lengths is not { Length: > 0 }) throw new ConfigException("--lengths", "--lengths: empty list");
        if (Seeds is not { Length: > 0 }) throw new ConfigException("--seeds", "--seeds: empty list");
        if ((long)Models.Length * Lengths.Length * Seeds.Length > 100_000) throw new ConfigException("--lengths", "--models × --lengths × --seeds: more than 100,000 runs");
        ArgumentNullException.ThrowIfNull(Train);
        if (Models.Distinct().Count() != Models.Length) throw new ConfigException("--models", "--models: a model appears twice");
        if (Lengths.Distinct().Count() != Lengths.Length) throw new ConfigException("--lengths", "--lengths: a length appears twice");
        if (Seeds.Distinct().Count() != Seeds.Length) throw new ConfigException("--seeds", "--seeds: a seed appears twice");
        // every model at every length, before the first trial runs: sizes and memory differ by model
        // (a bidirectional LSTM needs more than an RNN) and by length
        foreach (var model in Models)
            foreach (int len in Lengths)
            {
                try { Point(model, len, Seeds[0]).Validate(); }
                catch (ConfigException e) when (e.Option == "--length") { throw new ConfigException("--lengths", "--lengths" + e.Message["--length".Length..]); }
            }
        Train.Validate();
    }

    /// <summary>config.json: this config without <see cref="Train"/>'s model, length and seed, which every point replaces (it reads back as this config).</summary>
    public JsonObject ToRecord()
    {
        var node = (JsonObject)RunJson.ToNode(this);
        var train = (JsonObject)node["train"]!;
        foreach (string key in new[] { "model", "length", "seed" }) train.Remove(key);
        return node;
    }

    /// <summary>The settings of one point of the sweep.</summary>
    public RnnTrainConfig Point(RecurrentModel model, int length, ulong seed) => Train with { Model = model, Length = length, Seed = seed };

    /// <summary>Every point in run order: model, then length, then seed.</summary>
    public IEnumerable<RnnTrainConfig> Points() =>
        from m in Models from len in Lengths from s in Seeds select Point(m, len, s);
}
