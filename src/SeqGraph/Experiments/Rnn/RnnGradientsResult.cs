namespace SeqGraph.Experiments.Rnn;

/// <summary>The figures of <c>rnn gradients</c> (summary.json).</summary>
/// <param name="Task">The task.</param>
/// <param name="Length">The task's length T.</param>
/// <param name="InputLength">Input steps per example (the t of ∂L/∂h(t) runs 1..this).</param>
/// <param name="AfterSteps">Training steps between the two measurements.</param>
/// <param name="Models">One entry per model.</param>
/// <param name="Interrupted">True when the run was stopped before every model was measured.</param>
/// <param name="Diverged">The first model whose training diverged (its message names the model), or null; the others were measured.</param>
public sealed record RnnGradientsResult(
    string Task = "", int Length = 0, int InputLength = 0,
    int AfterSteps = 0, IReadOnlyList<RnnGradientNorms> Models = null!, bool Interrupted = false, Training.Divergence? Diverged = null) : IDivergingResult;
