using System.Text.Json.Nodes;
using SeqGraph.IO;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Rnn;

/// <summary>
/// <c>rnn gradients</c>: ‖∂L/∂h(t)‖ for every step t of each model, on one fixed batch, at
/// initialisation and after <see cref="AfterSteps"/> training steps. <see cref="Train"/> gives the
/// task, length, seed and training settings (its model is replaced by each of <see cref="Models"/>;
/// the fused layers are used, which can record ∂L/∂h(t) during back-propagation).
/// </summary>
public sealed record RnnGradientsConfig : IExperimentConfig
{
    /// <summary>The models compared.</summary>
    public RecurrentModel[] Models { get; init; } = { RecurrentModel.Rnn, RecurrentModel.Lstm, RecurrentModel.Gru };

    /// <summary>Training steps before the second measurement (0: at initialisation only).</summary>
    public int AfterSteps { get; init; } = 300;

    /// <summary>Task, length (default 30 here), seed and training settings.</summary>
    public RnnTrainConfig Train { get; init; } = new() { Length = 30 };

    /// <inheritdoc/>
    public void Validate()
    {
        if (Models is not { Length: > 0 }) throw new ConfigException("--models", "--models: empty list");
        ConfigException.NonNegative("--after-steps", AfterSteps);
        ArgumentNullException.ThrowIfNull(Train);
        if (Train.Impl != RecurrentImpl.Fused) throw new ConfigException("--impl", "--impl: rnn gradients measures with the fused layers");
        Train.Validate();
    }

    /// <summary>
    /// The settings of <see cref="Train"/> this experiment does not use: each model replaces the
    /// model, the layers are always fused, and it trains <see cref="AfterSteps"/> steps with no
    /// stopping rule, test or metrics rows.
    /// </summary>
    public static readonly string[] UnusedTrainKeys = { "model", "impl", "steps", "target_accuracy", "window", "test_samples", "log_every" };

    /// <summary>config.json: this config without the settings of <see cref="UnusedTrainKeys"/>, so the file records only what the run used (it reads back as this config).</summary>
    public JsonObject ToRecord()
    {
        var node = (JsonObject)RunJson.ToNode(this);
        var train = (JsonObject)node["train"]!;
        foreach (string key in UnusedTrainKeys) train.Remove(key);
        return node;
    }
}
