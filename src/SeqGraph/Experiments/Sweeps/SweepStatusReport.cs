namespace SeqGraph.Experiments.Sweeps;

/// <summary>What <c>sweep status --json</c> prints: every trial's state, read from the sweep's folder.</summary>
/// <param name="Command">The swept command.</param>
/// <param name="Grid">The grid, as <c>--grid</c> takes it.</param>
/// <param name="Trials">Trials in the grid.</param>
/// <param name="States">How many stand where.</param>
/// <param name="All">Every trial: number, values, state, note.</param>
/// <param name="LastSubmission">The latest submission, if any.</param>
public sealed record SweepStatusReport(string Command, string Grid, int Trials, SweepCounts States,
    IReadOnlyList<SweepTrialNote> All, SweepSubmission? LastSubmission);
