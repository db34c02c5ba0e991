namespace SeqGraph.Autograd;

/// <summary>The worst disagreement found by <see cref="GradCheck"/>.</summary>
/// <param name="MaxAbsError">Largest |analytic − numeric| over all checked elements.</param>
/// <param name="MaxRelError">Largest |analytic − numeric| / max(|analytic|, |numeric|, floor).</param>
/// <param name="Worst">Where the largest scaled error occurred ("input 0, element 5").</param>
/// <param name="Checked">How many elements were checked.</param>
public sealed record GradCheckResult(double MaxAbsError, double MaxRelError, string Worst, int Checked)
{
    /// <summary>True when every element satisfies |a − n| ≤ atol + rtol·|n|.</summary>
    public bool Passed { get; init; }
}
