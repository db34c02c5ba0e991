namespace SeqGraph.Experiments.Sweeps;

/// <summary>A sweep's progress: a trial started, moved on, or ended.</summary>
/// <param name="Finished">Trials of this submission that have ended.</param>
/// <param name="Total">Trials this submission runs.</param>
/// <param name="Trial">The trial this report is about.</param>
/// <param name="Step">Its progress inside, while it runs (null when it started or ended).</param>
/// <param name="Ended">How it ended (null while it runs).</param>
public sealed record SweepProgress(int Finished, int Total, SweepTrial Trial, SweepTrialProgress? Step, SweepTrialOutcome? Ended);
