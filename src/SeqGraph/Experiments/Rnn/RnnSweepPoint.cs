using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Rnn;

/// <summary>One model at one length, over seeds (standard deviations as <see cref="Statistics"/> defines them).</summary>
public sealed record RnnSweepPoint
{
    /// <summary>The model.</summary>
    public RecurrentModel Model { get; init; }

    /// <summary>The length.</summary>
    public int Length { get; init; }

    /// <summary>Runs (seeds) finished.</summary>
    public int Runs { get; init; }

    /// <summary>Runs that converged.</summary>
    public int Converged { get; init; }

    /// <summary>Mean test accuracy.</summary>
    public double TestAccuracyMean { get; init; }

    /// <summary>Its standard deviation.</summary>
    public double TestAccuracyStd { get; init; }

    /// <summary>Mean steps to converge over the runs that converged (null if none did).</summary>
    public double? StepsToConvergeMean { get; init; }

    /// <summary>Its standard deviation (null if none converged).</summary>
    public double? StepsToConvergeStd { get; init; }

    /// <summary>Mean training seconds per run.</summary>
    public double SecondsMean { get; init; }

    /// <summary>Summarises the runs of one model and length.</summary>
    public static RnnSweepPoint From(RecurrentModel model, int length, IReadOnlyList<RnnTrainResult> runs)
    {
        var (acc, accStd) = Statistics.MeanStd(runs.Select(r => r.TestAccuracy));
        var (steps, stepsStd) = Statistics.MeanStd(runs.Where(r => r.StepsToConverge is not null).Select(r => (double)r.StepsToConverge!.Value));
        return new RnnSweepPoint
        {
            Model = model, Length = length, Runs = runs.Count, Converged = runs.Count(r => r.Converged),
            TestAccuracyMean = acc, TestAccuracyStd = accStd,
            StepsToConvergeMean = double.IsFinite(steps) ? steps : null, StepsToConvergeStd = double.IsFinite(stepsStd) ? stepsStd : null,
            SecondsMean = Statistics.MeanStd(runs.Select(r => r.Seconds)).Mean,
        };
    }
}
