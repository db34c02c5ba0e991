namespace SeqGraph.Web;

/// <summary>
/// What the dashboard needs to start runs: the forms of the experiments it can start and, for a
/// filled form, a run prepared exactly as the command line would prepare it. The CLI implements it
/// (it owns option parsing and validation), so a bad value gets the same line on the page as on
/// the command line; the dashboard only maps the page's inputs to it.
/// </summary>
public interface IRunLauncher
{
    /// <summary>One form per experiment that can be started, in the order the page offers them.</summary>
    IReadOnlyList<RunForm> Forms { get; }

    /// <summary>
    /// Checks <paramref name="values"/> (option name → value as typed; an empty value means the
    /// default) for <paramref name="experiment"/> and prepares its run folder under
    /// <paramref name="runsRoot"/>. Throws <see cref="RunFormException"/> naming the option and
    /// carrying the command line's one-line message when a value is refused.
    /// </summary>
    PreparedRun Prepare(string experiment, IReadOnlyDictionary<string, string> values, string runsRoot);
}
