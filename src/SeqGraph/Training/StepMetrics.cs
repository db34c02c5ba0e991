namespace SeqGraph.Training;

/// <summary>One training step of a sequence classifier.</summary>
/// <param name="Step">Steps done, this one included.</param>
/// <param name="Loss">Mean cross-entropy of the batch.</param>
/// <param name="Accuracy">Share of the batch classified right.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="Seconds">Seconds since training started.</param>
public sealed record StepMetrics(int Step, double Loss, double Accuracy, double GradNorm, double Seconds);
