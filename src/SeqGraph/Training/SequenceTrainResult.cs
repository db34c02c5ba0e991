namespace SeqGraph.Training;

/// <summary>How a <see cref="SequenceTrainer.Train"/> run ended.</summary>
/// <param name="Steps">Steps trained.</param>
/// <param name="Converged">True when the stopping rule was met.</param>
/// <param name="StepsToConverge">The step where the window that met the target began, or null.</param>
/// <param name="TrainAccuracy">Mean training accuracy over the last window.</param>
/// <param name="TestAccuracy">Accuracy on fresh examples (NaN with no test samples).</param>
/// <param name="TestLoss">Mean cross-entropy on them.</param>
/// <param name="Seconds">Training seconds (the test not included).</param>
/// <param name="Parameters">Trainable parameters of the model.</param>
/// <param name="Interrupted">True when cancellation stopped the run before its end.</param>
public sealed record SequenceTrainResult(int Steps, bool Converged, int? StepsToConverge, double TrainAccuracy,
    double TestAccuracy, double TestLoss, double Seconds, long Parameters, bool Interrupted = false)
{
    /// <summary>Where the run diverged (its last step's update not applied), or null.</summary>
    public Divergence? Diverged { get; init; }
}
