using SeqGraph.Training;

namespace SeqGraph.Experiments.Graph;

/// <summary>One seed's run: the selected epoch (best validation accuracy, ties by lower validation loss, then earlier) and its figures.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="BestEpoch">The selected epoch (1-based).</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="ValAccuracy">Validation accuracy at the selected epoch.</param>
/// <param name="ValLoss">Validation loss there.</param>
/// <param name="TestAccuracy">Test accuracy there.</param>
/// <param name="Seconds">Seconds of the run.</param>
/// <param name="Interrupted">True when cancellation stopped this seed's run.</param>
public sealed record GraphSeedResult(
    ulong Seed = 0, int BestEpoch = 0, int Epochs = 0,
    double ValAccuracy = 0, double ValLoss = 0, double TestAccuracy = 0,
    double Seconds = 0, bool Interrupted = false)
{
    /// <summary>The entry of one finished run.</summary>
    public static GraphSeedResult From(NodeTrainingResult r) => new()
    {
        Seed = r.Seed, BestEpoch = r.BestEpoch, Epochs = r.Epochs.Count, ValAccuracy = r.Best.ValAccuracy,
        ValLoss = Math.Round(r.Best.ValLoss, 5), TestAccuracy = r.Best.TestAccuracy, Seconds = Math.Round(r.Seconds, 4), Interrupted = r.Interrupted,
    };
}
