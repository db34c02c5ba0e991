namespace SeqGraph.Training;

/// <summary>Validation figures: mean cross-entropy in nats, bits per character, arg-max accuracy.</summary>
/// <param name="Loss">Mean cross-entropy (nats per character).</param>
/// <param name="Accuracy">Share of next characters predicted right (arg-max).</param>
/// <param name="Characters">Predicted characters counted.</param>
public sealed record TextEvalResult(double Loss, double Accuracy, long Characters)
{
    /// <summary>Bits per character: the loss divided by ln 2.</summary>
    public double BitsPerCharacter => Loss / Math.Log(2);
}
