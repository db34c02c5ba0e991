namespace SeqGraph.Web;

/// <summary>One option of an experiment's form, as the command line defines it.</summary>
/// <param name="Name">The option's name, e.g. <c>--hidden</c>.</param>
/// <param name="Description">The option's help text.</param>
/// <param name="Kind">"integer", "number", "flag" or "text".</param>
/// <param name="Default">The default as the command line would take it, or null when there is none (the help text then says what happens).</param>
/// <param name="Choices">The values it accepts when they are a fixed list, else null.</param>
/// <param name="Required">Whether the command needs a value for it.</param>
public sealed record RunFormField(string Name, string Description, string Kind, string? Default, IReadOnlyList<string>? Choices, bool Required);
