namespace SeqGraph.Experiments.Sweeps;

/// <summary>How one trial's run ended, as an <see cref="ISweepTrialRunner"/> tells it.</summary>
/// <param name="State">Done, diverged, interrupted or failed.</param>
/// <param name="ExitCode">The exit code the command line gives that ending (0, 1, 2, 3, 130).</param>
/// <param name="Message">One line: the outcome, or the error.</param>
public sealed record SweepTrialOutcome(TrialState State, int ExitCode, string Message);
