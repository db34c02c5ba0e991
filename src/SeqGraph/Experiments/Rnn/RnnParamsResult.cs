using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Experiments.Rnn;

/// <summary>What <c>rnn params</c> prints: every tensor, the total, and the closed form it must equal.</summary>
/// <param name="Model">The model.</param>
/// <param name="Parameters">Every parameter tensor, in module order.</param>
/// <param name="Total">Their total.</param>
/// <param name="ClosedForm">The closed-form count (SPEC.md: 4n(d+n+1) + K(n+1) for the LSTM).</param>
/// <param name="Formula">The closed form written out with the sizes.</param>
public sealed record RnnParamsResult(
    RecurrentModel Model = default, IReadOnlyList<ParameterInfo> Parameters = null!, long Total = 0,
    long ClosedForm = 0, string Formula = "")
{
    /// <summary>True when the model's tensors add up to the closed form.</summary>
    public bool Matches => Total == ClosedForm;
}
