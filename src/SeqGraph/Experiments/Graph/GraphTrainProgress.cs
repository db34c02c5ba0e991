using SeqGraph.Training;

namespace SeqGraph.Experiments.Graph;

/// <summary>What <c>graph train</c> reports: an epoch of seed number <see cref="Run"/> of <see cref="Runs"/>, or that seed's end.</summary>
/// <param name="Run">The seed's position, 1-based.</param>
/// <param name="Runs">Seeds in the run.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Epoch">The epoch just done (null when the seed has finished).</param>
/// <param name="BestValAccuracy">The best validation accuracy of this seed so far.</param>
/// <param name="Finished">The seed's result once it has finished.</param>
/// <param name="Warning">Before the first epoch, one line of <see cref="GraphWarnings"/> (<see cref="Run"/> is then 0).</param>
public sealed record GraphTrainProgress(int Run, int Runs, ulong Seed, EpochMetrics? Epoch, double BestValAccuracy, GraphSeedResult? Finished, string? Warning = null);
