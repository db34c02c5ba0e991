using SeqGraph.Training;

namespace SeqGraph.Experiments.Graph;

/// <summary>The figures of a <c>graph train</c> run over its seeds (summary.json); standard deviations as <see cref="Statistics"/> defines them.</summary>
/// <param name="Model">The model.</param>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="Seeds">The seeds that ran.</param>
/// <param name="TestAccuracyMean">Mean test accuracy at each run's selected epoch; null when no seed finished (the figures below too).</param>
/// <param name="TestAccuracyStd">Its standard deviation over seeds.</param>
/// <param name="ValAccuracyMean">Mean validation accuracy at the selected epochs.</param>
/// <param name="SecondsPerRun">Mean seconds per run.</param>
/// <param name="EpochsPerRun">Mean epochs per run.</param>
/// <param name="Threads">Engine threads.</param>
/// <param name="Runs">One entry per seed.</param>
/// <param name="Interrupted">True when the run was stopped before its last seed finished.</param>
/// <param name="Diverged">Where a NaN or an infinity stopped the run (its message names the seed; that seed is not in <see cref="Runs"/>), or null.</param>
/// <param name="Warnings">What about the graph makes the figures mean less (<see cref="GraphWarnings"/>), one line each.</param>
public sealed record GraphTrainResult(
    GraphModel Model = default, string Dataset = "", ulong[] Seeds = null!,
    double? TestAccuracyMean = null, double? TestAccuracyStd = null, double? ValAccuracyMean = null,
    double? SecondsPerRun = null, double? EpochsPerRun = null, int Threads = 0,
    IReadOnlyList<GraphSeedResult> Runs = null!, bool Interrupted = false, Divergence? Diverged = null,
    IReadOnlyList<string> Warnings = null!) : IDivergingResult
{
    /// <summary>Summarises the seeds' runs.</summary>
    public static GraphTrainResult From(GraphTrainConfig c, string dataset, IReadOnlyList<NodeTrainingResult> runs, bool interrupted)
    {
        var result = new GraphTrainResult
        {
            Model = c.Model, Dataset = dataset, Seeds = runs.Select(r => r.Seed).ToArray(), Threads = c.Threads,
            Runs = runs.Select(GraphSeedResult.From).ToList(), Interrupted = interrupted, Warnings = [],
        };
        if (runs.Count == 0) return result;   // stopped during the first seed: nothing to average
        var (test, testStd) = Statistics.MeanStd(runs.Select(r => (double)r.Best.TestAccuracy));
        return result with
        {
            TestAccuracyMean = Math.Round(test, 4), TestAccuracyStd = Math.Round(testStd, 4),
            ValAccuracyMean = Math.Round(Statistics.MeanStd(runs.Select(r => (double)r.Best.ValAccuracy)).Mean, 4),
            SecondsPerRun = Math.Round(Statistics.MeanStd(runs.Select(r => r.Seconds)).Mean, 4),
            EpochsPerRun = Statistics.MeanStd(runs.Select(r => (double)r.Epochs.Count)).Mean,
        };
    }
}
