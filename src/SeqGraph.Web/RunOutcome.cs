namespace SeqGraph.Web;

/// <summary>How a run that returned ended: interrupted (cancelled, its files written) or finished, and its main result in one line.</summary>
/// <param name="Interrupted">Whether the run stopped early on cancellation.</param>
/// <param name="Result">The main result, e.g. <c>test accuracy 0.9873</c>.</param>
public sealed record RunOutcome(bool Interrupted, string Result);
