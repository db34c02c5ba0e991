namespace SeqGraph.Experiments.Text;

/// <summary>
/// What <c>text eval</c> reports: after every chunk it scores, and before the first one a note about
/// the data when there is something to say (<see cref="Note"/> set, e.g. that Project Gutenberg's
/// header and licence were left out; the counts are then 0).
/// </summary>
/// <param name="Characters">Characters scored so far.</param>
/// <param name="Total">Characters that will be scored in all (the last report has <see cref="Characters"/> = <see cref="Total"/>).</param>
/// <param name="Note">A one-line message about the data, for the user.</param>
public sealed record TextEvalProgress(long Characters, long Total, string? Note = null);
