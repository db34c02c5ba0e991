using SeqGraph.IO;
using SeqGraph.Web;

namespace SeqGraph.Cli;

/// <summary>A checked run of an <see cref="ExperimentCommand"/>, before its folder is made.</summary>
/// <param name="Label">Short name of the run.</param>
/// <param name="Dir">Its run folder (--out, or a fresh default under the runs folder).</param>
/// <param name="Force">--force: replace a run in --out.</param>
/// <param name="Reuse">A resumed run writing into its own folder.</param>
/// <param name="Run">Runs the experiment into the folder, reporting progress.</param>
internal sealed record LaunchPlan(string Label, string Dir, bool Force, bool Reuse, Func<RunFolder, IProgress<RunProgress>, CancellationToken, RunOutcome> Run);
