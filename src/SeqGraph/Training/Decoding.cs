namespace SeqGraph.Training;

/// <summary>How the next character is chosen from the model's logits.</summary>
/// <param name="Temperature">0 means greedy (arg-max); otherwise the logits are divided by it before
/// the softmax (1 = the model's own distribution, large = near uniform).</param>
/// <param name="TopK">When positive, only the K most likely characters can be drawn.</param>
public sealed record Decoding(float Temperature = 1f, int TopK = 0)
{
    /// <summary>Arg-max decoding.</summary>
    public static Decoding Greedy { get; } = new(0f);
}
