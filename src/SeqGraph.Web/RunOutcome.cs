namespace SeqGraph.Web;

/// <summary>How a run that returned ended: interrupted (cancelled, its files written) or finished, and its main result in one line.</summary>
/// <param name="Interrupted">Whether the run stopped early on cancellation.</param>
/// <param name="Result">The main result, e.g. <c>test accuracy 0.9873</c>.</param>
/// <param name="Diverged">When a NaN or an infinity stopped the run, its one-line message (the queue shows the run as failed with it); else null.</param>
public sealed record RunOutcome(bool Interrupted, string Result, string? Diverged = null);
