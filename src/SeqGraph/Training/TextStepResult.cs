namespace SeqGraph.Training;

/// <summary>The figures of one training step.</summary>
/// <param name="Step">Steps done so far, this one included.</param>
/// <param name="Loss">Mean cross-entropy of the batch (nats).</param>
/// <param name="Accuracy">Share of the batch's T·B next characters predicted right.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="LearningRate">Learning rate used by this step.</param>
public sealed record TextStepResult(int Step, double Loss, double Accuracy, double GradNorm, float LearningRate);
