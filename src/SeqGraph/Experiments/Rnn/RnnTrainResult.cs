using SeqGraph.Nn.Recurrent;
using SeqGraph.Training;
using SeqGraph.Experiments;

namespace SeqGraph.Experiments.Rnn;

/// <summary>The figures of an <c>rnn train</c> run (summary.json).</summary>
/// <param name="Model">The model.</param>
/// <param name="Task">The task.</param>
/// <param name="Length">The sequence length T.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Impl">Fused or reference.</param>
/// <param name="Steps">Steps trained.</param>
/// <param name="Converged">True when the stopping rule was met.</param>
/// <param name="StepsToConverge">The step where the window that met the target began (null when not converged).</param>
/// <param name="TrainAccuracy">Mean training accuracy over the last window.</param>
/// <param name="TestAccuracy">Accuracy on the fresh test examples (NaN without test samples).</param>
/// <param name="TestLoss">Mean cross-entropy on them.</param>
/// <param name="Seconds">Training seconds.</param>
/// <param name="StepsPerSecond">Training steps per second.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="Interrupted">True when the run was stopped (Ctrl-C) before its end.</param>
/// <param name="Diverged">Where a NaN or an infinity stopped the run (no model is saved then), or null.</param>
public sealed record RnnTrainResult(
    RecurrentModel Model = default, string Task = "", int Length = 0,
    ulong Seed = 0, RecurrentImpl Impl = default, int Steps = 0,
    bool Converged = false, int? StepsToConverge = null, double TrainAccuracy = 0,
    double TestAccuracy = 0, double TestLoss = 0, double Seconds = 0,
    double StepsPerSecond = 0, long Parameters = 0, bool Interrupted = false, Divergence? Diverged = null) : IDivergingResult
{
    /// <summary>The result of a finished training of <paramref name="c"/>.</summary>
    public static RnnTrainResult From(RnnTrainConfig c, SequenceTrainResult r) => new()
    {
        Model = c.Model, Task = c.Task, Length = c.Length, Seed = c.Seed, Impl = c.Impl,
        Steps = r.Steps, Converged = r.Converged, StepsToConverge = r.StepsToConverge,
        TrainAccuracy = r.TrainAccuracy, TestAccuracy = r.TestAccuracy, TestLoss = r.TestLoss,
        Seconds = Math.Round(r.Seconds, 3), StepsPerSecond = Math.Round(r.Steps / Math.Max(r.Seconds, 1e-9), 2),
        Parameters = r.Parameters, Interrupted = r.Interrupted, Diverged = r.Diverged,
    };
}
