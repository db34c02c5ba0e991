using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;

namespace SeqGraph.Experiments.Rnn;

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
        if (layers > 64) throw new ConfigException("--layers", $"--layers must be at most 64 (got {layers})");
        var (cell, bidi) = (model.Cell(), model.Bidirectional());
        // the model is built to be counted: its size is bounded as rnn train bounds it, before it is allocated
        var (option, value) = Training.MemoryEstimate.Culprit(("--hidden", hidden, 128), ("--input", input, 10), ("--classes", classes, 10), ("--layers", layers, 1));
        Training.MemoryEstimate.ForSequence(cell, bidi, input, classes, 0, hidden, layers, 1, 1, reference: false).Check(null, option, value);
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
