using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;

namespace SeqGraph.Experiments.Rnn;

/// <summary>One parameter tensor of a model.</summary>
/// <param name="Name">Its PyTorch-style name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Count">Its number of values.</param>
public sealed record ParameterInfo(string Name, int[] Shape, long Count);

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

/// <summary><c>rnn params</c>: builds the classifier with input size d, n hidden units and K classes and counts its parameters.</summary>
public static class RnnParams
{
    /// <summary>The parameter report of <paramref name="model"/>.</summary>
    public static RnnParamsResult Describe(RecurrentModel model, int input, int hidden, int classes, int layers = 1)
    {
        ConfigException.Positive("--input", input);
        ConfigException.Positive("--hidden", hidden);
        ConfigException.Positive("--classes", classes);
        ConfigException.Positive("--layers", layers);
        var (cell, bidi) = (model.Cell(), model.Bidirectional());
        var m = new SequenceClassifier(cell, input, classes, hidden, new Rng(0), 0, layers, bidi);
        return new RnnParamsResult
        {
            Model = model,
            Parameters = m.NamedParameters().Select(p => new ParameterInfo(p.Name, p.Value.Shape.ToArray(), p.Value.Size)).ToList(),
            Total = m.ParameterCount,
            ClosedForm = SequenceClassifier.ClosedFormParameters(cell, input, classes, hidden, 0, layers, bidi),
            Formula = Formula(cell, bidi, layers, input, hidden, classes),
        };
    }

    private static string Formula(CellType cell, bool bidi, int layers, int d, int n, int k)
    {
        string dirs = bidi ? "2·" : "";
        string one = cell switch
        {
            CellType.Lstm => "4n(d+n+1)",
            CellType.Gru => "3n(d+n+1)",
            CellType.Rnn => "n(d+n+1)",
            CellType.PeepholeLstm => "4n(d+1)+3n²",
            _ => "?",
        };
        string rest = layers > 1 ? $" + {layers - 1}×{dirs}[same with d={n * (bidi ? 2 : 1)}]" : "";
        return $"{dirs}{one}{rest} + K({(bidi ? "2n" : "n")}+1) with d={d}, n={n}, K={k}";
    }
}
