using System.Globalization;
using SeqGraph.Interop.Onnx.Proto;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Interop.Onnx;

/// <summary>
/// The sequence classifiers of <c>rnn train</c> / <c>rnn sweep</c> as ONNX: input <c>tokens</c>
/// int64 [batch, steps] (batch-first symbol indices), output <c>logits</c> float [batch, classes].
/// Tokens are transposed to time-first and looked up in the embedding (or in an identity matrix for
/// one-hot input); each layer is one ONNX <c>RNN</c> (tanh), <c>LSTM</c> or <c>GRU</c> node (both
/// directions in one node for the bidirectional LSTM, whose next layer reads [forward; backward]
/// features), or for the peephole LSTM a <c>Scan</c> over the cell (see <see cref="PeepholeScanOnnx"/>);
/// the head reads the top layer's last state, h_fwd(T) ‖ h_bwd(1) when bidirectional.
/// </summary>
public static class SequenceClassifierOnnx
{
    private const TensorProto.Types.DataType F = TensorProto.Types.DataType.Float, I64 = TensorProto.Types.DataType.Int64;

    /// <summary>Translates <paramref name="model"/>.</summary>
    public static OnnxExport Build(SequenceClassifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var rnn = model.Rnn;
        int vocab = model.Vocabulary, dirs = rnn.Directions, hidden = rnn.HiddenSize, classes = model.Head.Weight.Shape[0];
        var g = new OnnxGraphBuilder("sequence_classifier");
        string tokens = g.Input("tokens", I64, "batch", "steps");
        string timeFirst = g.Node("Transpose", new[] { tokens }, (string?)null, ("perm", new long[] { 1, 0 }));
        string table = model.Embedding is { } e ? g.Floats("embedding.weight", e.Weight) : g.Floats("one_hot", Identity(vocab), vocab, vocab);
        string x = g.Node("Gather", new[] { table, timeFirst }, (string?)null, ("axis", 0L));   // [T, B, D]
        string last = "";
        for (int l = 0; l < rnn.NumLayers; l++)
        {
            if (rnn.Cell == CellType.PeepholeLstm)
            {
                var ys = new string[dirs];
                var lasts = new string[dirs];
                for (int d = 0; d < dirs; d++) (ys[d], lasts[d]) = PeepholeScanOnnx.Layer(g, rnn, l, d, x, $"rnn_l{l}" + (d == 1 ? "_reverse" : ""));
                x = dirs == 1 ? ys[0] : g.Node("Concat", ys, (string?)null, ("axis", 2L));
                last = dirs == 1 ? lasts[0] : g.Node("Concat", lasts, (string?)null, ("axis", 1L));
            }
            else
            {
                var (y, yh, _) = RecurrentOnnx.Layer(g, rnn, l, x, null, null, $"rnn_l{l}");
                if (l + 1 < rnn.NumLayers) x = RecurrentOnnx.Features(g, y, dirs);
                else last = RecurrentOnnx.LastFeatures(g, yh, dirs);
            }
        }
        string wT = g.Floats("head.weight_t", RecurrentOnnx.Transposed(model.Head.Weight.Data, classes, hidden * dirs), hidden * dirs, classes);
        string logits = g.Node("Add", new[] { g.Node("MatMul", new[] { last, wT }), g.Floats("head.bias", model.Head.Bias!) });
        g.Output(logits, "logits", F, "batch", classes);

        string description = Describe(model);
        var notes = new List<string>
        {
            "tokens are batch-first symbol indices of the task's vocabulary; logits score each class after the last step (arg-max is the prediction)",
            "each sequence starts from a zero state",
        };
        if (rnn.Cell == CellType.PeepholeLstm)
            notes.Add("the peephole LSTM's gates read the cell through a full matrix, which ONNX's LSTM (a per-unit peephole) cannot express: each layer is a Scan over the cell");
        if (model.Embedding is null) notes.Add("one-hot input is a Gather from an identity matrix");
        var inv = CultureInfo.InvariantCulture;
        var metadata = new Dictionary<string, string>
        {
            ["kind"] = PyTorch.ClassifierPyTorch.Kind,
            ["cell"] = rnn.Cell.ToString().ToLowerInvariant(),
            ["bidirectional"] = rnn.Bidirectional ? "true" : "false",
            ["layers"] = rnn.NumLayers.ToString(inv),
            ["hidden"] = hidden.ToString(inv),
            ["vocabulary_size"] = vocab.ToString(inv),
            ["embedding"] = (model.Embedding?.Weight.Shape[1] ?? 0).ToString(inv),
            ["classes"] = classes.ToString(inv),
        };
        return new OnnxExport(g.ToModel($"SeqGraph sequence classifier: {description}", metadata), description, model.ParameterCount, notes.ToArray());
    }

    /// <summary>"2-layer bidirectional LSTM, hidden 32, embedding 8, vocabulary 10, 4 classes".</summary>
    internal static string Describe(SequenceClassifier model)
    {
        var rnn = model.Rnn;
        string cell = rnn.Cell switch
        {
            CellType.Rnn => "RNN (tanh)",
            CellType.Lstm => "LSTM",
            CellType.Gru => "GRU",
            _ => "peephole LSTM",
        };
        string input = model.Embedding is { } e ? $"embedding {e.Weight.Shape[1]}" : "one-hot input";
        return string.Create(CultureInfo.InvariantCulture,
            $"{rnn.NumLayers}-layer {(rnn.Bidirectional ? "bidirectional " : "")}{cell}, hidden {rnn.HiddenSize}, {input}, vocabulary {model.Vocabulary}, {model.Head.Weight.Shape[0]} classes");
    }

    private static float[] Identity(int n)
    {
        var m = new float[n * n];
        for (int i = 0; i < n; i++) m[i * n + i] = 1f;
        return m;
    }
}
