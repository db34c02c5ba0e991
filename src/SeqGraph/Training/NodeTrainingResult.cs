using SeqGraph.Tensors;

namespace SeqGraph.Training;

/// <summary>The outcome of one seeded run.</summary>
public sealed record NodeTrainingResult
{
    /// <summary>The seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Every epoch's figures.</summary>
    public required IReadOnlyList<EpochMetrics> Epochs { get; init; }

    /// <summary>The selected epoch (1-based): best validation accuracy, ties broken by lower validation loss, then by the earlier epoch.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Metrics at <see cref="BestEpoch"/>.</summary>
    public EpochMetrics Best => Epochs[BestEpoch - 1];

    /// <summary>True when patience ended the run before the epoch limit.</summary>
    public required bool StoppedEarly { get; init; }

    /// <summary>Wall-clock seconds of the whole run (training steps and per-epoch evaluation).</summary>
    public required double Seconds { get; init; }

    /// <summary>Hidden-layer node representations [N, hidden] of the selected epoch (evaluation mode).</summary>
    public required Tensor Embedding { get; init; }

    /// <summary>Copies of the model's parameters at <see cref="BestEpoch"/>, by the module's names (<c>conv1.weight</c>, …).</summary>
    public required IReadOnlyDictionary<string, Tensor> BestParameters { get; init; }

    /// <summary>True when cancellation stopped the run before its end (the figures cover the epochs done).</summary>
    public bool Interrupted { get; init; }

    /// <summary>Where a NaN or an infinity stopped the run (that epoch not applied nor listed), or null. With <see cref="BestEpoch"/> 0 there is no selected epoch: <see cref="Best"/>, <see cref="Embedding"/> and <see cref="BestParameters"/> are then unset.</summary>
    public Divergence? Diverged { get; init; }
}
