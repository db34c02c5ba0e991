namespace SeqGraph.Experiments.Text;

/// <summary>What <c>text eval</c> measured.</summary>
public sealed record TextEvalSummary
{
    /// <summary>Mean cross-entropy, nats per character.</summary>
    public double Loss { get; init; }
    /// <summary>Bits per character.</summary>
    public double Bpc { get; init; }
    /// <summary>Share of next characters predicted right (arg-max).</summary>
    public double Accuracy { get; init; }
    /// <summary>Characters scored.</summary>
    public long Characters { get; init; }
    /// <summary>Characters of the file outside the model's vocabulary (left out).</summary>
    public long UnknownCharacters { get; init; }
    /// <summary>The first of them.</summary>
    public string[] UnknownExamples { get; init; } = Array.Empty<string>();
}
