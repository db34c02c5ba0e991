namespace SeqGraph.Web;

/// <summary>A form value refused by <see cref="IRunLauncher.Prepare"/>: the command line's one-line message and the option it names.</summary>
/// <param name="option">The option the message is about (e.g. <c>--hidden</c>), or null when it names none.</param>
/// <param name="message">The line the command line prints after "seqgraph: error: ".</param>
public sealed class RunFormException(string? option, string message) : Exception(message)
{
    /// <summary>The option the message is about, or null.</summary>
    public string? Option { get; } = option;
}
