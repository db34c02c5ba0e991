namespace SeqGraph.Experiments.Text;

/// <summary>What <c>text eval</c> measured.</summary>
/// <param name="Loss">Mean cross-entropy, nats per character.</param>
/// <param name="Bpc">Bits per character.</param>
/// <param name="Accuracy">Share of next characters predicted right (arg-max).</param>
/// <param name="Characters">Characters scored.</param>
/// <param name="UnknownCharacters">Characters of the file outside the model's vocabulary (left out).</param>
/// <param name="UnknownExamples">The first of them.</param>
public sealed record TextEvalSummary(
    double Loss = 0, double Bpc = 0, double Accuracy = 0,
    long Characters = 0, long UnknownCharacters = 0, string[] UnknownExamples = null!);
