using SeqGraph.Training;

namespace SeqGraph.Experiments.Rnn;

/// <summary>What a sweep reports: a logged step of run <see cref="Run"/> of <see cref="Runs"/>, or that run's end.</summary>
/// <param name="Run">The run, 1-based.</param>
/// <param name="Runs">Runs in the sweep.</param>
/// <param name="Config">The run's settings.</param>
/// <param name="Step">A logged training step (null when the run has just finished).</param>
/// <param name="Finished">The run's result once it has finished.</param>
public sealed record RnnSweepProgress(int Run, int Runs, RnnTrainConfig Config, StepMetrics? Step, RnnTrainResult? Finished);
