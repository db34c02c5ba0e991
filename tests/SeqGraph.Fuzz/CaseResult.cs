namespace SeqGraph.Fuzz;

/// <summary>One case's outcome with what was measured.</summary>
/// <param name="Case">The case.</param>
/// <param name="Outcome">Its class.</param>
/// <param name="Code">Exit code (null: no result).</param>
/// <param name="ErrorLine">The first "seqgraph:" line on stderr, or the first line, for the report.</param>
/// <param name="Why">Why a defect is one (empty otherwise).</param>
/// <param name="Milliseconds">Wall time.</param>
/// <param name="PeakHeapBytes">Highest sampled heap growth over the case's start.</param>
/// <param name="AllocatedBytes">Bytes allocated while it ran.</param>
/// <param name="Stderr">Everything the case wrote on stderr (for --replay).</param>
internal sealed record CaseResult(FuzzCase Case, Outcome Outcome, int? Code, string ErrorLine, string Why, double Milliseconds, long PeakHeapBytes, long AllocatedBytes, string Stderr)
{
    /// <summary>True for the defect classes.</summary>
    public bool IsDefect => Outcome is not (Outcome.Ok or Outcome.Rejected or Outcome.Diverged);
}
