namespace SeqGraph.Experiments.Sweeps;

/// <summary>Progress inside one trial: steps (or epochs, seeds) done of a total.</summary>
/// <param name="Done">Units done.</param>
/// <param name="Total">Units in all (0 when unknown).</param>
/// <param name="Unit">"step", "epoch", "run", ….</param>
public sealed record SweepTrialProgress(long Done, long Total, string Unit);
