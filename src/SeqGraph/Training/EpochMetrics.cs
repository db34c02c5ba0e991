namespace SeqGraph.Training;

/// <summary>One epoch: training loss/accuracy (training mode) and validation/test figures (evaluation mode).</summary>
public readonly record struct EpochMetrics(int Epoch, float TrainLoss, float TrainAccuracy, float ValLoss, float ValAccuracy, float TestAccuracy, double Seconds);
