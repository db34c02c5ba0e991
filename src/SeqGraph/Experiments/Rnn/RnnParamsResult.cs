using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Rnn;

/// <summary>What <c>rnn params</c> prints: every tensor, the total, and the closed form it must equal.</summary>
public sealed record RnnParamsResult
{
    /// <summary>The model.</summary>
    public RecurrentModel Model { get; init; }

    /// <summary>Every parameter tensor, in module order.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; init; } = Array.Empty<ParameterInfo>();

    /// <summary>Their total.</summary>
    public long Total { get; init; }

    /// <summary>The closed-form count (SPEC.md: 4n(d+n+1) + K(n+1) for the LSTM).</summary>
    public long ClosedForm { get; init; }

    /// <summary>The closed form written out with the sizes.</summary>
    public string Formula { get; init; } = "";

    /// <summary>True when the model's tensors add up to the closed form.</summary>
    public bool Matches => Total == ClosedForm;
}
