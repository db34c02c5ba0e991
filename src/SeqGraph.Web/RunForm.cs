namespace SeqGraph.Web;

/// <summary>The form of one experiment: its name as a command (<c>rnn train</c>), what it does, and its fields.</summary>
/// <param name="Experiment">The command's words, e.g. <c>rnn train</c>.</param>
/// <param name="Description">The command's description.</param>
/// <param name="Fields">One field per option, in the command's order.</param>
public sealed record RunForm(string Experiment, string Description, IReadOnlyList<RunFormField> Fields);
