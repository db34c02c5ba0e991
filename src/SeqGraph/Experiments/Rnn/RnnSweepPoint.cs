using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Rnn;

/// <summary>One model at one length, over seeds (standard deviations as <see cref="Statistics"/> defines them).</summary>
/// <param name="Model">The model.</param>
/// <param name="Length">The length.</param>
/// <param name="Runs">Runs (seeds) finished, diverged ones included.</param>
/// <param name="Converged">Runs that converged.</param>
/// <param name="TestAccuracyMean">Mean test accuracy of the runs that did not diverge (NaN when all did).</param>
/// <param name="TestAccuracyStd">Its standard deviation.</param>
/// <param name="StepsToConvergeMean">Mean steps to converge over the runs that converged (null if none did).</param>
/// <param name="StepsToConvergeStd">Its standard deviation (null if none converged).</param>
/// <param name="SecondsMean">Mean training seconds per run.</param>
/// <param name="Diverged">Runs that diverged (left out of the test figures).</param>
public sealed record RnnSweepPoint(
    RecurrentModel Model = default, int Length = 0, int Runs = 0,
    int Converged = 0, double TestAccuracyMean = 0, double TestAccuracyStd = 0,
    double? StepsToConvergeMean = null, double? StepsToConvergeStd = null, double SecondsMean = 0, int Diverged = 0)
{
    /// <summary>Summarises the runs of one model and length.</summary>
    public static RnnSweepPoint From(RecurrentModel model, int length, IReadOnlyList<RnnTrainResult> runs)
    {
        var (acc, accStd) = Statistics.MeanStd(runs.Where(r => r.Diverged is null).Select(r => r.TestAccuracy));
        var (steps, stepsStd) = Statistics.MeanStd(runs.Where(r => r.StepsToConverge is not null).Select(r => (double)r.StepsToConverge!.Value));
        return new RnnSweepPoint
        {
            Model = model, Length = length, Runs = runs.Count, Converged = runs.Count(r => r.Converged),
            TestAccuracyMean = acc, TestAccuracyStd = accStd,
            StepsToConvergeMean = double.IsFinite(steps) ? steps : null, StepsToConvergeStd = double.IsFinite(stepsStd) ? stepsStd : null,
            SecondsMean = Statistics.MeanStd(runs.Select(r => r.Seconds)).Mean, Diverged = runs.Count(r => r.Diverged is not null),
        };
    }
}
