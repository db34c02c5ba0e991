namespace SeqGraph.Experiments.Text;

/// <summary>What <c>text sample</c> generated.</summary>
/// <param name="Samples">The samples, each with its prompt (or first character) in front.</param>
/// <param name="Step">Training steps behind the checkpoint.</param>
/// <param name="Temperature">The temperature used.</param>
/// <param name="TopK">The top-k used.</param>
/// <param name="Seed">The seed used.</param>
/// <param name="CharsPerSecond">
/// Generated characters per second after the warm-up: the characters after the first
/// <see cref="WarmupCharacters"/> (counted over all samples) divided by the time they took,
/// prompt feeding included; null when no character was generated after the warm-up.
/// </param>
/// <param name="WarmupCharacters">Characters counted as warm-up (compiling the code, first touch of the weights): the first 1,000, or all when fewer.</param>
/// <param name="WarmupSeconds">Seconds the warm-up characters took (prompt included).</param>
public sealed record TextSampleResult(
    string[] Samples = null!, int Step = 0, float Temperature = 0,
    int TopK = 0, ulong Seed = 0, double? CharsPerSecond = null, int WarmupCharacters = 0, double WarmupSeconds = 0);
