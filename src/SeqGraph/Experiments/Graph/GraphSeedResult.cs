using SeqGraph.Training;

namespace SeqGraph.Experiments.Graph;

/// <summary>One seed's run: the selected epoch (best validation accuracy, ties by lower validation loss, then earlier) and its figures.</summary>
public sealed record GraphSeedResult
{
    /// <summary>The seed.</summary>
    public ulong Seed { get; init; }
    /// <summary>The selected epoch (1-based).</summary>
    public int BestEpoch { get; init; }
    /// <summary>Epochs run.</summary>
    public int Epochs { get; init; }
    /// <summary>Validation accuracy at the selected epoch.</summary>
    public double ValAccuracy { get; init; }
    /// <summary>Validation loss there.</summary>
    public double ValLoss { get; init; }
    /// <summary>Test accuracy there.</summary>
    public double TestAccuracy { get; init; }
    /// <summary>Seconds of the run.</summary>
    public double Seconds { get; init; }
    /// <summary>True when cancellation stopped this seed's run.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The entry of one finished run.</summary>
    public static GraphSeedResult From(NodeTrainingResult r) => new()
    {
        Seed = r.Seed, BestEpoch = r.BestEpoch, Epochs = r.Epochs.Count, ValAccuracy = r.Best.ValAccuracy,
        ValLoss = Math.Round(r.Best.ValLoss, 5), TestAccuracy = r.Best.TestAccuracy, Seconds = Math.Round(r.Seconds, 4), Interrupted = r.Interrupted,
    };
}
