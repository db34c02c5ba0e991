using SeqGraph.Training;

namespace SeqGraph.Experiments.Rnn;

/// <summary>The figures of an <c>rnn sweep</c> (summary.json): one entry per model and length, and every run.</summary>
/// <param name="Task">The task.</param>
/// <param name="Runs">Runs finished.</param>
/// <param name="Results">Per model and length: the figures over its seeds.</param>
/// <param name="Trials">Every finished run, in run order (a diverged one included, marked <see cref="RnnTrainResult.Diverged"/>).</param>
/// <param name="Interrupted">True when the sweep was stopped before its last run.</param>
/// <param name="Diverged">The first run that diverged (its message names the run), or null; the sweep went on with the others.</param>
public sealed record RnnSweepResult(
    string Task = "", int Runs = 0, IReadOnlyList<RnnSweepPoint> Results = null!,
    IReadOnlyList<RnnTrainResult> Trials = null!, bool Interrupted = false, Divergence? Diverged = null) : IDivergingResult;
