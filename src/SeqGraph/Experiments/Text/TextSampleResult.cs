namespace SeqGraph.Experiments.Text;

/// <summary>What <c>text sample</c> generated.</summary>
/// <param name="Samples">The samples, each with its prompt (or first character) in front.</param>
/// <param name="Step">Training steps behind the checkpoint.</param>
/// <param name="Temperature">The temperature used.</param>
/// <param name="TopK">The top-k used.</param>
/// <param name="Seed">The seed used.</param>
/// <param name="CharsPerSecond">Generated characters per second.</param>
public sealed record TextSampleResult(
    string[] Samples = null!, int Step = 0, float Temperature = 0,
    int TopK = 0, ulong Seed = 0, double CharsPerSecond = 0);
