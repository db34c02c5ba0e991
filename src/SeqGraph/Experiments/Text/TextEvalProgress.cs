namespace SeqGraph.Experiments.Text;

/// <summary>What <c>text eval</c> reports after every chunk it scores.</summary>
/// <param name="Characters">Characters scored so far.</param>
/// <param name="Total">Characters that will be scored in all (the last report has <see cref="Characters"/> = <see cref="Total"/>).</param>
public sealed record TextEvalProgress(long Characters, long Total);
