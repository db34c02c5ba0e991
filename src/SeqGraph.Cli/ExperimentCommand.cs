using System.CommandLine;
using SeqGraph.IO;
using SeqGraph.Web;

namespace SeqGraph.Cli;

/// <summary>
/// A command that trains, and that the dashboard can start too: <see cref="Plan"/> builds, from a
/// parse of the command's own options, the same checked config and run folder name its action
/// uses, and the call that runs the experiment with the dashboard's progress. The action and
/// <see cref="CliRunLauncher"/> share it, so a value is checked once, the same way.
/// </summary>
internal sealed class ExperimentCommand(string name, string? description) : Command(name, description)
{
    /// <summary>The plan for a parse of this command, with default folders under the given runs folder.</summary>
    public Func<ParseResult, string, LaunchPlan>? Plan { get; set; }
}
