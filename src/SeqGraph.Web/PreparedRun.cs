namespace SeqGraph.Web;

/// <summary>
/// A run checked and ready to start: its label, its run folder (already created, so a second run
/// prepared with the same settings gets a fresh name), and the call that runs the library's
/// experiment with progress and cancellation. A cancelled run stops after its current step and
/// writes what it has, marked interrupted.
/// </summary>
/// <param name="Label">A short name for the queue, e.g. <c>lstm palindrome T=5</c>.</param>
/// <param name="Folder">The run folder, a full path under the runs folder.</param>
/// <param name="Run">Runs the experiment on the calling thread and returns how it ended.</param>
public sealed record PreparedRun(string Label, string Folder, Func<IProgress<RunProgress>, CancellationToken, RunOutcome> Run);
