using SeqGraph.Tensors;

namespace SeqGraph.Optim;

/// <summary>
/// A snapshot of an <see cref="Optimizer"/>'s state, for checkpoints. Everything is keyed by the
/// parameter names passed to <see cref="Optimizer.ExportState"/>, in PyTorch's vocabulary:
/// <list type="bullet">
/// <item><see cref="Tensors"/>: per-parameter buffers named <c>{buffer}.{paramName}</c>, e.g.
/// <c>exp_avg.encoder.weight</c>, <c>exp_avg_sq.encoder.weight</c>, <c>momentum_buffer.encoder.weight</c>.
/// Only buffers that exist are present (a parameter that never received a gradient has none).</item>
/// <item><see cref="Scalars"/>: <c>step_count</c> (calls to <see cref="Optimizer.Step"/>),
/// <c>lr</c> (the current learning rate) and <c>step.{paramName}</c> (how many updates that
/// parameter has received; absent when zero). Every value is an integer or a float32 widened to
/// double, so it round-trips exactly.</item>
/// </list>
/// The tensors are copies: later optimizer steps do not change a snapshot, and loading a snapshot
/// copies it in.
/// </summary>
/// <param name="Tensors">Per-parameter buffers, keyed <c>{buffer}.{paramName}</c>.</param>
/// <param name="Scalars">Counters and the learning rate.</param>
public sealed record OptimizerState(
    IReadOnlyDictionary<string, Tensor> Tensors,
    IReadOnlyDictionary<string, double> Scalars)
{
    /// <summary>Key of the number of <see cref="Optimizer.Step"/> calls in <see cref="Scalars"/>.</summary>
    public const string StepCountKey = "step_count";

    /// <summary>Key of the learning rate in <see cref="Scalars"/>.</summary>
    public const string LearningRateKey = "lr";

    /// <summary>Prefix of the per-parameter update counters in <see cref="Scalars"/> (<c>step.{paramName}</c>).</summary>
    public const string ParamStepPrefix = "step.";
}
