using SeqGraph.Training;

namespace SeqGraph.Experiments.Sweeps;

/// <summary>
/// A sweep's summary.json (what <c>sweep</c>, <c>sweep collect</c> and the collect job write): how
/// many trials stand where, which are not done and why, and the chart points. The figures of each
/// trial are in results.csv (one row per finished trial) and its own folder.
/// </summary>
/// <param name="Command">The swept command.</param>
/// <param name="Grid">The grid, as <c>--grid</c> takes it.</param>
/// <param name="Trials">Trials in the grid.</param>
/// <param name="States">How many stand where.</param>
/// <param name="NotDone">Every trial that is not done: number, values, state, why.</param>
/// <param name="Points">The charts' points (mean ± std over seeds).</param>
/// <param name="Submission">The submission this call made (null for <c>sweep collect</c>).</param>
/// <param name="Interrupted">True when this call was stopped (Ctrl-C, SIGTERM) before its trials ended.</param>
/// <param name="Diverged">The first diverged trial's divergence, its message naming the trial (the sweep went on with the others).</param>
public sealed record SweepResult(
    string Command = "", string Grid = "", int Trials = 0, SweepCounts States = null!,
    IReadOnlyList<SweepTrialNote> NotDone = null!, IReadOnlyList<SweepPoint> Points = null!,
    SweepSubmission? Submission = null, bool Interrupted = false, Divergence? Diverged = null) : IDivergingResult
{
    /// <summary>True when every trial finished (done or diverged).</summary>
    public bool Complete => States.Done + States.Diverged == Trials;
}
