namespace SeqGraph.Experiments.Text;

/// <summary>
/// What <c>text sample</c> reports while it generates: the characters added since the last report.
/// The reports of one sample, joined, are that sample (prompt or first character included);
/// <see cref="End"/> marks its last piece. Pieces are sent after every line break and at least
/// every 50 ms, so a reader sees the text appear as it is sampled.
/// </summary>
/// <param name="Sample">Index of the sample (0 to Count − 1).</param>
/// <param name="Text">The new characters (the first piece of a sample starts with its prompt).</param>
/// <param name="End">True on the last piece of the sample.</param>
public sealed record TextSampleProgress(int Sample, string Text, bool End);
