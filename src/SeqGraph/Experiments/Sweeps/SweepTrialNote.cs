namespace SeqGraph.Experiments.Sweeps;

/// <summary>A trial that is not simply done, for the summary and <c>sweep status</c>: which, and why.</summary>
/// <param name="Trial">Its number.</param>
/// <param name="Values">Its grid values ("model=rnn length=5 seed=0").</param>
/// <param name="State">Its state.</param>
/// <param name="Note">The error line, the outcome, or who runs it.</param>
/// <param name="ExitCode">The exit code of its last attempt, when one ended (its trial.json).</param>
public sealed record SweepTrialNote(int Trial, string Values, TrialState State, string Note, int? ExitCode = null);
