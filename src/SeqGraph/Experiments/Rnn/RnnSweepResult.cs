using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Rnn;

/// <summary>The figures of an <c>rnn sweep</c> (summary.json): one entry per model and length, and every run.</summary>
public sealed record RnnSweepResult
{
    /// <summary>The task.</summary>
    public string Task { get; init; } = "";

    /// <summary>Runs finished.</summary>
    public int Runs { get; init; }

    /// <summary>Per model and length: the figures over its seeds.</summary>
    public IReadOnlyList<RnnSweepPoint> Results { get; init; } = Array.Empty<RnnSweepPoint>();

    /// <summary>Every finished run, in run order.</summary>
    public IReadOnlyList<RnnTrainResult> Trials { get; init; } = Array.Empty<RnnTrainResult>();

    /// <summary>True when the sweep was stopped before its last run.</summary>
    public bool Interrupted { get; init; }
}

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
