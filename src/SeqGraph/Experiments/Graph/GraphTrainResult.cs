using SeqGraph.Training;

namespace SeqGraph.Experiments.Graph;

/// <summary>The figures of a <c>graph train</c> run over its seeds (summary.json); standard deviations as <see cref="Statistics"/> defines them.</summary>
public sealed record GraphTrainResult
{
    /// <summary>The model.</summary>
    public GraphModel Model { get; init; }

    /// <summary>The dataset's name.</summary>
    public string Dataset { get; init; } = "";

    /// <summary>The seeds that ran.</summary>
    public ulong[] Seeds { get; init; } = Array.Empty<ulong>();

    /// <summary>Mean test accuracy at each run's selected epoch.</summary>
    public double TestAccuracyMean { get; init; }

    /// <summary>Its standard deviation over seeds.</summary>
    public double TestAccuracyStd { get; init; }

    /// <summary>Mean validation accuracy at the selected epochs.</summary>
    public double ValAccuracyMean { get; init; }

    /// <summary>Mean seconds per run.</summary>
    public double SecondsPerRun { get; init; }

    /// <summary>Mean epochs per run.</summary>
    public double EpochsPerRun { get; init; }

    /// <summary>Engine threads.</summary>
    public int Threads { get; init; }

    /// <summary>One entry per seed.</summary>
    public IReadOnlyList<GraphSeedResult> Runs { get; init; } = Array.Empty<GraphSeedResult>();

    /// <summary>True when the run was stopped before its last seed finished.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Summarises the seeds' runs.</summary>
    public static GraphTrainResult From(GraphTrainConfig c, string dataset, IReadOnlyList<NodeTrainingResult> runs, bool interrupted)
    {
        var (test, testStd) = Statistics.MeanStd(runs.Select(r => (double)r.Best.TestAccuracy));
        return new GraphTrainResult
        {
            Model = c.Model, Dataset = dataset, Seeds = runs.Select(r => r.Seed).ToArray(),
            TestAccuracyMean = Math.Round(test, 4), TestAccuracyStd = Math.Round(testStd, 4),
            ValAccuracyMean = Math.Round(Statistics.MeanStd(runs.Select(r => (double)r.Best.ValAccuracy)).Mean, 4),
            SecondsPerRun = Math.Round(Statistics.MeanStd(runs.Select(r => r.Seconds)).Mean, 4),
            EpochsPerRun = Statistics.MeanStd(runs.Select(r => (double)r.Epochs.Count)).Mean,
            Threads = c.Threads,
            Runs = runs.Select(GraphSeedResult.From).ToList(),
            Interrupted = interrupted,
        };
    }
}
