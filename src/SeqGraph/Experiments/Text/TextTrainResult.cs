namespace SeqGraph.Experiments.Text;

/// <summary>The figures of a <c>text train</c> run (summary.json); figures that were not measured (no validation yet) are null.</summary>
/// <param name="Steps">Steps trained in all, a resumed run's earlier steps included.</param>
/// <param name="StepsThisRun">Steps of this process.</param>
/// <param name="Seconds">Training seconds in all.</param>
/// <param name="CharsPerSecond">Training characters per second of this process (training steps only).</param>
/// <param name="TrainLoss">Mean training loss (nats) over the last <see cref="TrainWindow"/> steps.</param>
/// <param name="TrainAccuracy">Mean training accuracy over them.</param>
/// <param name="TrainWindow">Steps averaged for the training figures.</param>
/// <param name="ValLoss">Validation loss (nats per character) of the last validation.</param>
/// <param name="ValBpc">Validation bits per character.</param>
/// <param name="ValAccuracy">Validation accuracy.</param>
/// <param name="ValCharacters">Characters the validation scored.</param>
/// <param name="ValStep">The step of the last validation (null: none ran in this process).</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="BestValBpc">The lowest validation bits per character of the run (its model is in best/).</param>
/// <param name="BestStep">The step of that validation.</param>
/// <param name="Interrupted">True when the run was stopped (Ctrl-C) before its budget; a checkpoint was saved.</param>
/// <param name="Diverged">Where a NaN or an infinity stopped the run (no checkpoint saved after it), or null.</param>
public sealed record TextTrainResult(
    int Steps = 0, int StepsThisRun = 0, double Seconds = 0,
    double CharsPerSecond = 0, double? TrainLoss = null, double? TrainAccuracy = null,
    int TrainWindow = 0, double? ValLoss = null, double? ValBpc = null,
    double? ValAccuracy = null, long ValCharacters = 0, long Parameters = 0,
    bool Interrupted = false, double? BestValBpc = null, int? BestStep = null, int? ValStep = null,
    Training.Divergence? Diverged = null) : IDivergingResult;
